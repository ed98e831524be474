from pypdf import PdfReader

from handbill_handouts.pack import pack_pdf
from handbill_handouts.rendering import RenderJob, css_string, render_all

from .pdfs import A4, LETTER, page_size


def job(tmp_path, name, pages, size="A4", pdf_path=None):
    body = "".join(f'<p style="break-before: page">Page {number}</p>' for number in range(2, pages + 1))
    html = f"<html><head><style>@page {{ size: {size} }}</style></head><body><h1>{name}</h1>{body}</body></html>"
    return RenderJob(
        key=f"handouts/{name}.pdf",
        source=f"posts/{name}.md",
        title=name,
        html=html,
        folders={"content": str(tmp_path)},
        pdf_path=str(pdf_path or tmp_path / f"{name}.pdf"),
        preview_path=str(tmp_path / f"{name}.png"),
        preview_width=120,
        pdf_variant=None,
        identifier="0" * 32,
        source_date_epoch=1_700_000_000,
    )


def test_css_string_cannot_break_out_of_the_string():
    assert css_string('Say "hi"\\ \n }') == '"Say \\22 hi\\22 \\5c  \\a  }"'


def test_one_failed_handout_does_not_stop_the_others(tmp_path):
    (tmp_path / "blocked.pdf").mkdir()  # a folder where the PDF should go
    jobs = [job(tmp_path, "good", 2), job(tmp_path, "blocked", 1), job(tmp_path, "also-good", 1)]
    results = {}
    render_all(jobs, workers=2, on_result=lambda job, result: results.__setitem__(job.key, result))
    assert results["handouts/good.pdf"].error is None
    assert results["handouts/good.pdf"].pages == 2
    assert results["handouts/good.pdf"].size == (tmp_path / "good.pdf").stat().st_size
    assert results["handouts/also-good.pdf"].pages == 1
    assert "IsADirectoryError" in results["handouts/blocked.pdf"].error
    assert (tmp_path / "good.png").read_bytes().startswith(b"\x89PNG")


def test_print_pack_starts_every_handout_on_a_fresh_sheet(tmp_path):
    jobs = [job(tmp_path, "three", 3), job(tmp_path, "one", 1, size="Letter"), job(tmp_path, "two", 2)]
    render_all(jobs, workers=1, on_result=lambda job, result: None)
    data, pages = pack_pdf(
        [(item.title, item.pdf_path) for item in jobs], "Pack", "Dana Whitfield", "D:20261203000000+00'00'"
    )
    (tmp_path / "pack.pdf").write_bytes(data)
    reader = PdfReader(tmp_path / "pack.pdf")
    texts = [page.extract_text().strip() for page in reader.pages]
    # three: pages 1-3, blank 4; one: 5, blank 6 (the back of a Letter sheet); two: 7-8.
    assert pages == len(reader.pages) == 8
    assert [texts.index(name) for name in ("three", "one", "two")] == [0, 4, 6]
    assert texts[3] == texts[5] == ""
    assert page_size(reader.pages[5]) == LETTER and page_size(reader.pages[3]) == A4
    assert [item.title for item in reader.outline] == ["three", "one", "two"]
    assert reader.metadata.title == "Pack"
    again, _ = pack_pdf(
        [(item.title, item.pdf_path) for item in jobs], "Pack", "Dana Whitfield", "D:20261203000000+00'00'"
    )
    assert again == data
