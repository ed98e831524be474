"""Real Pelican builds of a small site, with its handouts read back from the PDFs."""

import re
import subprocess
import sys

import pytest
from PIL import Image
from pypdf import PdfReader

from handbill.testing.sites import PROJECT_ROOT, build, project_settings, run_pelican

from . import sample_site
from .pdfs import A4, LETTER, embedded_font_names, flat, page_size, page_texts, qr_codes

MAIN_PDF = "handouts/meeting-people.pdf"
OLDER_PDF = "handouts/coffee-is-a-meeting.pdf"
MAIN_URL = "https://coach.example/posts/2024/meeting-people/"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    # Two rendering processes (with the platform's start method), compared
    # with one in test_same_inputs_give_identical_files.
    return build(tmp_path_factory.mktemp("site"), sample_site.files(), sample_site.settings(workers=2))


def test_selected_posts_get_handouts_and_others_do_not(site):
    assert site.exists(MAIN_PDF)  # Handout: yes
    assert site.exists(OLDER_PDF)  # by its tag
    assert not site.exists("handouts/not-for-print.pdf")  # Handout: no wins over the tag
    assert not site.exists("handouts/unfinished-thoughts.pdf")  # a draft, though it says yes
    assert sorted(path.name for path in (site.output / "handouts").glob("*.pdf")) == [
        "coffee-is-a-meeting.pdf",
        "meeting-people.pdf",
    ]


def test_page_size_setting_and_per_post_override(site):
    assert {page_size(page) for page in PdfReader(site.output / MAIN_PDF).pages} == {A4}
    assert {page_size(page) for page in PdfReader(site.output / OLDER_PDF).pages} == {LETTER}


def test_pdf_metadata(site):
    reader = PdfReader(site.output / MAIN_PDF)
    assert reader.metadata.title == "Meeting People Who Matter"
    assert reader.metadata.author == "Dana Whitfield"
    assert reader.metadata.subject == "How to turn a room of strangers into three good conversations."
    assert reader.metadata["/Keywords"] == "networking, events"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    # Fixed from the post's date (09:30 in the site's Europe/London time zone).
    assert reader.metadata["/CreationDate"].startswith("D:20240305093000")
    fonts = embedded_font_names(site.output / MAIN_PDF)  # every one embedded
    assert any(name.startswith("Source-Serif-4") for name in fonts)  # the bundled body font
    assert any(name.startswith("Source-Sans-3") for name in fonts)


def test_every_page_is_branded_and_numbered(site):
    for pdf in (MAIN_PDF, OLDER_PDF):
        texts = page_texts(site.output / pdf)
        for number, text in enumerate(texts, start=1):
            assert "Dana Whitfield" in text
            assert "coach.example" in text
            assert f"page {number} of {len(texts)}" in text
    first_page = page_texts(site.output / MAIN_PDF)[0]
    for shown in ("Meeting People Who Matter", "5 March 2024", "Connected in Person", "dana@coach.example"):
        assert shown in first_page


def test_links_are_printed_as_numbered_notes(site):
    text = flat("".join(page_texts(site.output / MAIN_PDF)))
    assert "Notesandlinks" in text.replace("NOTESANDLINKS", "Notesandlinks")
    assert "thefieldguide:https://example.org/guide" in text
    assert "myolderpost:https://coach.example/posts/2023/coffee-is-a-meeting/" in text
    assert "Follow-upSociety(https://example.net/study)" in text  # the footnote joins the notes


def test_no_site_navigation_in_the_handout(site):
    text = "".join(page_texts(site.output / MAIN_PDF))
    for site_only in ("Skip to content", "Archives", "Previous post", "Comments"):
        assert site_only not in text


def test_the_image_is_printed_from_its_file(site):
    reader = PdfReader(site.output / MAIN_PDF)
    images = {image.data: image.image.size for page in reader.pages for image in page.images}
    assert list(images.values()) == [(600, 240)]  # full resolution, not resampled


def test_qr_code_opens_the_post(site):
    assert qr_codes(site.output / MAIN_PDF) == [MAIN_URL]
    assert "coach.example/posts/2024/meeting-people/" in flat(page_texts(site.output / MAIN_PDF)[0])


def test_article_page_links_its_handout(site):
    pages = len(PdfReader(site.output / MAIN_PDF).pages)
    assert pages == 2
    html = site.read("posts/2024/meeting-people/index.html")
    assert "Print this as a handout" in html
    assert "(PDF, 2 pages)" in html
    assert 'href="../../../handouts/meeting-people.pdf"' in html
    assert "Print this as a handout" not in site.read("posts/2023/not-for-print/index.html")


def test_index_page_lists_every_handout_with_a_preview(site):
    html = site.read("handouts/index.html")
    for pdf, title in ((MAIN_PDF, "Meeting People Who Matter"), (OLDER_PDF, "Coffee Is a Meeting")):
        pages = len(PdfReader(site.output / pdf).pages)
        size_kb = round((site.output / pdf).stat().st_size / 1000)
        assert title in html
        assert f"PDF, {pages} page{'s' if pages > 1 else ''}, {size_kb} KB" in html
        preview = pdf.removesuffix(".pdf") + ".png"
        assert f'src="../{preview}"' in html
        with Image.open(site.output / preview) as image:
            assert image.format == "PNG" and image.width == 300
    assert html.index("Meeting People Who Matter") < html.index("Coffee Is a Meeting")  # newest first


def test_same_inputs_give_identical_files(site, tmp_path):
    again = build(tmp_path, sample_site.files(), sample_site.settings(workers=1))
    for name in ("meeting-people.pdf", "meeting-people.png", "coffee-is-a-meeting.pdf"):
        assert (again.output / "handouts" / name).read_bytes() == (site.output / "handouts" / name).read_bytes()


def stamps(site):
    return {
        path.name: (path.stat().st_mtime_ns, path.stat().st_ino) for path in (site.output / "handouts").glob("*.p*")
    }


def rebuild(site):
    result = run_pelican(site.root, site.settings_file)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_only_what_changed_is_rendered_again(tmp_path):
    site = build(tmp_path, sample_site.files(), sample_site.settings())
    before = stamps(site)

    log = rebuild(site)
    assert "Handouts: rendering" not in log
    assert stamps(site) == before

    (site.output / OLDER_PDF).unlink()  # missing from the output: rendered again
    log = rebuild(site)
    assert "Handouts: rendering 1 of 2" in log
    after = stamps(site)
    assert after["meeting-people.pdf"] == before["meeting-people.pdf"]
    assert site.exists(OLDER_PDF)

    post = site.content / "posts" / "meeting-people.md"
    post.write_text(post.read_text().replace("Every good follow-up", "Every great follow-up"))
    log = rebuild(site)
    assert "Handouts: rendering 1 of 2" in log and "meeting-people.md" in log
    assert stamps(site)["coffee-is-a-meeting.pdf"] == after["coffee-is-a-meeting.pdf"]
    assert "Everygreatfollow-up" in flat("".join(page_texts(site.output / MAIN_PDF)))

    site.settings_file.write_text(site.settings_file.read_text().replace("#6b2d5c", "#0b6e4f"))
    assert "Handouts: rendering 2 of 2" in rebuild(site)


def test_a_first_build_starts_its_rendering_processes_as_soon_as_the_posts_are_read(tmp_path):
    site = build(tmp_path, sample_site.files(), sample_site.settings(workers=2))
    assert "Handouts: rendering 2 of 2 (0 up to date) with 2 worker(s) started as the posts were read" in site.log
    # Once the cache records handouts, a build may render none of them: its processes start
    # when its plan says it renders some.
    site.settings_file.write_text(site.settings_file.read_text().replace("#6b2d5c", "#0b6e4f"))
    log = rebuild(site)
    assert "Handouts: rendering 2 of 2 (0 up to date) with 2 worker(s)\n" in log
    assert "started as the posts were read" not in log


EVENT = """\
Title: Chamber breakfast
Date: 2026-12-03
Place: Riverside Hotel
Posts: meeting-people, coffee-is-a-meeting
Welcome: Thank you for coming.
"""


def test_event_edition_and_print_pack(tmp_path):
    site = build(tmp_path, {**sample_site.files(), "events/chamber-breakfast.md": EVENT}, sample_site.settings())
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "-r", str(PROJECT_ROOT), "handouts",
         "--event", "chamber-breakfast", "--settings", str(site.settings_file)],
        check=False, capture_output=True, text=True, timeout=600,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    folder = site.output / "handouts" / "events" / "chamber-breakfast"
    edition = folder / "meeting-people.pdf"
    assert "Handed out at Chamber breakfast, 3 December 2026" in "".join(page_texts(edition))
    assert qr_codes(edition) == [MAIN_URL + "?utm_source=handout&utm_campaign=chamber-breakfast"]
    # The regular handout is unchanged by the event.
    assert qr_codes(site.output / MAIN_PDF) == [MAIN_URL]
    assert "Handed out" not in "".join(page_texts(site.output / MAIN_PDF))

    pack = PdfReader(folder / "print-pack.pdf")
    lengths = [len(PdfReader(folder / name).pages) for name in ("meeting-people.pdf", "coffee-is-a-meeting.pdf")]
    starts = [0, lengths[0] + lengths[0] % 2]
    assert len(pack.pages) == starts[1] + lengths[1]
    texts = [page.extract_text() for page in pack.pages]
    assert "Meeting People Who Matter" in texts[starts[0]] and "page 1 of" in texts[starts[0]]
    assert "Coffee Is a Meeting" in texts[starts[1]] and "page 1 of" in texts[starts[1]]
    assert all(start % 2 == 0 for start in starts)  # page 1, 3, 5…: the front of a sheet


def test_bad_handout_metadata_fails_that_post_only(tmp_path):
    files = {
        **sample_site.files(),
        "posts/bad-flag.md": "Title: Bad Flag\nDate: 2024-01-02\nHandout: perhaps\n\nText.",
        "posts/bad-size.md": "Title: Bad Size\nDate: 2024-01-03\nHandout: yes\nHandout-Page-Size: A5\n\nText.",
    }
    site = build(tmp_path, files, sample_site.settings(), expect_success=False)
    assert site.returncode == 1
    log = flat(site.log)
    assert "posts/bad-flag.md:Handout:'perhaps'isnotyesorno" in log
    assert "posts/bad-size.md:Handout-Page-Size:unknownpagesize'A5'" in log
    assert "Handouts:2problem(s)" in log
    assert site.exists(MAIN_PDF) and site.exists(OLDER_PDF)


@pytest.mark.parametrize(
    ("brand", "handouts", "named"),
    [
        ({"logo": "images/missing.svg"}, {}, 'BRAND["logo"]'),
        ({"logo": "images/diagram.svg"}, {}, 'BRAND["logo"]'),
        ({"accent_color": "purple"}, {}, 'BRAND["accent_color"]'),
        ({}, {"page_size": "Tabloid"}, 'HANDOUTS["page_size"]'),
    ],
)
def test_bad_settings_give_one_clear_error(tmp_path, brand, handouts, named):
    settings = sample_site.settings(**handouts)
    settings["BRAND"] = {**settings["BRAND"], **brand}
    files = {**sample_site.files(), "images/diagram.svg": b"\x89PNG not really"}
    site = build(tmp_path, files, settings, expect_success=False)
    assert site.returncode == 1
    assert named in site.log
    assert "no handout was built" in site.log
    assert not site.exists(MAIN_PDF)


def test_a_site_without_handouts_ignores_their_settings(tmp_path):
    files = {"posts/plain.md": "Title: Plain\nDate: 2024-01-02\n\nNo handout here."}
    settings = {"HANDOUTS": {"page_size": "Tabloid"}}  # would be an error if a post asked
    site = build(tmp_path, files, settings)
    assert not site.exists("handouts")
    assert "Printable handout" not in site.read("posts/2024/plain/index.html")


def test_page_budget_warns_but_builds(tmp_path):
    site = build(tmp_path, sample_site.files(), sample_site.settings(page_budget=1))
    pages = len(PdfReader(site.output / MAIN_PDF).pages)
    assert pages > 1
    assert f"posts/meeting-people.md:itshandouthas{pages}pages,overthepagebudgetof1" in flat(site.log)


def test_tagged_accessible_variant(tmp_path):
    site = build(tmp_path, sample_site.files(), sample_site.settings(pdf_variant="pdf/ua-1"))
    reader = PdfReader(site.output / MAIN_PDF)
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"]
    assert re.search(rb"pdfuaid:part>?=?\"?1", catalog["/Metadata"].get_object().get_data())


def test_handouts_finished_while_the_pages_are_queued_give_the_same_pages_as_finished_at_once(site, tmp_path):
    # The project's settings queue every page (handbill_output_sync), so the handouts render
    # meanwhile and are finished only before the pages are; without it, before any is written.
    plugins = [name for name in project_settings()["PLUGINS"] if name != "handbill_output_sync"]
    at_once = build(tmp_path, sample_site.files(), {**sample_site.settings(workers=2), "PLUGINS": plugins})
    for page in ("posts/2024/meeting-people/index.html", "posts/2023/coffee-is-a-meeting/index.html", "index.html"):
        assert at_once.read(page) == site.read(page), page
    assert at_once.read("handouts/index.html") == site.read("handouts/index.html")


def test_when_every_handout_fails_the_index_says_so_and_the_build_fails(tmp_path):
    output = tmp_path / "output"
    for pdf in (MAIN_PDF, OLDER_PDF):
        (output / pdf).mkdir(parents=True)  # a folder where the PDF goes: its rendering fails
    site = build(tmp_path, sample_site.files(), sample_site.settings(workers=2), expect_success=False)
    assert site.returncode == 1
    assert "Handouts: 2 problem(s)" in site.log and "IsADirectoryError" in site.log
    index = site.read("handouts/index.html")
    assert "No handout is ready to download just now" in index and "handout-list" not in index
    article = site.read("posts/2024/meeting-people/index.html")
    assert 'href="../../../handouts/"' in article and "Print this as a handout" not in article
