"""The print pack: all handouts in one PDF, ready for double-sided printing.

Each handout starts on an odd page, i.e. on the front of a fresh sheet: when
the pages so far are odd in number, a blank page (the size of the page before
it) is put in. Each handout gets an outline entry, so a PDF viewer lists them.
"""

from io import BytesIO

from pypdf import PdfReader, PdfWriter


def pack_pdf(handouts, title, author, creation_date):
    """``handouts``: [(title, pdf path)] in print order → (PDF bytes, page count).

    ``creation_date`` is a PDF date string ("D:20261203000000+00'00'"), fixed
    by the caller so the same handouts give the same bytes.
    """
    writer = PdfWriter()
    for handout_title, pdf_path in handouts:
        if len(writer.pages) % 2:
            previous = writer.pages[-1].mediabox
            writer.add_blank_page(width=previous.width, height=previous.height)
        writer.append(PdfReader(pdf_path), outline_item=handout_title, import_outline=False)
    writer.add_metadata(
        {
            "/Title": title,
            "/Author": author,
            "/Creator": "Handbill handouts",
            "/CreationDate": creation_date,
            "/ModDate": creation_date,
        }
    )
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue(), len(writer.pages)
