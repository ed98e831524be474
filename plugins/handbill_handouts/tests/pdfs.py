"""Reading handouts back: text, QR codes, fonts (shared by the tests)."""

import re

import pypdfium2
import zxingcpp
from pypdf import PdfReader

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def page_size(page):
    box = page.mediabox
    return (round(float(box.width), 2), round(float(box.height), 2))


def page_texts(path):
    return [page.extract_text() for page in PdfReader(path).pages]


def flat(text):
    """Text without white space, to find a URL the layout wrapped over lines."""
    return re.sub(r"\s+", "", text)


def qr_codes(path, page_number=0, dpi=200):
    document = pypdfium2.PdfDocument(str(path))
    try:
        image = document[page_number].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    return [code.text for code in zxingcpp.read_barcodes(image)]


def embedded_font_names(path):
    """Base names of the fonts used; raises AssertionError for one not embedded."""
    names = set()
    for page in PdfReader(path).pages:
        fonts = page["/Resources"].get("/Font", {})
        for reference in fonts.values():
            font = reference.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            descriptor = descriptor.get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
            names.add(str(font["/BaseFont"]).split("+")[-1])
    return names
