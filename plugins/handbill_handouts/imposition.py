"""Print-shop output: booklets, trim marks with bleed, and n-up sheets (pypdf).

The geometry is plain functions of numbers (page order of a booklet, where a
page lands in its slot, where trim marks go), tested on their own; the pypdf
functions only apply it. Lengths are PDF points (1/72 inch); ``MM`` converts.

- ``booklet_pdf``: the pages two-up on sheets of the pages' size turned
  landscape (A4 pages: A5 halves of an A4 landscape sheet), in the order that
  gives a booklet when the sheets are printed double-sided (flip on the short
  edge), stacked, folded and stapled in the fold (saddle stitch).
- ``print_shop_pdf``: each page on a larger sheet with its TrimBox (the
  finished size) and BleedBox set, and trim marks outside the bleed.
- ``n_up_pdf``: one page repeated in a grid (the business cards), with trim
  marks at every cut line, in the sheet's margins.
"""

from dataclasses import dataclass
from io import BytesIO

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, ContentStream, FloatObject, NameObject

MM = 72 / 25.4
A4 = (210 * MM, 297 * MM)
# A print shop's usual bleed; marks start this far outside it so that none shows
# after a cut that is slightly off.
DEFAULT_BLEED_MM = 3.0
MARK_GAP = 2 * MM
MARK_LENGTH = 5 * MM
MARK_WIDTH = 0.25  # a hairline, as print shops expect


@dataclass(frozen=True)
class Box:
    """A rectangle in points, from its lower left corner."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self):
        return self.x + self.width

    @property
    def top(self):
        return self.y + self.height

    def grown(self, by):
        return Box(self.x - by, self.y - by, self.width + 2 * by, self.height + 2 * by)

    def as_pdf_array(self):
        return ArrayObject(FloatObject(round(value, 4)) for value in (self.x, self.y, self.right, self.top))


# -- geometry ---------------------------------------------------------------------


def booklet_sides(page_count):
    """(left, right) page numbers (from 1) of each printed side, sheet by sheet, front then back;
    None is a blank page, as the booklet is padded to a multiple of four pages.

    Eight pages: (8, 1), (2, 7), (6, 3), (4, 5): the outer sheet carries the first
    and last pages, the middle sheet the centre spread.
    """
    padded = -(-page_count // 4) * 4

    def page(number):
        return number if number <= page_count else None

    sides = []
    for sheet in range(padded // 4):
        sides.append((page(padded - 2 * sheet), page(2 * sheet + 1)))
        sides.append((page(2 * sheet + 2), page(padded - 2 * sheet - 1)))
    return sides


def fit_into(width, height, slot):
    """(scale, x, y): a ``width`` × ``height`` page scaled to fit ``slot``, centred in it,
    its lower left corner at (x, y). Never enlarged: a small page stays its size."""
    scale = min(1.0, slot.width / width, slot.height / height)
    return scale, slot.x + (slot.width - width * scale) / 2, slot.y + (slot.height - height * scale) / 2


def landscape(width, height):
    return max(width, height), min(width, height)


def grid_slots(sheet_size, item_size, columns, rows):
    """The boxes of ``columns`` × ``rows`` items touching one another, the grid centred on the
    sheet; row by row from the top left, as a reader counts them. Sizes are (width, height)."""
    (sheet_width, sheet_height), (item_width, item_height) = sheet_size, item_size
    left = (sheet_width - columns * item_width) / 2
    bottom = (sheet_height - rows * item_height) / 2
    return [
        Box(left + column * item_width, bottom + (rows - 1 - row) * item_height, item_width, item_height)
        for row in range(rows)
        for column in range(columns)
    ]


def trim_marks(trim, offset):
    """Lines ((x1, y1), (x2, y2)) marking the corners of the ``trim`` box, each starting
    ``offset`` outside it (past the bleed) and MARK_LENGTH long: nothing inside the bleed."""
    lines = []
    for x, outward_x in ((trim.x, -1), (trim.right, 1)):
        for y, outward_y in ((trim.y, -1), (trim.top, 1)):
            start_x, start_y = x + outward_x * offset, y + outward_y * offset
            lines.append(((start_x, y), (start_x + outward_x * MARK_LENGTH, y)))
            lines.append(((x, start_y), (x, start_y + outward_y * MARK_LENGTH)))
    return lines


def cut_marks(slots, offset):
    """Marks of every cut line of a grid of ``slots``, outside the grid: the shared edges
    between items are cut once, so each gets one mark at each end, in the sheet's margin."""
    grid = Box(
        min(slot.x for slot in slots),
        min(slot.y for slot in slots),
        max(slot.right for slot in slots) - min(slot.x for slot in slots),
        max(slot.top for slot in slots) - min(slot.y for slot in slots),
    )
    lines = []
    for x in sorted({round(edge, 4) for slot in slots for edge in (slot.x, slot.right)}):
        lines.append(((x, grid.y - offset), (x, grid.y - offset - MARK_LENGTH)))
        lines.append(((x, grid.top + offset), (x, grid.top + offset + MARK_LENGTH)))
    for y in sorted({round(edge, 4) for slot in slots for edge in (slot.y, slot.top)}):
        lines.append(((grid.x - offset, y), (grid.x - offset - MARK_LENGTH, y)))
        lines.append(((grid.right + offset, y), (grid.right + offset + MARK_LENGTH, y)))
    return lines


# -- PDF ----------------------------------------------------------------------------


def booklet_pdf(source):
    """``source`` (a path or PDF bytes) as a saddle-stitched booklet → PDF bytes."""
    pages = _reader(source).pages
    writer = PdfWriter()
    if not pages:
        return _bytes(writer)
    first = pages[0].mediabox
    sheet_width, sheet_height = landscape(float(first.width), float(first.height))
    halves = (Box(0, 0, sheet_width / 2, sheet_height), Box(sheet_width / 2, 0, sheet_width / 2, sheet_height))
    for side in booklet_sides(len(pages)):
        sheet = writer.add_blank_page(width=sheet_width, height=sheet_height)
        for number, half in zip(side, halves, strict=True):
            if number is not None:
                _place(sheet, pages[number - 1], half)
    return _bytes(writer)


def print_shop_pdf(source, bleed_mm=DEFAULT_BLEED_MM):
    """Each page of ``source`` centred on a sheet with room for ``bleed_mm`` of bleed and trim
    marks; TrimBox is the page as designed, BleedBox ``bleed_mm`` around it → PDF bytes.

    The handouts are white to their edges, so the bleed stays white: the boxes and
    marks are what a print shop's workflow needs to cut to the right size.
    """
    bleed = bleed_mm * MM
    margin = bleed + MARK_GAP + MARK_LENGTH + MARK_GAP
    writer = PdfWriter()
    for page in _reader(source).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        trim = Box(margin, margin, width, height)
        sheet = writer.add_blank_page(width=width + 2 * margin, height=height + 2 * margin)
        _place(sheet, page, trim)
        _stroke(writer, sheet, trim_marks(trim, bleed + MARK_GAP))
        sheet[NameObject("/TrimBox")] = trim.as_pdf_array()
        sheet[NameObject("/BleedBox")] = trim.grown(bleed).as_pdf_array()
    return _bytes(writer)


def n_up_pdf(source, columns, rows, sheet_size=A4):
    """The first page of ``source`` ``columns`` × ``rows`` times on a sheet, touching, with
    marks at every cut line → (PDF bytes, the slots as Boxes)."""
    item = _reader(source).pages[0]
    width, height = float(item.mediabox.width), float(item.mediabox.height)
    slots = grid_slots(sheet_size, (width, height), columns, rows)
    writer = PdfWriter()
    sheet = writer.add_blank_page(width=sheet_size[0], height=sheet_size[1])
    for slot in slots:
        _place(sheet, item, slot)
    _stroke(writer, sheet, cut_marks(slots, MARK_GAP))
    return _bytes(writer), slots


def _place(sheet, page, slot):
    box = page.mediabox
    scale, x, y = fit_into(float(box.width), float(box.height), slot)
    placing = Transformation().translate(-float(box.left), -float(box.bottom)).scale(scale).translate(x, y)
    sheet.merge_transformed_page(page, placing)


def _stroke(writer, page, lines):
    """Draw ``lines`` over the page in registration black (all four inks at full), so that
    the marks show on every printing plate."""
    commands = [f"q {MARK_WIDTH} w 0 J 1 1 1 1 K"]
    commands += [f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l S" for (x1, y1), (x2, y2) in lines]
    commands.append("Q")
    existing = page.get_contents()
    content = ContentStream(None, writer)
    content.set_data((existing.get_data() if existing is not None else b"") + "\n".join(["", *commands]).encode())
    page.replace_contents(content)


def _reader(source):
    return PdfReader(BytesIO(source) if isinstance(source, bytes) else source)


def _bytes(writer):
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
