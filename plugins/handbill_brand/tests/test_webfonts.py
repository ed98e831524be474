"""The site's web fonts, made by a real build of a small site with handbill_brand alone."""

import io
import json
import logging

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from handbill.core import build_outputs
from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill.testing.sites import PROJECT_ROOT
from handbill_brand.typefaces import FONTS_DIR, shipped_faces
from handbill_brand.webfonts import (
    CACHE_FOLDER,
    SHIPPED_KEYS,
    SHIPPED_SUBSETS,
    FontCache,
    cache_key,
    shipped_keys,
    shipped_subset,
    subset_options,
    unicodes,
    woff2_subset,
)

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
    cache = root / "cache" / CACHE_FOLDER
    before = snapshot(files + (sorted(cache.iterdir()) if cache.is_dir() else []))
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


def test_a_first_build_on_a_clean_cache_serves_the_shipped_subsets_and_makes_none(built):
    site = built[0]
    cache = site.output.parent / "cache" / CACHE_FOLDER
    assert not cache.exists() or not any(cache.iterdir())
    for stem, path in font_files(site).items():
        assert path.read_bytes() == (SHIPPED_SUBSETS / f"{stem}.woff2").read_bytes(), stem


@pytest.mark.parametrize("face", FACES, ids=lambda face: face.path.stem)
def test_each_shipped_subset_is_what_the_recipe_makes_of_its_font_today(face):
    ttf_bytes = face.path.read_bytes()
    shipped = shipped_subset(SHIPPED_SUBSETS, shipped_keys(SHIPPED_SUBSETS), face.path, cache_key(ttf_bytes))
    assert shipped is not None, f"{face.path.name}: its shipped subset is out of date; run python -m handbill_brand"
    assert shipped == woff2_subset(ttf_bytes), f"{face.path.name}: run python -m handbill_brand"


def test_a_font_without_a_current_shipped_subset_is_subset_once_and_kept_in_the_cache(tmp_path):
    face = FACES[0]
    ttf_bytes = face.path.read_bytes()
    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / f"{face.path.stem}.woff2").write_bytes(b"made for another version of the font")
    (shipped / SHIPPED_KEYS).write_text(json.dumps({f"{face.path.stem}.woff2": "0" * 64}))
    fonts = FontCache(tmp_path / "cache", shipped=shipped)
    assert fonts.web_fonts([face.path]) == [woff2_subset(ttf_bytes)]
    cached = tmp_path / "cache" / CACHE_FOLDER / f"{cache_key(ttf_bytes)}.woff2"
    assert cached.read_bytes() == woff2_subset(ttf_bytes)
    cached.write_bytes(b"kept")  # the next build takes the cache's copy rather than subsetting again
    assert FontCache(tmp_path / "cache", shipped=shipped).web_fonts([face.path]) == [b"kept"]


@given(
    listing=st.one_of(
        st.binary(max_size=64),
        st.text(max_size=64).map(str.encode),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=8),
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=40), inner, max_size=3),
            max_leaves=6,
        ).map(lambda value: json.dumps(value).encode()),
    )
)
def test_a_damaged_list_of_shipped_subsets_is_never_trusted_and_never_raises(tmp_path_factory, listing):
    face = FACES[0]
    shipped = tmp_path_factory.mktemp("shipped")
    (shipped / f"{face.path.stem}.woff2").write_bytes(b"not this")
    (shipped / SHIPPED_KEYS).write_bytes(listing)
    assert shipped_subset(shipped, shipped_keys(shipped), face.path, cache_key(face.path.read_bytes())) is None


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
