"""How handouts sit on paper, read back from real PDFs: no stub pages, the
closing panel, the QR code's size, readable note addresses, the event line."""

import re
from types import SimpleNamespace

import pypdfium2
import pytest
import zxingcpp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pypdf import PdfReader

from handbill.testing.sites import PROJECT_ROOT, build
from handbill_brand import read_brand
from handbill_brand.typefaces import FONTS_DIR
from handbill_handouts.print_markup import PrintableContent, address_parts
from handbill_handouts.rendering import HandoutDocument, HandoutRenderer, RenderJob, render_job

from . import sample_site
from .pdfs import flat, page_texts

MM = 72 / 25.4  # PDF points per millimetre
# The page's text area: inside the margins of handout.css, so the running header and footer are left out.
TOP_MARGIN, BOTTOM_MARGIN = 19 * MM, 21 * MM
LEAST_LINES = 4  # fewer on a page is a stub
SAMPLE_HANDOUTS = (
    "asking-for-referrals-without-wincing",
    "building-a-network-that-lasts",
    "chamber-breakfast-field-guide",
    "the-48-hour-follow-up",
)


def project_sample_files():
    """The project's own sample posts and images, as bytes (written as they are)."""
    content = PROJECT_ROOT / "content"
    return {
        str(path.relative_to(content)): path.read_bytes()
        for folder in ("posts", "images")
        for path in sorted((content / folder).iterdir())
        if path.is_file()
    }


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample site, built with the project's own settings, as a new user first builds it."""
    return build(tmp_path_factory.mktemp("sample"), project_sample_files(), {})


def text_area_lines(pdf):
    """Each page's lines of text inside the margins."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        pages = []
        for page in document:
            width, height = page.get_size()
            text = page.get_textpage().get_text_bounded(0, BOTTOM_MARGIN, width, height - TOP_MARGIN)
            pages.append([line.strip() for line in text.splitlines() if line.strip()])
        return pages
    finally:
        document.close()


def assert_no_stub_pages(pdf):
    for number, lines in enumerate(text_area_lines(pdf), start=1):
        assert len(lines) >= LEAST_LINES, f"{pdf.name} page {number} holds only {lines}"


def qr_symbols(pdf, page_number, dpi=300):
    """(text, side in mm) of each QR code on a page."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        image = document[page_number].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    found = []
    for code in zxingcpp.read_barcodes(image):
        corners = code.position
        side = min(corners.top_right.x - corners.top_left.x, corners.bottom_left.y - corners.top_left.y)
        found.append((code.text, side / dpi * 25.4))
    return found


def test_a_first_build_of_the_sample_has_no_handout_warnings(sample):
    assert sample.returncode == 0
    for name in SAMPLE_HANDOUTS:
        assert sample.exists(f"handouts/{name}.pdf")
    assert "page budget" not in flat(sample.log).replace("pagebudget", "page budget")


@pytest.mark.parametrize("name", SAMPLE_HANDOUTS)
def test_no_sample_page_is_a_stub(sample, name):
    assert_no_stub_pages(sample.output / "handouts" / f"{name}.pdf")


@pytest.mark.parametrize("name", SAMPLE_HANDOUTS)
def test_the_last_page_closes_with_the_owners_panel(sample, name):
    pdf = sample.output / "handouts" / f"{name}.pdf"
    last = flat(page_texts(pdf)[-1])
    assert "Bookafree20-minutecall" in last  # the brand's call to action
    assert "+15550142" in last
    pages = len(PdfReader(pdf).pages)
    if pages > 1:  # page 1's masthead has the QR code; the panel repeats it on a later page
        [(text, side)] = qr_symbols(pdf, pages - 1)
        assert re.fullmatch(rf"https://connected-in-person\.example/posts/\d{{4}}/{name}/", text)
        assert side >= 25


@pytest.mark.parametrize("name", SAMPLE_HANDOUTS)
def test_the_qr_code_is_at_least_25_mm_and_opens_the_post(sample, name):
    pdf = sample.output / "handouts" / f"{name}.pdf"
    [(text, side)] = qr_symbols(pdf, 0)
    assert re.fullmatch(rf"https://connected-in-person\.example/posts/\d{{4}}/{name}/", text)
    assert side >= 25


def test_note_addresses_are_printed_decoded_and_break_between_words(sample):
    pdf = sample.output / "handouts" / "building-a-network-that-lasts.pdf"
    text = "".join(page_texts(pdf))
    assert "%27" not in text and "Dunbar's_number" in flat(text).replace("\u2019", "'")
    reader = PdfReader(pdf)
    links = [
        annotation.get_object()["/A"]["/URI"]
        for page in reader.pages
        for annotation in page.get("/Annots", [])
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    assert any("Dunbar%27s_number" in link for link in links)  # the link itself keeps its address


def test_notes_are_numbered_as_the_text_refers_to_them(sample):
    """The list is made of two (the heading is kept with the first three): the numbers go on
    through both, as the references in the text give them."""
    pdf = sample.output / "handouts" / "building-a-network-that-lasts.pdf"
    text = "\n".join(page_texts(pdf))
    notes = text[text.upper().rindex("NOTES AND LINKS") :]
    numbers = [int(number) for number in re.findall(r"^\s*(\d+)\.\s", notes, re.MULTILINE)]
    assert len(numbers) > 3, notes
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_addresses_break_only_after_punctuation():
    parts = address_parts("https://en.wikipedia.org/wiki/Dunbar%27s_number?a=1&b=%2F%20x")
    assert parts == ["https://", "en.", "wikipedia.", "org/", "wiki/", "Dunbar's_number?", "a=", "1&", "b=", "%2F%20x"]


def test_read_it_online_breaks_only_after_a_slash(sample):
    pdf = sample.output / "handouts" / "chamber-breakfast-field-guide.pdf"
    lines = text_area_lines(pdf)[0]
    address_lines = [line for line in lines if "posts/" in line or "connected-in-person.example/" in line]
    assert address_lines and all(line.endswith("/") for line in address_lines)


def test_the_event_line_is_printed_once_on_each_page(tmp_path):
    brand = read_brand({"PATH": str(tmp_path), "BRAND": {"name": "Dana Whitfield", "website": "https://coach.example"}})
    content = PrintableContent(html="<p>Text.</p>" * 4 + '<p style="break-before: page">More.</p>' * 4, notes=(),
                               images=(), problems=())  # fmt: skip
    doc = HandoutDocument(
        source="posts/a.md", title_html=Markup("A"), title_text="A", authors=(), date_text="1 May 2024",
        created="2024-05-01T00:00:00+00:00", modified="2024-05-01T00:00:00+00:00", summary_text="",
        standfirst_html=Markup(""), tags=(), lang="en", address="https://coach.example/a/",
        qr_target="https://coach.example/a/", event_line="Handed out at Chamber breakfast, 3 December 2026",
        page_size="A4", content=content,
    )  # fmt: skip
    html = HandoutRenderer(SimpleNamespace(brand=brand)).html(doc)
    job = RenderJob(
        key="a.pdf", source="posts/a.md", title="A", html=html,
        folders={"content": str(tmp_path), "fonts": FONTS_DIR},
        pdf_path=str(tmp_path / "a.pdf"), preview_path=None, preview_width=100, pdf_variant=None,
        identifier="0" * 32, source_date_epoch=1_700_000_000,
    )  # fmt: skip
    assert render_job(job).error is None
    texts = page_texts(tmp_path / "a.pdf")
    assert len(texts) > 1
    for text in texts:
        assert flat(text).count("HandedoutatChamberbreakfast,3December2026") == 1


paragraph = st.sampled_from([sample_site.PARAGRAPH, sample_site.PARAGRAPH * 3, sample_site.PARAGRAPH * 6])
section = st.tuples(st.booleans(), st.lists(paragraph, min_size=1, max_size=4))


def generated_post(number, sections, links):
    body = []
    for has_heading, paragraphs in sections:
        if has_heading:
            body.append(f"## Part of post {number}")
        body.extend(paragraphs)
    body.append(" ".join(f"[Source {link}](https://example.org/a%27b/{link})" for link in range(links)))
    return (
        f"Title: Generated {number}\nDate: 2024-01-0{number + 1}\nSlug: generated-{number}\nHandout: yes\n\n"
        + "\n\n".join(body)
    )


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(posts=st.lists(st.tuples(st.lists(section, min_size=1, max_size=5), st.integers(0, 6)), min_size=2, max_size=3))
def test_generated_posts_of_any_length_have_no_stub_pages_and_close_with_the_panel(tmp_path_factory, posts):
    files = {"images/logo.svg": sample_site.LOGO_SVG}
    for number, (sections, links) in enumerate(posts):
        files[f"posts/generated-{number}.md"] = generated_post(number, sections, links)
    brand = {**sample_site.BRAND, "call_to_action": "Call me about your next event"}
    site = build(tmp_path_factory.mktemp("generated"), files, {"HANDOUTS": {"page_budget": 20}, "BRAND": brand})
    for number in range(len(posts)):
        pdf = site.output / "handouts" / f"generated-{number}.pdf"
        assert_no_stub_pages(pdf)
        assert "Callmeaboutyournextevent" in flat(page_texts(pdf)[-1])
        assert "%27" not in "".join(page_texts(pdf))
