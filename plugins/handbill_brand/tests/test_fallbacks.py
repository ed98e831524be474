"""The fallback faces' metric overrides: the calculation, the brand faces' metrics, and the
local fonts' widths measured again from their files where this machine has them."""

import hashlib
import json
import math
from functools import cache
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from hypothesis import given
from hypothesis import strategies as st

from handbill_brand.fallbacks import (
    BOLD_FROM,
    LOCAL_FONTS,
    SAMPLE_WEIGHTS,
    SHIPPED_METRICS,
    FaceMetrics,
    average_width,
    fallback_faces,
    file_metrics,
    make_shipped_metrics,
    measured_metrics,
    metrics,
    overrides,
)
from handbill_brand.typefaces import FONTS_DIR, GENERIC_FAMILIES, shipped_faces

SYSTEM_FONTS = Path("/usr/share/fonts")

face_metrics = st.builds(
    FaceMetrics,
    units_per_em=st.sampled_from([1000, 1024, 2048]),
    ascent=st.integers(500, 2500),
    descent=st.integers(0, 1000),
    line_gap=st.integers(0, 500),
    average_width=st.floats(0.3, 0.7),
)
widths = st.floats(0.3, 0.7)


@given(face_metrics, widths)
def test_the_scaled_fallback_takes_the_brand_faces_width_and_line_metrics(brand, fallback_width):
    result = overrides(brand, fallback_width)
    scale = result.size_adjust / 100
    # The fallback at size-adjust is as wide on average as the brand face...
    assert math.isclose(fallback_width * scale, brand.average_width, rel_tol=1e-3)
    # ...and the overrides, which apply to the adjusted size, give the brand face's line metrics.
    for override, units in [(result.ascent, brand.ascent), (result.descent, brand.descent),
                            (result.line_gap, brand.line_gap)]:
        assert math.isclose(override * scale, 100 * units / brand.units_per_em, abs_tol=0.02)


@given(face_metrics, widths, st.integers(2, 4))
def test_overrides_do_not_depend_on_the_units_per_em(brand, fallback_width, factor):
    finer = FaceMetrics(brand.units_per_em * factor, brand.ascent * factor, brand.descent * factor,
                        brand.line_gap * factor, brand.average_width)
    assert overrides(finer, fallback_width) == overrides(brand, fallback_width)


@given(st.integers(100, 2000), st.sampled_from([1000, 2048]))
def test_a_font_of_one_width_averages_to_that_width(advance, units_per_em):
    assert math.isclose(average_width(dict.fromkeys(SAMPLE_WEIGHTS, advance), units_per_em), advance / units_per_em)


def test_characters_a_font_lacks_leave_the_sample():
    advances = {char: 500 for char in SAMPLE_WEIGHTS if char != "e"} | {"e": None, "q": 1500}
    without_e = {char: weight for char, weight in SAMPLE_WEIGHTS.items() if char != "e"}
    expected = (500 * (1 - without_e["q"] / sum(without_e.values())) + 1500 * without_e["q"] / sum(without_e.values()))
    assert math.isclose(average_width(advances, 1000), expected / 1000)
    with pytest.raises(ValueError):
        average_width({}, 1000)


def test_source_sans_3_against_dejavu_sans_gives_the_trial_values():
    """The numbers of the hand-made trial that took the sample site's layout shift to 0."""
    sans = {(face.weight, face.style): face for face in shipped_faces(["Source Sans 3"])}
    dejavu = next(font for font in LOCAL_FONTS if font.name == "DejaVu Sans").faces
    regular = overrides(metrics(TTFont(sans[400, "normal"].path)), dejavu[False, False].average_width)
    bold = overrides(metrics(TTFont(sans[700, "normal"].path)), dejavu[True, False].average_width)
    assert regular.size_adjust == pytest.approx(82.3, abs=0.5)
    assert (regular.ascent, regular.descent, regular.line_gap) == (pytest.approx(124, abs=1),
                                                                    pytest.approx(48, abs=1), 0)
    assert bold.size_adjust == pytest.approx(77.1, abs=0.5)
    assert (bold.ascent, bold.descent) == (pytest.approx(133, abs=1), pytest.approx(52, abs=1))


def synthetic_font(use_typo_metrics):
    """A font of one 500-unit glyph per sample character, whose hhea and typo metrics differ."""
    builder = FontBuilder(1000, isTTF=True)
    names = [".notdef", *(f"g{ord(char)}" for char in SAMPLE_WEIGHTS)]
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({ord(char): f"g{ord(char)}" for char in SAMPLE_WEIGHTS})
    builder.setupGlyf(dict.fromkeys(names, TTGlyphPen(None).glyph()))
    builder.setupHorizontalMetrics(dict.fromkeys(names, (500, 0)))
    builder.setupHorizontalHeader(ascent=900, descent=-300, lineGap=50)
    builder.setupOS2(sTypoAscender=800, sTypoDescender=-200, sTypoLineGap=100,
                     fsSelection=0x40 | (0x80 if use_typo_metrics else 0))
    builder.setupPost()
    builder.setupNameTable({"familyName": "Synthetic", "styleName": "Regular"})
    return builder.font


@pytest.mark.parametrize(("use_typo_metrics", "expected"), [(True, (800, 200, 100)), (False, (900, 300, 50))])
def test_the_line_metrics_are_the_typo_ones_only_when_the_font_says_so(use_typo_metrics, expected):
    measured = metrics(synthetic_font(use_typo_metrics))
    assert (measured.ascent, measured.descent, measured.line_gap) == expected
    assert measured.average_width == pytest.approx(0.5)


def test_every_shipped_face_gets_a_fallback_face_per_local_font_of_its_kind():
    brand_faces = shipped_faces(["Source Serif 4", "Source Sans 3"])
    faces = fallback_faces(brand_faces, GENERIC_FAMILIES)
    for brand_face in brand_faces:
        mine = [face for face in faces if (face.brand_family, face.weight, face.style)
                == (brand_face.family, brand_face.weight, brand_face.style)]
        kinds = [font for font in LOCAL_FONTS if font.generic == GENERIC_FAMILIES[brand_face.family]]
        assert [face.family for face in mine] == [f"{brand_face.family} fallback ({font.name})" for font in kinds]
        bold, italic = brand_face.weight >= BOLD_FROM, brand_face.style == "italic"
        assert [face.local_names for face in mine] == [font.faces[bold, italic].local_names for font in kinds]


@cache
def installed_fonts():
    """{PostScript name: font file} of the TrueType fonts under /usr/share/fonts."""
    found = {}
    for path in sorted(SYSTEM_FONTS.rglob("*.ttf")):
        found.setdefault(TTFont(path, lazy=True)["name"].getDebugName(6), path)
    return found


LOCAL_FACES = [(font.name, key, face) for font in LOCAL_FONTS for key, face in font.faces.items()]


@pytest.mark.parametrize(("font", "key", "face"), LOCAL_FACES, ids=[f"{name}-{key}" for name, key, _ in LOCAL_FACES])
def test_the_local_fonts_widths_are_those_of_their_files(font, key, face):
    """Where this machine has a file of the face (Debian: fonts-liberation2, fonts-dejavu-core),
    its width over the sample is the constant's, as are its full and PostScript names."""
    files = installed_fonts()
    matches = [files[name] for name in face.local_names if name in files]
    if not matches:
        pytest.skip(f"no file of {face.local_names[0]} here")
    for path in matches:
        file = TTFont(path, lazy=True)
        assert metrics(file).average_width == pytest.approx(face.average_width, abs=5e-5), path
        assert file["name"].getDebugName(4) in face.local_names, path


@pytest.mark.parametrize("path", sorted(FONTS_DIR.glob("*.ttf")), ids=lambda path: path.name)
def test_the_shipped_metrics_of_each_font_are_what_it_measures_today(path):
    assert file_metrics(path) == measured_metrics(path.read_bytes()), (
        f"{path.name}: its shipped metrics are out of date; run python -m handbill_brand"
    )


def test_a_font_whose_bytes_were_not_measured_or_a_damaged_list_is_measured_now(tmp_path):
    shipped = sorted(FONTS_DIR.glob("*.ttf"))
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for path in shipped[:2]:
        (fonts / path.name).write_bytes(path.read_bytes())
    assert make_shipped_metrics(fonts) == fonts / SHIPPED_METRICS
    # The second font's bytes change after it was measured: it has the first one's metrics now.
    first, second = (fonts / path.name for path in shipped[:2])
    second.write_bytes(first.read_bytes())
    assert file_metrics(second) == measured_metrics(first.read_bytes()) != measured_metrics(shipped[1].read_bytes())
    digest = hashlib.sha256(first.read_bytes()).hexdigest()
    damaged_lists = [
        "{",
        "[]",
        '{"x.ttf": 3}',
        json.dumps({first.name: []}),
        json.dumps({first.name: {"sha256": digest, "metrics": {"x": 1}}}),
        json.dumps({first.name: {"sha256": digest}}),
    ]
    for number, damaged in enumerate(damaged_lists):
        folder = tmp_path / f"damaged-{number}"
        folder.mkdir()
        (folder / first.name).write_bytes(first.read_bytes())
        (folder / SHIPPED_METRICS).write_text(damaged, encoding="utf-8")
        assert file_metrics(folder / first.name) == measured_metrics(first.read_bytes()), damaged
