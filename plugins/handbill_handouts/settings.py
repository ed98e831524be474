"""The plugin's settings, read and checked once per build.

HANDOUTS, HANDOUT_EVENT, HANDOUT_PRINT_PACK and HANDOUT_PRINT_SHOP are declared
below with their defaults; README.md's tables are generated from them. The
brand (BRAND) comes from the handbill_brand plugin's loader. A bad value
raises ``HandoutSettingsError`` whose messages name the setting at fault.
"""

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path

from handbill.core.cores import usable_cores
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
from handbill_brand import Brand, BrandError, brand_in

from .selection import parse_page_size

PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2")

_ABSOLUTE_URL = r"https?://[^/\s]+.*"
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


def _qr_site_url(settings, handouts, brand, problems):
    """The absolute address posts are published at: SITEURL when it is
    absolute, else HANDOUTS["site_url"], else the brand's website."""
    for candidate in (settings.get("SITEURL"), handouts.site_url, brand.website):
        if _is_absolute_url(candidate):
            return candidate.rstrip("/")
    if not handouts.site_url:
        problems.append(
            "the QR codes need the site's absolute address: SITEURL is relative, so set "
            'HANDOUTS["site_url"] or BRAND["website"]'
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
    """Pelican's settings, or its context (which holds them and keeps the brand read once
    per build) → ``HandoutSettings``; raises HandoutSettingsError, BRAND's problems included."""
    given, problems = _given(settings)
    handouts = given.HANDOUTS
    try:
        brand = brand_in(settings)
    except BrandError as error:
        problems.extend(error.problems)
        brand = error.settings
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
