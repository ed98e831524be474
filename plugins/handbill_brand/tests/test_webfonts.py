"""The site's web fonts, made by a real build of a small site with handbill_brand alone."""

import io
import logging

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont

from handbill.core import build_outputs
from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill.testing.sites import PROJECT_ROOT
from handbill_brand.typefaces import FONTS_DIR, shipped_faces
from handbill_brand.webfonts import CACHE_FOLDER, subset_options, unicodes, woff2_subset

PLUGIN = "handbill_brand"
# What the site sets beyond ASCII: quotes, dashes, ellipsis, middle dot, times, arrows.
PUNCTUATION = "‘’“”‚„–—…·×•′″‹›€™−←↑→↓↳"
FILES = {
    "images/mark.svg": (PROJECT_ROOT / "content" / "images" / "mark.svg").read_bytes(),
    "hello.md": "Title: Hello\nDate: 2024-03-05\n\nA “quoted” word — and more…\n",
}
BRAND = {"name": "Dana Whitfield", "logo": "images/mark.svg"}
FACES = shipped_faces(["Source Serif 4", "Source Sans 3"])


def build(root, **settings):
    return build_with_only(PLUGIN, FILES, root, **{"BRAND": BRAND, "STATIC_PATHS": ["images"], **settings})


def font_files(site):
    return {face.path.stem: site.output / "theme" / "fonts" / f"{face.path.stem}.woff2" for face in FACES}


def brand_files(site):
    """What this plugin writes (Pelican's default theme has fonts of its own beside them)."""
    fonts = site.output / "theme" / "fonts"
    licences = [fonts / "OFL-source-serif-4.txt", fonts / "OFL-source-sans-3.txt"]
    return [*font_files(site).values(), *licences, site.output / "theme" / "brand" / "logo.svg"]


def snapshot(paths):
    return {path: (path.read_bytes(), path.stat().st_mtime_ns) for path in paths}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The same site built twice: (first build, its files' bytes and mtimes, the second build)."""
    root = tmp_path_factory.mktemp("brand-site")
    first = build(root)
    files = brand_files(first)
    cache = sorted((root / "cache" / CACHE_FOLDER).iterdir())
    before = snapshot(files + cache)
    second = build(root)
    return first, before, second


def test_only_this_plugin_ran(built):
    first, _before, _second = built
    assert_alone(first, PLUGIN)


def test_a_valid_woff2_subset_of_each_shipped_face_with_the_licences_beside_them(built):
    site = built[0]
    assert all(path.is_file() for path in brand_files(site))
    for stem, path in font_files(site).items():
        font = TTFont(path)
        assert font.flavor == "woff2", path
        source = TTFont(FONTS_DIR / f"{stem}.ttf").getBestCmap()
        kept = font.getBestCmap()
        assert len(kept) < len(source)  # a subset, not the whole font
        # Every punctuation mark the source has is kept; the latin files lack some arrows.
        assert [char for char in PUNCTUATION if ord(char) in source and ord(char) not in kept] == [], stem
        assert all(ord(char) in kept for char in "‘’“”–—…·×"), stem


def test_the_logo_is_served_from_the_theme_folder(built):
    site = built[0]
    assert (site.output / "theme" / "brand" / "logo.svg").read_bytes() == FILES["images/mark.svg"]


def test_every_file_is_recorded_as_written_by_the_build(built):
    site = built[0]
    written = build_outputs.recorded()
    assert all(str(path) in written for path in brand_files(site))


def test_a_second_build_leaves_every_file_and_the_cache_as_they_were(built):
    _first, before, _second = built
    assert snapshot(before) == before  # same bytes, and not written again (mtimes)


def test_subsetting_gives_the_same_bytes_whatever_the_clock(built, monkeypatch):
    source = FACES[0].path
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    made = woff2_subset(source.read_bytes())
    assert made == font_files(built[0])[source.stem].read_bytes()


def test_a_family_not_shipped_gets_one_warning_and_no_web_font(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger="handbill_brand")
    site = build(tmp_path, BRAND={**BRAND, "fonts": {"body": "Liberation Serif", "headings": "Source Sans 3"}})
    warnings = [record.getMessage() for record in caplog.records if record.name == "handbill_brand"]
    assert len(warnings) == 1 and "Liberation Serif" in warnings[0], warnings
    assert sorted(path.name for path in (site.output / "theme" / "fonts").glob("source-*.woff2")) == [
        f"{face.path.stem}.woff2" for face in FACES if face.family == "Source Sans 3"
    ]


@pytest.mark.parametrize("face", [FACES[0], FACES[-1]], ids=lambda face: face.path.stem)
def test_the_subset_has_the_bytes_fonttools_makes_of_the_recipe_on_its_own(face):
    """woff2_subset prunes the name table itself, looking only where name IDs can be; the result
    must stay what fontTools' Subsetter makes with the same options when left to do it all."""
    ttf_bytes = face.path.read_bytes()
    font = TTFont(io.BytesIO(ttf_bytes), recalcTimestamp=False)
    options = subset_options()
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    made_by_fonttools = io.BytesIO()
    subset.save_font(font, made_by_fonttools, options)
    assert woff2_subset(ttf_bytes) == made_by_fonttools.getvalue()
