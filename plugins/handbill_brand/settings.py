"""BRAND: the owner's brand, read and checked once per build, for the site and the handouts.

``BrandOptions`` declares every key with its default (README.md's table is
generated from it). ``read_brand`` turns Pelican's settings into a ``Brand``
or raises ``BrandError`` naming every problem, the old setting names
(HANDOUT_BRAND, HANDBILL_LOGO) included. ``brand_in`` keeps the result in
Pelican's context, where templates find it as ``brand`` and the handouts
plugin takes it from.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from handbill.core.settings import SettingsError, collect_settings, matches, setting

from .fallbacks import FallbackFace, fallback_faces
from .typefaces import GENERIC_FAMILIES, shipped_faces

SETTING = "BRAND"
_ABSOLUTE_URL = r"https?://[^/\s]+.*"
_HEX_COLOUR = r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})"
_FONT_FAMILY = r"[A-Za-z0-9][A-Za-z0-9 \-]*"
# An address of its own (https:, mailto:, tel:) or a path of this site relative to its root.
_LINK_WITH_SCHEME = re.compile(r"(?:https?://[^/\s]+|mailto:[^\s]+|tel:[+0-9][0-9 ()\-]*)\S*")
_SITE_PATH = re.compile(r"[A-Za-z0-9_\-.~/#?=&%]+")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Where the site's copies of the brand's files go, under THEME_STATIC_DIR.
IMAGES_FOLDER = "brand"
FONTS_FOLDER = "fonts"

# Settings that BRAND replaced: a build that still has one stops and says what to do.
RENAMED = {
    "HANDOUT_BRAND": "HANDOUT_BRAND is now called BRAND (one brand for the site and the handouts): rename it in "
    "your settings file (plugins/handbill_brand/README.md)",
    "HANDBILL_LOGO": 'HANDBILL_LOGO is now BRAND["logo"] (a file relative to content/): move its value there and '
    "remove HANDBILL_LOGO from your settings file (plugins/handbill_brand/README.md)",
}


class BrandError(SettingsError):
    pass


def _call_to_action_link(value):
    if _LINK_WITH_SCHEME.fullmatch(value) or (_SITE_PATH.fullmatch(value) and not value.startswith("/")):
        return None
    return (
        "must be an https://, mailto: or tel: address, or a path of this site relative to its root "
        f"(such as \"about/\"), not {value!r}"
    )


_font = matches(_FONT_FAMILY, "a font family name")


@dataclass(frozen=True)
class Fonts:
    body: str = setting("Source Serif 4", "font family of the text", _font, example="Liberation Serif")
    headings: str = setting(
        "Source Sans 3",
        "font family of the headings. These two ship with Handbill: the handouts embed them and the site "
        "serves WOFF2 subsets of them. Any other family must be installed (fontconfig) for the handouts, and "
        "the site shows it only where the reader has it (one warning says so)",
        _font,
        example="Source Serif 4",
    )


@dataclass(frozen=True)
class BrandOptions:
    name: str | None = setting(
        None, "the owner's name, on every handout page and in the author box", shown="`AUTHOR`",
        example="Dana Whitfield",
    )
    tagline: str = setting("", "under the name on page 1 and in the author box", example="Connected in Person")
    website: str = setting(
        "",
        "absolute address; printed without `https://` on every handout page",
        matches(_ABSOLUTE_URL, "an absolute http(s) address", allow_empty=True),
        example="https://connected-in-person.example",
    )
    email: str = setting("", "on handout page 1 and in the author box", example="dana@connected-in-person.example")
    phone: str = setting("", "the same", example="+1 555 0142")
    logo: str | None = setting(
        None,
        "SVG or PNG, relative to `content/` (or absolute); must be readable. The site's header logo and favicon, "
        "and the handouts' masthead",
        expect="a file name",
        example="images/logo.svg",
    )
    photo: str | None = setting(
        None,
        "the owner's portrait (author box, the handouts' closing panel), SVG or PNG, relative to `content/` "
        "(or absolute)",
        expect="a file name",
        example="images/portrait.svg",
    )
    accent_color: str = setting(
        "#1f4e79",
        "hex colour of the site's links and rules (the CSS custom property `--accent`) and of the handouts' "
        "rules and note headings",
        matches(_HEX_COLOUR, 'a hex colour such as "#1f4e79"'),
        example="#6b2d5c",
    )
    fonts: Fonts = field(default_factory=Fonts)
    footer_line: str = setting("", "a line in every handout page's footer", example="Please pass this on")
    bio: str = setting(
        "",
        "one line about the owner, in the author box and the panel that closes a handout's last page",
        example="I help consultants turn one good conversation into ten years of referrals.",
    )
    call_to_action: str = setting(
        "",
        "what a reader should do next, in the author box and the same closing panel",
        example="Book a free 20-minute call",
    )
    call_to_action_link: str = setting(
        "",
        'where the call to action leads on the site: an https://, mailto: or tel: address, or a page of the '
        'site relative to its root such as `"about/"`',
        _call_to_action_link,
        example="mailto:dana@connected-in-person.example?subject=A%2020-minute%20call",
    )
    author_box: bool = setting(
        True, "show the author box (photo, bio, call to action, contact) under posts and on the About page",
        example=False,
    )


@dataclass(frozen=True)
class WebFont:
    """One face of the site's web fonts: a WOFF2 subset of a shipped TrueType file."""

    family: str
    weight: int
    style: str
    url: str  # relative to the site's root
    source: Path  # the shipped TrueType file it is made from
    preload: bool  # the body text's regular face, which every page needs first


@dataclass(frozen=True)
class Brand:
    """The checked brand. Templates read it as ``brand``; paths are the site's, relative to its root."""

    name: str
    tagline: str
    website: str
    email: str
    phone: str
    logo: str  # the site's copy, "" for none
    logo_file: Path | None
    logo_bytes: bytes
    photo: str
    photo_file: Path | None
    photo_bytes: bytes
    accent_color: str
    fonts: Fonts
    footer_line: str
    bio: str
    call_to_action: str
    call_to_action_link: str
    call_to_action_on_site: bool  # the link is a path of this site: put SITEURL before it
    author_box: bool
    web_fonts: tuple[WebFont, ...]
    fallback_faces: tuple[FallbackFace, ...]  # local fonts sized as the web fonts, until those load

    def font_family(self, family):
        """The CSS font-family list of ``family`` followed by its fallback faces' families."""
        families = [family, *dict.fromkeys(face.family for face in self.fallback_faces if face.brand_family == family)]
        return ", ".join(f'"{name}"' for name in families)


def _read_image(key, value, content_path, problems):
    """The brand image file of BRAND[``key``] and its bytes; SVG or PNG, checked by content, not by name."""
    if not value:
        return None, b""
    path = Path(value) if os.path.isabs(value) else content_path / value
    where = f'{SETTING}["{key}"] ({value!r})'
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.append(f"{where}: cannot read {path}: {error.strerror or error}")
        return None, b""
    if path.suffix.lower() == ".png":
        if not data.startswith(_PNG_SIGNATURE):
            problems.append(f"{where}: {path} is not a PNG image")
            return None, b""
    elif path.suffix.lower() == ".svg":
        try:
            root = ET.fromstring(data)
        except ET.ParseError as error:
            problems.append(f"{where}: {path} is not a readable SVG image ({error})")
            return None, b""
        if not root.tag.endswith("svg"):
            problems.append(f"{where}: {path} is not an SVG image (its root is <{root.tag}>)")
            return None, b""
    else:
        problems.append(f"{where}: it must be an .svg or .png file")
        return None, b""
    return path, data


def site_copy(static_dir, role, path):
    """Where the site serves a brand image (``role`` "logo" or "photo"), relative to its root."""
    return f"{static_dir}/{IMAGES_FOLDER}/{role}{path.suffix.lower()}" if path else ""


def web_fonts(static_dir, fonts):
    """The site's faces of the brand's shipped families, as WOFF2 files under ``static_dir``/fonts."""
    return tuple(
        WebFont(
            family=face.family,
            weight=face.weight,
            style=face.style,
            url=f"{static_dir}/{FONTS_FOLDER}/{face.path.stem}.woff2",
            source=face.path,
            preload=(face.family, face.weight, face.style) == (fonts.body, 400, "normal"),
        )
        for face in shipped_faces([fonts.body, fonts.headings])
    )


def read_brand(settings):
    """Pelican's settings (or its context) → ``Brand``; raises BrandError naming every problem,
    with the brand read as far as it goes (bad values at their defaults) as its ``settings``."""
    problems = [message for old, message in RENAMED.items() if old in settings]
    given, found = collect_settings(BrandOptions, settings.get(SETTING), SETTING)
    problems.extend(found)
    name = given.name if given.name is not None else settings.get("AUTHOR") or ""
    if not isinstance(name, str) or not name.strip():
        problems.append(f'{SETTING}["name"] must be the owner\'s name (or set AUTHOR)')
        name = ""
    content_path = Path(settings["PATH"])
    static_dir = settings.get("THEME_STATIC_DIR", "theme").strip("/")
    logo, logo_bytes = _read_image("logo", given.logo, content_path, problems)
    photo, photo_bytes = _read_image("photo", given.photo, content_path, problems)
    link = given.call_to_action_link
    brand = Brand(
        name=name.strip(),
        tagline=given.tagline,
        website=given.website.rstrip("/"),
        email=given.email,
        phone=given.phone,
        logo=site_copy(static_dir, "logo", logo),
        logo_file=logo,
        logo_bytes=logo_bytes,
        photo=site_copy(static_dir, "photo", photo),
        photo_file=photo,
        photo_bytes=photo_bytes,
        accent_color=given.accent_color,
        fonts=given.fonts,
        footer_line=given.footer_line,
        bio=given.bio.strip(),
        call_to_action=given.call_to_action.strip(),
        call_to_action_link=link,
        call_to_action_on_site=bool(link) and not _LINK_WITH_SCHEME.fullmatch(link),
        author_box=given.author_box,
        web_fonts=web_fonts(static_dir, given.fonts),
        fallback_faces=fallback_faces(shipped_faces([given.fonts.body, given.fonts.headings]), GENERIC_FAMILIES),
    )
    if problems:
        raise BrandError(problems, brand)
    return brand


# The context key that says BRAND was read in this build, and what was wrong with it.
_PROBLEMS = "handbill_brand_problems"


def brand_in(context):
    """The build's brand from Pelican's ``context`` (which holds every setting), read once per
    build: the first call keeps it there as ``brand`` for the templates (bad values at their
    defaults) and every call raises the same BrandError while BRAND has problems."""
    if _PROBLEMS not in context:
        try:
            context["brand"], context[_PROBLEMS] = read_brand(context), ()
        except BrandError as error:
            context["brand"], context[_PROBLEMS] = error.settings, tuple(error.problems)
    if context[_PROBLEMS]:
        raise BrandError(context[_PROBLEMS], context["brand"])
    return context["brand"]
