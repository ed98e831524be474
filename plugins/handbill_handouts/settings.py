"""The plugin's settings, read and checked once per build.

Every option and its default is documented in this plugin's README.md. A bad
value raises ``HandoutSettingsError`` whose messages name the setting at fault.
"""

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from .selection import event_slug, parse_page_size

HANDOUTS_DEFAULTS = {
    "output_dir": "handouts",
    "page_size": "A4",
    "page_budget": 2,
    "select_tags": [],
    "select_categories": [],
    "pdf_variant": None,
    "workers": None,
    "site_url": None,
    "preview_width": 300,
}

BRAND_DEFAULTS = {
    "name": None,  # None: the site's AUTHOR
    "tagline": "",
    "website": "",
    "email": "",
    "phone": "",
    "logo": None,
    "accent_color": "#1f4e79",
    "fonts": {"body": "Source Serif 4", "headings": "Source Sans 3"},
    "footer_line": "",
}

PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2")

_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
_FONT_FAMILY = re.compile(r"[A-Za-z0-9][A-Za-z0-9 \-]*")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class HandoutSettingsError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Brand:
    name: str
    tagline: str
    website: str
    email: str
    phone: str
    logo: Path | None
    logo_bytes: bytes
    accent_color: str
    body_font: str
    headings_font: str
    footer_line: str


@dataclass(frozen=True)
class Event:
    name: str
    date: datetime.date | None
    slug: str


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
    event: Event | None
    print_pack: bool
    content_path: Path
    output_path: Path
    cache_path: Path
    date_format: str


def _is_absolute_url(value):
    return isinstance(value, str) and re.match(r"https?://[^/\s]+", value) is not None


def _merged(settings, name, defaults, problems):
    given = settings.get(name) or {}
    if not isinstance(given, dict):
        problems.append(f"{name} must be a dict, not {type(given).__name__}")
        return dict(defaults)
    for key in given:
        if key not in defaults:
            problems.append(f'{name}["{key}"] is not a known option ({", ".join(defaults)})')
    return {**defaults, **given}


def _read_logo(value, content_path, problems):
    """The logo file and its bytes; SVG or PNG, checked by content, not by name."""
    if not value:
        return None, b""
    if not isinstance(value, str):
        problems.append(f'HANDOUT_BRAND["logo"] must be a file name, not {value!r}')
        return None, b""
    path = Path(value) if os.path.isabs(value) else content_path / value
    setting = f'HANDOUT_BRAND["logo"] ({value!r})'
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
            root = ElementTree.fromstring(data)
        except ElementTree.ParseError as error:
            problems.append(f"{setting}: {path} is not a readable SVG image ({error})")
            return None, b""
        if not root.tag.endswith("svg"):
            problems.append(f"{setting}: {path} is not an SVG image (its root is <{root.tag}>)")
            return None, b""
    else:
        problems.append(f"{setting}: the logo must be an .svg or .png file")
        return None, b""
    return path, data


def _read_brand(settings, problems):
    values = _merged(settings, "HANDOUT_BRAND", BRAND_DEFAULTS, problems)
    text_fields = ("tagline", "website", "email", "phone", "footer_line")
    for key in text_fields:
        if not isinstance(values[key], str):
            problems.append(f'HANDOUT_BRAND["{key}"] must be text')
            values[key] = ""
    name = values["name"] if values["name"] is not None else settings.get("AUTHOR") or ""
    if not isinstance(name, str) or not name.strip():
        problems.append('HANDOUT_BRAND["name"] must be the owner\'s name (or set AUTHOR)')
        name = ""
    if values["website"] and not _is_absolute_url(values["website"]):
        problems.append(
            f'HANDOUT_BRAND["website"] must be an absolute http(s) address, '
            f"not {values['website']!r}"
        )
    accent = values["accent_color"]
    if not isinstance(accent, str) or not _HEX_COLOUR.fullmatch(accent):
        problems.append(
            f'HANDOUT_BRAND["accent_color"] must be a hex colour such as "#1f4e79", not {accent!r}'
        )
        accent = BRAND_DEFAULTS["accent_color"]
    fonts = values["fonts"]
    if not isinstance(fonts, dict):
        problems.append('HANDOUT_BRAND["fonts"] must be a dict with "body" and "headings"')
        fonts = {}
    fonts = {**BRAND_DEFAULTS["fonts"], **fonts}
    for role, family in fonts.items():
        if role not in BRAND_DEFAULTS["fonts"]:
            problems.append(f'HANDOUT_BRAND["fonts"]["{role}"] is not a known role (body, headings)')
        elif not isinstance(family, str) or not _FONT_FAMILY.fullmatch(family):
            problems.append(
                f'HANDOUT_BRAND["fonts"]["{role}"] must be a font family name, not {family!r}'
            )
            fonts[role] = BRAND_DEFAULTS["fonts"][role]
    logo, logo_bytes = _read_logo(values["logo"], Path(settings["PATH"]), problems)
    return Brand(
        name=name.strip(),
        tagline=values["tagline"],
        website=values["website"].rstrip("/"),
        email=values["email"],
        phone=values["phone"],
        logo=logo,
        logo_bytes=logo_bytes,
        accent_color=accent,
        body_font=fonts["body"],
        headings_font=fonts["headings"],
        footer_line=values["footer_line"],
    )


def _read_event(settings, problems):
    value = settings.get("HANDOUT_EVENT")
    if not value:
        return None
    if not isinstance(value, dict) or not str(value.get("name", "")).strip():
        problems.append('HANDOUT_EVENT must be a dict with a "name" (and a "date", YYYY-MM-DD)')
        return None
    date = None
    if value.get("date"):
        try:
            date = datetime.date.fromisoformat(str(value["date"]))
        except ValueError:
            problems.append(f'HANDOUT_EVENT["date"] must be YYYY-MM-DD, not {value["date"]!r}')
    name = str(value["name"]).strip()
    return Event(name=name, date=date, slug=event_slug(name, date.isoformat() if date else ""))


def _qr_site_url(settings, handouts, brand, problems):
    """The absolute address posts are published at: SITEURL when it is
    absolute, else HANDOUTS["site_url"], else the brand's website."""
    for candidate in (settings.get("SITEURL"), handouts["site_url"], brand.website):
        if _is_absolute_url(candidate):
            return candidate.rstrip("/")
    if handouts["site_url"]:
        problems.append(
            f'HANDOUTS["site_url"] must be an absolute http(s) address, '
            f"not {handouts['site_url']!r}"
        )
    else:
        problems.append(
            'the QR codes need the site\'s absolute address: SITEURL is relative, so set '
            'HANDOUTS["site_url"] or HANDOUT_BRAND["website"]'
        )
    return ""


def _positive_int(handouts, key, problems, allow_none=False):
    value = handouts[key]
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        problems.append(f'HANDOUTS["{key}"] must be a whole number of at least 1, not {value!r}')
        return HANDOUTS_DEFAULTS[key] or 1
    return value


def _names(handouts, key, problems):
    value = handouts[key]
    if not isinstance(value, (list, tuple)) or not all(isinstance(name, str) for name in value):
        problems.append(f'HANDOUTS["{key}"] must be a list of names')
        return ()
    return tuple(value)


def requested_selection(settings):
    """(select_tags, select_categories) as set, or None when they are malformed.

    Enough to tell whether any post asks for a handout, and so whether the
    other settings matter: a site with no handouts (a test site, say) needs no
    logo.
    """
    handouts = settings.get("HANDOUTS") or {}
    if not isinstance(handouts, dict):
        return None
    problems = []
    merged = {**HANDOUTS_DEFAULTS, **handouts}
    selection = (_names(merged, "select_tags", problems), _names(merged, "select_categories", problems))
    return None if problems else selection


def read_settings(settings):
    """Pelican's settings → ``HandoutSettings``; raises HandoutSettingsError."""
    problems = []
    handouts = _merged(settings, "HANDOUTS", HANDOUTS_DEFAULTS, problems)
    brand = _read_brand(settings, problems)
    try:
        page_size = parse_page_size(handouts["page_size"])
    except ValueError as error:
        problems.append(f'HANDOUTS["page_size"]: {error}')
        page_size = "A4"
    variant = handouts["pdf_variant"]
    if variant is not None and variant not in PDF_VARIANTS:
        problems.append(
            f'HANDOUTS["pdf_variant"] must be None or one of {", ".join(PDF_VARIANTS)}, '
            f"not {variant!r}"
        )
    output_dir = str(handouts["output_dir"]).strip("/")
    if not output_dir or ".." in Path(output_dir).parts:
        problems.append(f'HANDOUTS["output_dir"] must be a folder inside the output, not {output_dir!r}')
    workers = _positive_int(handouts, "workers", problems, allow_none=True)
    settings_object = HandoutSettings(
        output_dir=output_dir,
        page_size=page_size,
        page_budget=_positive_int(handouts, "page_budget", problems),
        select_tags=_names(handouts, "select_tags", problems),
        select_categories=_names(handouts, "select_categories", problems),
        pdf_variant=variant,
        workers=workers or len(os.sched_getaffinity(0)),
        site_url=_qr_site_url(settings, handouts, brand, problems),
        preview_width=_positive_int(handouts, "preview_width", problems),
        brand=brand,
        event=_read_event(settings, problems),
        print_pack=bool(settings.get("HANDOUT_PRINT_PACK", False)),
        content_path=Path(settings["PATH"]),
        output_path=Path(settings["OUTPUT_PATH"]),
        cache_path=Path(settings["CACHE_PATH"]) / "handouts",
        date_format=settings.get("DEFAULT_DATE_FORMAT", "%Y-%m-%d"),
    )
    if problems:
        raise HandoutSettingsError(problems)
    return settings_object
