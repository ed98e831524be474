"""Business cards: 85 × 55 mm, ten to an A4 sheet, with trim marks at every cut.

One card is rendered by WeasyPrint (the brand's name, tagline, contact details
and a QR code), then repeated on the sheet by ``imposition.n_up_pdf``. The QR
leads to the event's page when the cards are for an event, else to the site:
always the static site, so a printed card never depends on the comment service.
"""

from html import escape

from weasyprint import HTML

from handbill_brand import shipped_faces
from handbill_brand.typefaces import FONTS_DIR

from .addresses import local_url
from .fetcher import LocalFileFetcher
from .imposition import n_up_pdf
from .rendering import FALLBACK_STACKS, css_string, font_url, qr_data_uri
from .selection import absolute_post_url, readable_address

CARD_SIZE_MM = (85, 55)
COLUMNS, ROWS = 2, 5  # 170 × 275 mm on 210 × 297 mm: room in the margins for the marks
CARDS_NAME = "business-cards.pdf"
# utm_source of a card's QR, so the report tells cards from handouts of the same event.
CARD_SOURCE = "card"


def card_qr_target(site_url, event=None):
    """The address in the cards' QR code: the event's page tagged with its campaign, else the site."""
    if event is None:
        return f"{site_url.rstrip('/')}/"
    page = absolute_post_url(site_url, event.url)
    return f"{page}?utm_source={CARD_SOURCE}&utm_campaign={event.campaign}"


def card_html(brand, qr_target, caption):
    """One card's page as HTML; ``caption`` is printed under the QR code."""
    faces = shipped_faces([brand.fonts.body, brand.fonts.headings])
    font_rules = "\n".join(
        f"@font-face {{ font-family: {css_string(face.family)}; font-weight: {face.weight}; "
        f"font-style: {face.style}; src: url({css_string(font_url(face))}); }}"
        for face in faces
    )
    contact = [readable_address(brand.website).rstrip("/") if brand.website else "", brand.email, brand.phone]
    logo_file = brand.logo_file
    logo = f'<img class="logo" src="{escape(local_url("logo", logo_file.name))}" alt="">' if logo_file else ""
    width, height = CARD_SIZE_MM
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{escape(brand.name)}</title><style>
{font_rules}
@page {{ size: {width}mm {height}mm; margin: 0; }}
body {{ margin: 0; width: {width}mm; height: {height}mm; position: relative;
  font-family: {css_string(brand.fonts.body)}, {FALLBACK_STACKS["body"]}; color: #222; }}
.text {{ position: absolute; left: 5mm; top: 5mm; width: 48mm; }}
.logo {{ display: block; height: 8mm; max-width: 40mm; margin-bottom: 2.5mm; }}
.name {{ font-family: {css_string(brand.fonts.headings)}, {FALLBACK_STACKS["headings"]};
  font-weight: 700; font-size: 12pt; margin: 0; }}
.tagline {{ color: {brand.accent_color}; font-size: 8pt; margin: 0.5mm 0 2.5mm; }}
.contact {{ font-size: 7.5pt; line-height: 1.35; margin: 0; }}
.qr {{ position: absolute; right: 5mm; top: 8mm; width: 24mm; text-align: center; }}
.qr img {{ width: 24mm; height: 24mm; display: block; }}
.caption {{ font-size: 6pt; margin-top: 1mm; color: #444; }}
.rule {{ position: absolute; left: 5mm; right: 5mm; bottom: 5mm; border-top: 0.6mm solid {brand.accent_color}; }}
</style></head><body>
<div class="text">{logo}
<p class="name">{escape(brand.name)}</p>
{f'<p class="tagline">{escape(brand.tagline)}</p>' if brand.tagline else ""}
<p class="contact">{"<br>".join(escape(line) for line in contact if line)}</p>
</div>
<div class="qr"><img src="{qr_data_uri(qr_target)}" alt=""><div class="caption">{escape(caption)}</div></div>
<div class="rule"></div>
</body></html>"""


def business_cards_pdf(brand, qr_target, caption):
    """A sheet of ten cards → (PDF bytes, the cards' boxes on the sheet in points)."""
    folders = {"fonts": FONTS_DIR}
    if brand.logo_file:
        folders["logo"] = brand.logo_file.parent
    card = HTML(string=card_html(brand, qr_target, caption), url_fetcher=LocalFileFetcher(folders)).write_pdf()
    return n_up_pdf(card, COLUMNS, ROWS)
