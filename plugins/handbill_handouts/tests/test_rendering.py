from dataclasses import replace

import pytest
from PIL import Image
from pypdf import PdfReader

from handbill_handouts.pack import pack_pdf
from handbill_handouts.rendering import Rendering, RenderJob, css_string

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
    results = {job.key: result for job, result in Rendering(jobs, workers=2).results()}
    assert results["handouts/good.pdf"].error is None
    assert results["handouts/good.pdf"].pages == 2
    assert results["handouts/good.pdf"].size == (tmp_path / "good.pdf").stat().st_size
    assert results["handouts/also-good.pdf"].pages == 1
    assert "IsADirectoryError" in results["handouts/blocked.pdf"].error
    assert (tmp_path / "good.png").read_bytes().startswith(b"\x89PNG")


def test_print_pack_starts_every_handout_on_a_fresh_sheet(tmp_path):
    jobs = [job(tmp_path, "three", 3), job(tmp_path, "one", 1, size="Letter"), job(tmp_path, "two", 2)]
    list(Rendering(jobs, workers=1).results())
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


def png(path, color):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (8, 8), color).save(path)


def embedded_images(pdf_path):
    return [image.image.getpixel((0, 0)) for page in PdfReader(pdf_path).pages for image in page.images]


def test_relative_references_in_an_svg_are_fetched_from_its_folder(tmp_path):
    logos = tmp_path / "logos"
    png(logos / "brand" / "dot.png", (255, 0, 0))
    png(tmp_path / "secret.png", (0, 0, 255))  # outside the folder: never printed
    (logos / "brand" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="40" height="20">'
        '<image href="dot.png" width="8" height="8"/>'
        '<image xlink:href="../../secret.png" x="20" width="8" height="8"/></svg>'
    )
    item = replace(
        job(tmp_path, "svg", 1),
        html='<html><body><img src="handout://logo/brand/logo.svg"></body></html>',
        folders={"content": str(tmp_path / "content"), "logo": str(logos)},
    )
    results = [result for _job, result in Rendering([item], workers=1).results()]
    assert results[0].error is None
    assert embedded_images(item.pdf_path) == [(255, 0, 0)]
    assert any("secret.png" in message for message in results[0].warnings)


def test_the_fetcher_serves_nothing_outside_a_folder(tmp_path):
    from handbill_handouts.fetcher import LocalFileFetcher

    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "a.txt").write_text("inside")
    (tmp_path / "secret.txt").write_text("outside")
    (tmp_path / "content" / "link.txt").symlink_to(tmp_path / "secret.txt")
    fetcher = LocalFileFetcher({"content": tmp_path / "content"})
    assert fetcher.fetch("handout://content/a.txt").read() == b"inside"
    for url in ("handout://content/../secret.txt", "handout://content/%2E%2E/secret.txt", "handout://content/link.txt"):
        with pytest.raises(ValueError, match="outside its folder"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="no folder named"):
        fetcher.fetch("handout://other/a.txt")


def test_spawned_workers_write_the_same_files_as_one_process(tmp_path):
    png(tmp_path / "images" / "dot.png", (0, 128, 0))
    image = '<img src="handout://content/images/dot.png" style="width: 2cm">'
    one, spawned = tmp_path / "one", tmp_path / "spawned"
    jobs = {
        folder: [
            replace(
                job(tmp_path, name, pages, pdf_path=folder / f"{name}.pdf"),
                html=job(tmp_path, name, pages).html.replace("</h1>", f"</h1>{image}"),
                preview_path=str(folder / f"{name}.png"),
            )
            for name, pages in (("first", 2), ("second", 1), ("third", 3))
        ]
        for folder in (one, spawned)
    }
    list(Rendering(jobs[one], workers=1).results())
    # spawn, as on macOS and Windows: the workers start from nothing but the installed package.
    spawning = Rendering(jobs[spawned], workers=3, start_method="spawn")
    results = {job.key: result for job, result in spawning.results()}
    assert all(result.error is None for result in results.values())
    names = sorted(path.name for path in one.iterdir())
    assert names == sorted(path.name for path in spawned.iterdir()) and len(names) == 6
    for name in names:
        assert (one / name).read_bytes() == (spawned / name).read_bytes(), name
    assert set(embedded_images(one / "first.pdf")) == {(0, 128, 0)}
