"""The plugin's settings, read and checked once per build.

HANDOUTS, HANDOUT_BRAND, HANDOUT_EVENT, HANDOUT_PRINT_PACK and HANDOUT_PRINT_SHOP are declared
below with their defaults; README.md's tables are generated from them. A bad
value raises ``HandoutSettingsError`` whose messages name the setting at fault.
"""

import dataclasses
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from handbill.core.settings import (
    SettingsError,
    at_least,
    between,
    collect_settings,
    described,
    matches,
    one_of,
    setting,
)

from .cores import usable_cores
from .selection import parse_page_size

PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2")

_ABSOLUTE_URL = r"https?://[^/\s]+.*"
_HEX_COLOUR = r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})"
_FONT_FAMILY = r"[A-Za-z0-9][A-Za-z0-9 \-]*"
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_AT_LEAST_ONE = "a whole number of at least 1"


class HandoutSettingsError(SettingsError):
    pass


def _page_size(value):
    try:
        parse_page_size(value)
    except ValueError as error:
        return f"must be a known page size: {error}"
    return None


def _output_folder(value):
    folder = value.strip("/")
    if not folder or ".." in Path(folder).parts:
        return f"must be a folder inside the output, not {value!r}"
    return None


@dataclass(frozen=True)
class HandoutOptions:
    output_dir: str = setting(
        "handouts",
        "folder in the output for PDFs, previews, the index page and event editions",
        _output_folder,
        example="print",
    )
    page_size: str = setting(
        "A4",
        '`"A4"` or `"Letter"`; a post may override it with `Handout-Page-Size`',
        _page_size,
        example="Letter",
    )
    page_budget: int = setting(
        2,
        "pages a handout should fit in; a longer one is built, with a warning naming the post and its page count",
        at_least(1, _AT_LEAST_ONE),
        expect=_AT_LEAST_ONE,
        example=4,
    )
    select_tags: tuple[str, ...] = setting(
        (),
        "posts with one of these tags get a handout without `Handout: yes`",
        expect="a list of names",
        example=["guides"],
    )
    select_categories: tuple[str, ...] = setting(
        (), "the same for categories", expect="a list of names", example=["Workshops"]
    )
    pdf_variant: str | None = setting(
        None,
        '`"pdf/ua-1"` (or `"pdf/ua-2"`): tagged, accessible PDFs (WeasyPrint\'s PDF/UA)',
        one_of(*PDF_VARIANTS),
        example="pdf/ua-1",
    )
    workers: int | None = setting(
        None,
        "rendering processes; `None` is one per core",
        at_least(1, _AT_LEAST_ONE),
        expect=f"None or {_AT_LEAST_ONE}",
        example=1,
    )
    site_url: str | None = setting(
        None,
        "the site's absolute address for the QR codes while `SITEURL` is relative",
        matches(_ABSOLUTE_URL, "an absolute http(s) address"),
        example="https://connected-in-person.example",
    )
    preview_width: int = setting(
        300,
        "width in pixels of the first-page preview",
        at_least(1, _AT_LEAST_ONE),
        expect=_AT_LEAST_ONE,
        example=400,
    )


_font = matches(_FONT_FAMILY, "a font family name")


@dataclass(frozen=True)
class Fonts:
    body: str = setting("Source Serif 4", "font family of the text", _font, example="Liberation Serif")
    headings: str = setting(
        "Source Sans 3",
        "font family of the headings; these two ship with the plugin, any other must be installed "
        "(fontconfig), with DejaVu as fallback",
        _font,
        example="Source Serif 4",
    )


@dataclass(frozen=True)
class BrandOptions:
    name: str | None = setting(None, "the owner's name, on every page", shown="`AUTHOR`", example="Dana Whitfield")
    tagline: str = setting("", "under the name on page 1", example="Connected in Person")
    website: str = setting(
        "",
        "absolute address; printed without `https://` on every page",
        matches(_ABSOLUTE_URL, "an absolute http(s) address", allow_empty=True),
        example="https://connected-in-person.example",
    )
    email: str = setting("", "on page 1", example="dana@connected-in-person.example")
    phone: str = setting("", "on page 1", example="+1 555 0142")
    logo: str | None = setting(
        None,
        "SVG or PNG, relative to `content/` (or absolute); must be readable",
        expect="a file name",
        example="images/logo.svg",
    )
    photo: str | None = setting(
        None,
        "the owner's portrait for the closing panel's full size, SVG or PNG, relative to `content/` (or absolute)",
        expect="a file name",
        example="images/portrait.svg",
    )
    accent_color: str = setting(
        "#1f4e79",
        "hex colour of rules, headings of notes, header line",
        matches(_HEX_COLOUR, 'a hex colour such as "#1f4e79"'),
        example="#6b2d5c",
    )
    fonts: Fonts = field(default_factory=Fonts)
    footer_line: str = setting("", "a line in every page's footer", example="Please pass this on")
    bio: str = setting(
        "",
        "one line about the owner, in the panel that closes a handout's last page",
        example="I help consultants turn one good conversation into ten years of referrals.",
    )
    call_to_action: str = setting(
        "",
        "what a reader should do next, in the same closing panel",
        example="Book a free 20-minute call: dana@connected-in-person.example",
    )


@dataclass(frozen=True)
class PrintShopOptions:
    booklet: bool = setting(
        False,
        "also write `print-pack-booklet.pdf`: the pack as a folded booklet, two pages on each side of a "
        "landscape sheet (A4 pages: A5 on A4) in saddle-stitch order, padded with blank pages to a multiple of 4",
        example=True,
    )
    bleed_mm: float | None = setting(
        None,
        "also write `print-pack-print-shop.pdf`: every page with this much bleed (its TrimBox and BleedBox "
        "set) and trim marks outside it, for a print shop; `None`: not written",
        between(0, 10, "from 0 to 10 (millimetres)"),
        expect="None or a number of millimetres",
        example=3,
    )
    cards: bool = setting(
        False,
        "also write `business-cards.pdf`: ten 85 × 55 mm cards on A4 with the brand's name, contact details "
        "and a QR code to the site (to the event's page with an event), trim marks at every cut",
        example=True,
    )


@dataclass(frozen=True)
class GivenHandoutSettings:
    """The plugin's top-level Pelican settings, as the user wrote them."""

    HANDOUTS: HandoutOptions = field(default_factory=HandoutOptions)
    HANDOUT_BRAND: BrandOptions = field(default_factory=BrandOptions)
    HANDOUT_EVENT: str | None = setting(
        None,
        "the slug of an event (`content/events/<slug>.md`, see the handbill_events plugin) whose print pack "
        "to write; set by `invoke handouts --event SLUG` for one run",
        example="chamber-breakfast",
    )
    HANDOUT_PRINT_PACK: bool = setting(
        False,
        "also write `print-pack.pdf`: every handout (the event's, if any) in one PDF, each starting on an "
        "odd page (blank pages put in), for double-sided printing; set by `invoke handouts` for one run",
        example=True,
    )
    HANDOUT_PRINT_SHOP: PrintShopOptions = field(
        default_factory=PrintShopOptions,
        metadata=described(
            "print-shop versions of the print pack, and business cards (keys below); set by "
            "`invoke handouts --booklet --bleed 3 --cards` for one run",
            example={"booklet": True},
        ),
    )


@dataclass(frozen=True)
class Brand:
    name: str
    tagline: str
    website: str
    email: str
    phone: str
    logo: Path | None
    logo_bytes: bytes
    photo: Path | None
    photo_bytes: bytes
    accent_color: str
    body_font: str
    headings_font: str
    footer_line: str
    bio: str
    call_to_action: str


@dataclass(frozen=True)
class HandoutSettings:
    output_dir: str
    page_size: str
    page_budget: int
    select_tags: tuple
    select_categories: tuple
    pdf_variant: str | None
    workers: int
    site_url: str
    preview_width: int
    brand: Brand
    event: str | None  # the slug of the event whose print pack to write
    print_pack: bool
    print_shop: PrintShopOptions
    content_path: Path
    output_path: Path
    cache_path: Path
    date_format: str


def _is_absolute_url(value):
    return isinstance(value, str) and re.match(r"https?://[^/\s]+", value) is not None


def _read_brand_image(key, value, content_path, problems):
    """The brand image file of HANDOUT_BRAND[``key``] and its bytes; SVG or PNG, checked by
    content, not by name."""
    if not value:
        return None, b""
    if not isinstance(value, str):
        problems.append(f'HANDOUT_BRAND["{key}"] must be a file name, not {value!r}')
        return None, b""
    path = Path(value) if os.path.isabs(value) else content_path / value
    setting = f'HANDOUT_BRAND["{key}"] ({value!r})'
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(f"{setting}: cannot read {path}: {error.strerror or error}")
        return None, b""
    if path.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE):
            problems.append(f"{setting}: {path} is not a PNG image")
            return None, b""
    elif path.suffix.lower() == ".svg":
        try:
            root = ET.fromstring(data)
        except ET.ParseError as error:
            problems.append(f"{setting}: {path} is not a readable SVG image ({error})")
            return None, b""
        if not root.tag.endswith("svg"):
            problems.append(f"{setting}: {path} is not an SVG image (its root is <{root.tag}>)")
            return None, b""
    else:
        problems.append(f"{setting}: it must be an .svg or .png file")
        return None, b""
    return path, data


def _brand(given, settings, problems):
    name = given.name if given.name is not None else settings.get("AUTHOR") or ""
    if not isinstance(name, str) or not name.strip():
        problems.append('HANDOUT_BRAND["name"] must be the owner\'s name (or set AUTHOR)')
        name = ""
    logo, logo_bytes = _read_brand_image("logo", given.logo, Path(settings["PATH"]), problems)
    photo, photo_bytes = _read_brand_image("photo", given.photo, Path(settings["PATH"]), problems)
    return Brand(
        name=name.strip(),
        tagline=given.tagline,
        website=given.website.rstrip("/"),
        email=given.email,
        phone=given.phone,
        logo=logo,
        logo_bytes=logo_bytes,
        photo=photo,
        photo_bytes=photo_bytes,
        accent_color=given.accent_color,
        body_font=given.fonts.body,
        headings_font=given.fonts.headings,
        footer_line=given.footer_line,
        bio=given.bio.strip(),
        call_to_action=given.call_to_action.strip(),
    )


def _qr_site_url(settings, handouts, brand, problems):
    """The absolute address posts are published at: SITEURL when it is
    absolute, else HANDOUTS["site_url"], else the brand's website."""
    for candidate in (settings.get("SITEURL"), handouts.site_url, brand.website):
        if _is_absolute_url(candidate):
            return candidate.rstrip("/")
    if not handouts.site_url:
        problems.append(
            "the QR codes need the site's absolute address: SITEURL is relative, so set "
            'HANDOUTS["site_url"] or HANDOUT_BRAND["website"]'
        )
    return ""


def _given(settings):
    """The plugin's settings as written; an empty HANDOUT_EVENT means no event."""
    keys = [field.name for field in dataclasses.fields(GivenHandoutSettings)]
    given = {key: settings[key] for key in keys if key in settings}
    if not given.get("HANDOUT_EVENT"):
        given.pop("HANDOUT_EVENT", None)
    return collect_settings(GivenHandoutSettings, given)


def requested_selection(settings):
    """(select_tags, select_categories) as set, or None when they are malformed.

    Enough to tell whether any post asks for a handout, and so whether the
    other settings matter: a site with no handouts (a test site, say) needs no
    logo.
    """
    given = settings.get("HANDOUTS")
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return None
    # Only the two selection keys: a mistake elsewhere in HANDOUTS does not hide the selection.
    selection = {key: given[key] for key in ("select_tags", "select_categories") if key in given}
    handouts, problems = collect_settings(HandoutOptions, selection, "HANDOUTS")
    return None if problems else (handouts.select_tags, handouts.select_categories)


def read_settings(settings):
    """Pelican's settings → ``HandoutSettings``; raises HandoutSettingsError."""
    given, problems = _given(settings)
    handouts = given.HANDOUTS
    brand = _brand(given.HANDOUT_BRAND, settings, problems)
    settings_object = HandoutSettings(
        output_dir=handouts.output_dir.strip("/"),
        page_size=parse_page_size(handouts.page_size),
        page_budget=handouts.page_budget,
        select_tags=handouts.select_tags,
        select_categories=handouts.select_categories,
        pdf_variant=handouts.pdf_variant,
        workers=handouts.workers or usable_cores(),
        site_url=_qr_site_url(settings, handouts, brand, problems),
        preview_width=handouts.preview_width,
        brand=brand,
        event=given.HANDOUT_EVENT,
        print_pack=given.HANDOUT_PRINT_PACK,
        print_shop=given.HANDOUT_PRINT_SHOP,
        content_path=Path(settings["PATH"]),
        output_path=Path(settings["OUTPUT_PATH"]),
        cache_path=Path(settings["CACHE_PATH"]) / "handouts",
        date_format=settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d"),
    )
    if problems:
        raise HandoutSettingsError(problems, settings_object)
    return settings_object
