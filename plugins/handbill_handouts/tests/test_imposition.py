"""Print-shop output: booklet order and geometry, bleed and trim boxes, business cards.

The geometry is checked as numbers; the PDFs are real (WeasyPrint pages, imposed
with pypdf) and read back: page sizes and boxes with pypdf, which source page
landed in which half by pdfium's text in that half, the QR codes by decoding them.
"""

from types import SimpleNamespace

import pypdfium2
import pytest
from pypdf import PdfReader
from weasyprint import HTML

from handbill_brand import read_brand
from handbill_handouts.cards import CARD_SIZE_MM, business_cards_pdf, card_html, card_qr_target
from handbill_handouts.imposition import (
    A4,
    MM,
    Box,
    booklet_pdf,
    booklet_sides,
    cut_marks,
    fit_into,
    grid_slots,
    print_shop_pdf,
    trim_marks,
)

from .pdfs import qr_codes


def numbered_pages(count, size="A4"):
    """A real PDF of ``count`` pages, each saying only "Page N"."""
    pages = "".join(f'<p style="break-after: page; font-size: 40pt">Page {n}</p>' for n in range(1, count + 1))
    return HTML(string=f"<style>@page {{ size: {size} }}</style>{pages}").write_pdf()


def text_in(document, page_index, box):
    page = document[page_index]
    return page.get_textpage().get_text_bounded(box.x, box.y, box.right, box.top).strip()


def size_of(page):
    return round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)


def box_values(array):
    return [round(float(value), 2) for value in array]


# -- booklet -------------------------------------------------------------------------


def test_booklet_sides_put_first_and_last_pages_on_the_outer_sheet():
    assert booklet_sides(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_sides(4) == [(4, 1), (2, 3)]
    assert booklet_sides(0) == []


@pytest.mark.parametrize("count", [1, 2, 3, 5, 6, 7, 9, 13])
def test_booklet_pads_to_a_multiple_of_four_with_blanks_at_the_end(count):
    sides = booklet_sides(count)
    padded = -(-count // 4) * 4
    assert len(sides) == padded // 2  # two sides a sheet, two pages a side
    placed = [number for side in sides for number in side if number is not None]
    assert sorted(placed) == list(range(1, count + 1))  # every page once
    assert sum(number is None for side in sides for number in side) == padded - count
    assert sides == [tuple(None if number > count else number for number in side) for side in booklet_sides(padded)]


def test_a_page_fits_its_half_sheet_centred_and_is_never_enlarged():
    a4_width, a4_height = A4
    half = Box(a4_height / 2, 0, a4_height / 2, a4_width)  # the right half of A4 landscape
    scale, x, y = fit_into(a4_width, a4_height, half)
    assert scale == pytest.approx(2**-0.5, rel=1e-3)  # A4 → A5
    assert x == pytest.approx(half.x + (half.width - a4_width * scale) / 2)
    assert y == pytest.approx(0, abs=0.5)
    assert fit_into(100, 100, Box(0, 0, 400, 400)) == (1.0, 150, 150)


def test_booklet_pdf_places_each_page_in_its_half_on_a4_landscape(tmp_path):
    path = tmp_path / "booklet.pdf"
    path.write_bytes(booklet_pdf(numbered_pages(6)))
    reader = PdfReader(path)
    a4_landscape = (round(A4[1], 1), round(A4[0], 1))
    assert [size_of(page) for page in reader.pages] == [a4_landscape] * 4
    document = pypdfium2.PdfDocument(str(path))
    left, right = Box(0, 0, A4[1] / 2, A4[0]), Box(A4[1] / 2, 0, A4[1] / 2, A4[0])
    found = [(text_in(document, index, left), text_in(document, index, right)) for index in range(4)]
    document.close()
    # Six pages padded to eight: pages 7 and 8 are blank.
    assert found == [("", "Page 1"), ("Page 2", ""), ("Page 6", "Page 3"), ("Page 4", "Page 5")]


# -- bleed and trim marks ----------------------------------------------------------------


def test_trim_marks_stay_outside_the_bleed():
    trim = Box(30, 30, 200, 100)
    bleed = trim.grown(3 * MM)
    lines = trim_marks(trim, 3 * MM + 2 * MM)
    assert len(lines) == 8  # two at each corner
    for (x1, y1), (x2, y2) in lines:
        for x, y in ((x1, y1), (x2, y2)):
            assert not (bleed.x < x < bleed.right and bleed.y < y < bleed.top), (x, y)
        # Each one continues an edge of the trim box.
        assert (x1 == x2 and x1 in (trim.x, trim.right)) or (y1 == y2 and y1 in (trim.y, trim.top))


def test_print_shop_pdf_sets_trim_and_bleed_boxes_around_the_page(tmp_path):
    path = tmp_path / "shop.pdf"
    path.write_bytes(print_shop_pdf(numbered_pages(2), bleed_mm=3))
    reader = PdfReader(path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        trim = box_values(page.trimbox)
        bleed = box_values(page.bleedbox)
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.01)  # the page as designed
        outset = [b - t for b, t in zip(bleed, trim, strict=True)]
        assert outset == pytest.approx([-3 * MM, -3 * MM, 3 * MM, 3 * MM], abs=0.02)
        media = box_values(page.mediabox)
        assert media[0] < bleed[0] and media[2] > bleed[2]  # room for the marks
    document = pypdfium2.PdfDocument(str(path))
    trim = box_values(reader.pages[1].trimbox)
    assert text_in(document, 1, Box(trim[0], trim[1], trim[2] - trim[0], trim[3] - trim[1])) == "Page 2"
    document.close()


# -- business cards ----------------------------------------------------------------------


def test_ten_cards_fill_a4_in_two_columns_of_five_touching_cards():
    card = (CARD_SIZE_MM[0] * MM, CARD_SIZE_MM[1] * MM)
    slots = grid_slots(A4, card, 2, 5)
    assert len(slots) == 10
    assert {(round(slot.width / MM, 3), round(slot.height / MM, 3)) for slot in slots} == {(85, 55)}
    assert all(0 < slot.x < slot.right < A4[0] and 0 < slot.y < slot.top < A4[1] for slot in slots)
    # Centred: 20 mm left and right, 11 mm top and bottom.
    assert round(min(slot.x for slot in slots) / MM, 3) == 20
    assert round(min(slot.y for slot in slots) / MM, 3) == 11
    # Cut lines: 3 vertical and 6 horizontal, a mark at both ends of each, all in the margins.
    lines = cut_marks(slots, 2 * MM)
    assert len(lines) == 2 * (3 + 6)
    grid = Box(20 * MM, 11 * MM, 170 * MM, 275 * MM)
    for (x1, y1), (x2, y2) in lines:
        for x, y in ((x1, y1), (x2, y2)):
            assert not (grid.x < x < grid.right and grid.y < y < grid.top)
            assert 0 <= x <= A4[0] and 0 <= y <= A4[1]


BRAND = read_brand(
    {
        "PATH": ".",  # no logo or photo to read
        "BRAND": {
            "name": "Dana Whitfield",
            "tagline": "Connected in Person",
            "website": "https://coach.example",
            "email": "dana@coach.example",
            "phone": "+1 555 0142",
            "accent_color": "#6b2d5c",
        },
    }
)
EVENT = SimpleNamespace(url="events/chamber-breakfast/", campaign="chamber-breakfast", name="Chamber breakfast")


def test_the_cards_qr_leads_to_the_event_page_or_to_the_site():
    assert card_qr_target("https://coach.example", None) == "https://coach.example/"
    assert card_qr_target("https://coach.example/", EVENT) == (
        "https://coach.example/events/chamber-breakfast/?utm_source=card&utm_campaign=chamber-breakfast"
    )
    assert "Dana Whitfield" in card_html(BRAND, "https://coach.example/", "coach.example")


def test_business_cards_pdf_has_ten_cards_whose_qr_codes_open_the_event_page(tmp_path):
    target = card_qr_target("https://coach.example", EVENT)
    data, slots = business_cards_pdf(BRAND, target, EVENT.name)
    path = tmp_path / "cards.pdf"
    path.write_bytes(data)
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    assert size_of(reader.pages[0]) == (round(A4[0], 1), round(A4[1], 1))
    assert len(slots) == 10
    assert qr_codes(path) == [target] * 10
    document = pypdfium2.PdfDocument(str(path))
    texts = [text_in(document, 0, slot) for slot in slots]
    document.close()
    for text in texts:  # each card whole inside its own box
        assert "Dana Whitfield" in text and "dana@coach.example" in text and "Chamber breakfast" in text
