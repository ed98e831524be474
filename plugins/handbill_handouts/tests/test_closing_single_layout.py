"""The closing panel placed in the handout's one layout gives the very
handout that laying it out a second time, with the panel's stylesheet, gives."""

import io
from types import SimpleNamespace

import pypdfium2
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from pypdf import PdfReader

from handbill_brand import read_brand
from handbill_brand.typefaces import FONTS_DIR
from handbill_handouts.addresses import local_url
from handbill_handouts.fetcher import LocalFileFetcher
from handbill_handouts.print_markup import Note, PrintableContent
from handbill_handouts.rendering import (
    HandoutDocument,
    HandoutRenderer,
    fit_closing,
    laid_out_handout,
)

from . import sample_site

# What the handouts were measured with before: each variant on a page of its own, at its margin.
TWO_LAYOUT_MEASURING_CSS = ".closing { break-before: page !important; }"
PARAGRAPHS = {
    "line": "<p>One line to close on.</p>",
    "linked": (
        f'<p>{sample_site.PARAGRAPH}<a href="https://example.org/guide">The guide</a>.'
        '<sup class="note-ref"><a href="#note-1">1</a></sup></p>'
    ),
    "long": f"<p>{sample_site.PARAGRAPH * 4}</p>",
}
# The owner's bio, in the largest variant: a usual one, and one that makes the variants
# together taller than a small page.
BIOS = (
    "Dana has coached people who would rather not network for ten years.",
    "Dana has coached people who would rather not network for ten years. " * 14,
)


@pytest.fixture(scope="module")
def handout_html(tmp_path_factory):
    """A function: (paragraph names, spacer px, notes, page size, bio) → the handout's weasyprint.HTML."""
    folder = tmp_path_factory.mktemp("single-layout")
    (folder / "images").mkdir()
    (folder / "images" / "logo.svg").write_text(sample_site.LOGO_SVG, encoding="utf-8")
    (folder / "images" / "photo.png").write_bytes(sample_site.diagram_png())
    brand = {**sample_site.BRAND, "photo": "images/photo.png", "call_to_action": "Book a free call"}
    renderers = {
        bio: HandoutRenderer(SimpleNamespace(brand=read_brand({"PATH": str(folder), "BRAND": {**brand, "bio": bio}})))
        for bio in BIOS
    }
    fetcher = LocalFileFetcher(
        {"content": folder, "fonts": FONTS_DIR, "logo": folder / "images", "photo": folder / "images"}
    )

    def make(paragraphs, spacer, notes, page_size, bio):
        from weasyprint import HTML

        # The spacer, a block of any height, puts the text's end anywhere on its last page.
        body = f'<div style="height: {spacer}px"></div>' + "".join(PARAGRAPHS[name] for name in paragraphs)
        content = PrintableContent(
            html=body,
            notes=tuple(
                Note(number, "Source", f"https://example.org/notes/{number}") for number in range(1, notes + 1)
            ),
            images=(),
            problems=(),
        )
        doc = HandoutDocument(
            source="posts/a.md", title_html=Markup("Closing"), title_text="Closing", authors=("Dana",),
            date_text="1 May 2024", created="2024-05-01T00:00:00+00:00", modified="2024-05-01T00:00:00+00:00",
            summary_text="", standfirst_html=Markup(""), tags=(), lang="en", address="https://coach.example/a/",
            qr_target="https://coach.example/a/", event_line="", page_size=page_size, content=content,
        )  # fmt: skip
        return HTML(string=renderers[bio].html(doc), base_url=local_url("content", ""), url_fetcher=fetcher)

    return make


@pytest.fixture(scope="module")
def fonts():
    """One font configuration for every layout, as a rendering process has."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def two_layouts(html, fonts, options):
    """The handout as it was made: measured, then laid out again with the panel's stylesheet."""
    from weasyprint import CSS

    measured = html.render(font_config=fonts, stylesheets=[CSS(string=TWO_LAYOUT_MEASURING_CSS)], **options)
    fit = fit_closing(measured)
    return fit, html.render(font_config=fonts, stylesheets=[CSS(string=fit.stylesheet())], **options)


def page_pixels(pdf):
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=100 / 72).to_pil().tobytes() for page in document]
    finally:
        document.close()


def rounded(numbers):
    return [round(float(number), 2) for number in numbers]


def pdf_links(pdf):
    """Each page's links, (address or destination name, rectangle), and where each named destination is."""
    reader = PdfReader(io.BytesIO(pdf))
    links = [
        [
            (link.get("/A", {}).get("/URI") or link["/Dest"], rounded(link["/Rect"]))
            for link in (annotation.get_object() for annotation in page.get("/Annots", []))
        ]
        for page in reader.pages
    ]
    destinations = {
        name: (reader.get_destination_page_number(place), rounded((place.left, place.top)))
        for name, place in reader.named_destinations.items()
    }
    return links, destinations


def assert_as_with_two_layouts(html, fonts, options=None):
    """The handout laid out once is the one laid out twice: its pages, their pixels and links. Returns the fit."""
    options = options or {}
    fit, expected = two_layouts(html, fonts, options)
    document = laid_out_handout(html, fonts, options)
    assert len(document.pages) == len(expected.pages)
    pdf, expected_pdf = (made.write_pdf(pdf_identifier=b"0" * 32, **options) for made in (document, expected))
    assert pdf_links(pdf) == pdf_links(expected_pdf)
    pixels, expected_pixels = page_pixels(pdf), page_pixels(expected_pdf)
    for number, (page, expected_page) in enumerate(zip(pixels, expected_pixels, strict=True), start=1):
        assert page == expected_page, f"page {number} differs ({fit})"
    return fit


# Handouts, (paragraphs, spacer px, notes, page size, bio), that put the panel in each of its
# places: (variant, on a page of its own, on the first page).
CASES = {
    "full on the last page": ((["long"] * 2, 440, 0, "A4", BIOS[0]), ("full", False, False)),
    "compact on the last page": (([], 820, 0, "A4", BIOS[0]), ("compact", False, False)),
    "minimal on the last page": (([], 850, 0, "A4", BIOS[0]), ("minimal", False, False)),
    "on a page of its own": (([], 940, 0, "A4", BIOS[0]), ("full", True, False)),
    "on pages of its own, taller than one": (([], 700, 0, "A5", BIOS[1]), ("full", True, False)),
    "on the first page": ((["linked"], 0, 2, "A4", BIOS[0]), ("full", False, True)),
}


@pytest.mark.parametrize("case", CASES)
def test_each_place_of_the_panel_is_laid_out_as_with_two_layouts(handout_html, fonts, case):
    handout, place = CASES[case]
    fit = assert_as_with_two_layouts(handout_html(*handout), fonts)
    assert (fit.variant, fit.own_page, fit.on_first_page) == place


def test_a_tagged_pdf_is_laid_out_as_with_two_layouts(handout_html, fonts):
    assert_as_with_two_layouts(handout_html(["linked"] * 3, 0, 4, "A4", BIOS[0]), fonts, {"pdf_variant": "pdf/ua-1"})


generated_handouts = st.tuples(
    st.lists(st.sampled_from(sorted(PARAGRAPHS)), max_size=12),
    st.floats(0, 1000).map(lambda px: round(px, 1)),
    st.integers(0, 8),
    st.sampled_from(["A4", "Letter", "A5"]),
    st.sampled_from(BIOS),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(given_handout=generated_handouts)
@example(given_handout=([], 0, 0, "A5", BIOS[0]))
def test_any_handout_is_laid_out_as_with_two_layouts(handout_html, fonts, given_handout):
    assert_as_with_two_layouts(handout_html(*given_handout), fonts)
