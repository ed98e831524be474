"""Fallback faces that take the room of the brand's web fonts until those arrive.

With ``font-display: swap`` a page first shows its text in a font the reader
has (Arial, DejaVu Sans…), and moves it when the web font arrives: the
brand's fonts are narrower than those, so lines re-wrap and the page jumps
(Lighthouse's Cumulative Layout Shift). As capsize, fontaine and next/font
do, each brand face gets, for each common local font of its kind, a face of
that local font scaled to the brand face's average width (``size-adjust``)
and given its ascent, descent and line gap (``*-override``), so the fallback
text takes the same room.

``overrides`` is the whole calculation. The local fonts' widths are constants
(``LOCAL_FONTS``), measured once, so that a build gives the same CSS on any
machine. The brand faces' metrics are measured from the shipped files and
shipped beside them (``fonts/metrics.json``, written by ``python -m
handbill_brand``; a test says when they are out of date): a build takes them
from there, and measures a file only when its bytes are not those measured.
"""

import hashlib
import io
import json
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from handbill.core.atomic import atomic_write_bytes

# The sample the average width is taken over: English prose, a space about every 5.5 characters
# and the letters at their frequencies in English text (Lewand, "Cryptological Mathematics", 2000).
# Capitals, figures and punctuation are too rare in running text to move the average.
_LETTER_FREQUENCIES = {
    "a": 8.167, "b": 1.492, "c": 2.782, "d": 4.253, "e": 12.702, "f": 2.228, "g": 2.015, "h": 6.094, "i": 6.966,
    "j": 0.153, "k": 0.772, "l": 4.025, "m": 2.406, "n": 6.749, "o": 7.507, "p": 1.929, "q": 0.095, "r": 5.987,
    "s": 6.327, "t": 9.056, "u": 2.758, "v": 0.978, "w": 2.360, "x": 0.150, "y": 1.974, "z": 0.074,
}
_SPACE_SHARE = 0.18
SAMPLE_WEIGHTS = {
    " ": _SPACE_SHARE,
    **{
        letter: (1 - _SPACE_SHARE) * frequency / sum(_LETTER_FREQUENCIES.values())
        for letter, frequency in _LETTER_FREQUENCIES.items()
    },
}
# OS/2 fsSelection bit 7: the typo metrics, not hhea's, are the font's line metrics.
_USE_TYPO_METRICS = 1 << 7


@dataclass(frozen=True)
class FaceMetrics:
    """A face's vertical metrics in font units and its average advance width over the sample in em."""

    units_per_em: int
    ascent: int
    descent: int  # below the baseline, positive
    line_gap: int
    average_width: float


@dataclass(frozen=True)
class Overrides:
    """The @font-face descriptors of a fallback face, in per cent."""

    size_adjust: float
    ascent: float
    descent: float
    line_gap: float


@dataclass(frozen=True)
class LocalFace:
    """One face of a font readers commonly have, by the names ``local()`` finds it under."""

    local_names: tuple[str, ...]  # full names and PostScript names, most common first
    average_width: float  # over SAMPLE_WEIGHTS, in em


@dataclass(frozen=True)
class LocalFont:
    name: str
    generic: str  # "serif" or "sans-serif"
    faces: dict  # (bold, italic) → LocalFace


def _face(names, width):
    return LocalFace(tuple(names), width)


# Measured with fontTools (``average_width`` of ``metrics``) from Debian 12's fonts-liberation2 2.1.5
# and fonts-dejavu-core 2.37 files; plugins/handbill_brand/tests/test_fallbacks.py measures them
# again where those files are installed. Liberation Sans and Serif have Arial's and Times New
# Roman's advance widths (they were made to be metric-compatible), and Arial has Helvetica's, so
# one set of widths serves each group.
LOCAL_FONTS = (
    LocalFont("Arial", "sans-serif", {
        (False, False): _face(
            ["Arial", "ArialMT", "Helvetica", "Liberation Sans", "LiberationSans"], 0.4415),
        (True, False): _face(
            ["Arial Bold", "Arial-BoldMT", "Helvetica Bold", "Helvetica-Bold", "Liberation Sans Bold",
             "LiberationSans-Bold"], 0.4774),
        (False, True): _face(
            ["Arial Italic", "Arial-ItalicMT", "Helvetica Oblique", "Helvetica-Oblique", "Liberation Sans Italic",
             "LiberationSans-Italic"], 0.4415),
        (True, True): _face(
            ["Arial Bold Italic", "Arial-BoldItalicMT", "Helvetica Bold Oblique", "Helvetica-BoldOblique",
             "Liberation Sans Bold Italic", "LiberationSans-BoldItalic"], 0.4774),
    }),
    LocalFont("DejaVu Sans", "sans-serif", {
        (False, False): _face(["DejaVu Sans", "DejaVuSans"], 0.5068),
        (True, False): _face(["DejaVu Sans Bold", "DejaVuSans-Bold"], 0.5723),
        (False, True): _face(["DejaVu Sans Oblique", "DejaVuSans-Oblique"], 0.5068),
        (True, True): _face(["DejaVu Sans Bold Oblique", "DejaVuSans-BoldOblique"], 0.5723),
    }),
    LocalFont("Times New Roman", "serif", {
        (False, False): _face(
            ["Times New Roman", "TimesNewRomanPSMT", "Liberation Serif", "LiberationSerif"], 0.4001),
        (True, False): _face(
            ["Times New Roman Bold", "TimesNewRomanPS-BoldMT", "Liberation Serif Bold", "LiberationSerif-Bold"],
            0.4256),
        (False, True): _face(
            ["Times New Roman Italic", "TimesNewRomanPS-ItalicMT", "Liberation Serif Italic",
             "LiberationSerif-Italic"], 0.4016),
        (True, True): _face(
            ["Times New Roman Bold Italic", "TimesNewRomanPS-BoldItalicMT", "Liberation Serif Bold Italic",
             "LiberationSerif-BoldItalic"], 0.4113),
    }),
    LocalFont("DejaVu Serif", "serif", {
        (False, False): _face(["DejaVu Serif", "DejaVuSerif"], 0.5121),
        (True, False): _face(["DejaVu Serif Bold", "DejaVuSerif-Bold"], 0.5654),
        (False, True): _face(["DejaVu Serif Italic", "DejaVuSerif-Italic"], 0.5121),
        (True, True): _face(["DejaVu Serif Bold Italic", "DejaVuSerif-BoldItalic"], 0.5654),
    }),
)
# From this weight on a brand face is set against the local fonts' bold faces (the shipped fonts
# have 400, 600 and 700).
BOLD_FROM = 600


def average_width(advances, units_per_em):
    """The SAMPLE_WEIGHTS-weighted average of ``advances`` (character → advance width in font
    units, None where the font lacks it), in em; missing characters leave the sample."""
    present = {char: weight for char, weight in SAMPLE_WEIGHTS.items() if advances.get(char) is not None}
    if not present:
        raise ValueError("the font has none of the sample's characters")
    total = sum(present.values())
    return sum(advances[char] * weight for char, weight in present.items()) / total / units_per_em


def overrides(brand, fallback_width):
    """The descriptors that make a local face whose average width is ``fallback_width`` (em) take
    the room of the brand face of ``brand`` metrics: scaled to its width, with its line metrics."""
    scale = brand.average_width / fallback_width

    def percent(units):
        return round(100 * units / brand.units_per_em / scale, 2)

    return Overrides(
        size_adjust=round(100 * scale, 2),
        ascent=percent(brand.ascent),
        descent=percent(brand.descent),
        line_gap=percent(brand.line_gap),
    )


def metrics(font):
    """The ``FaceMetrics`` of a fontTools ``TTFont``: its line metrics as browsers take them on
    Linux and macOS (OS/2 typo metrics when the font says to use them, else hhea's)."""
    os2, hhea = font["OS/2"], font["hhea"]
    if os2.fsSelection & _USE_TYPO_METRICS:
        ascent, descent, line_gap = os2.sTypoAscender, os2.sTypoDescender, os2.sTypoLineGap
    else:
        ascent, descent, line_gap = hhea.ascent, hhea.descent, hhea.lineGap
    cmap, advances = font.getBestCmap(), font["hmtx"].metrics
    units_per_em = font["head"].unitsPerEm
    widths = {char: advances[cmap[ord(char)]][0] if ord(char) in cmap else None for char in SAMPLE_WEIGHTS}
    return FaceMetrics(units_per_em, ascent, abs(descent), line_gap, average_width(widths, units_per_em))


# Beside the shipped fonts: {file name: {"sha256": of its bytes, "metrics": its FaceMetrics}}.
# Importing fontTools and reading the tables of the seven shipped files took about 50 ms of
# every build.
SHIPPED_METRICS = "metrics.json"


def measured_metrics(data):
    """``metrics`` of the font file whose bytes are ``data``."""
    from fontTools.ttLib import TTFont  # only for a font whose metrics are not shipped

    return metrics(TTFont(io.BytesIO(data), lazy=True))


@cache
def _shipped_metrics(folder):
    try:
        listed = json.loads((Path(folder) / SHIPPED_METRICS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return listed if isinstance(listed, dict) else {}


@cache
def file_metrics(path):
    """``metrics`` of a font file, once per process: those shipped beside it when they were
    measured from the same bytes, else measured now."""
    path = Path(path)
    data = path.read_bytes()
    shipped = _shipped_metrics(path.parent).get(path.name)
    if isinstance(shipped, dict) and shipped.get("sha256") == hashlib.sha256(data).hexdigest():
        try:
            return FaceMetrics(**shipped["metrics"])
        except (KeyError, TypeError):
            pass  # not a FaceMetrics: measured below
    return measured_metrics(data)


def make_shipped_metrics(fonts_dir):
    """Measure every TrueType file in ``fonts_dir`` into its SHIPPED_METRICS; returns that file."""
    entries = {}
    for path in sorted(Path(fonts_dir).glob("*.ttf")):
        data = path.read_bytes()
        entries[path.name] = {"sha256": hashlib.sha256(data).hexdigest(), "metrics": asdict(measured_metrics(data))}
    target = Path(fonts_dir) / SHIPPED_METRICS
    atomic_write_bytes(target, (json.dumps(entries, indent=1, sort_keys=True) + "\n").encode())
    return target


@dataclass(frozen=True)
class FallbackFace:
    """One @font-face of a local font standing in for one brand face (``partials/fonts.html``)."""

    brand_family: str
    family: str  # "<brand family> fallback (<local font>)"
    weight: int
    style: str
    local_names: tuple[str, ...]
    overrides: Overrides


def fallback_faces(brand_faces, generic_of):
    """A FallbackFace per brand face (``typefaces.FontFile``) and local font of its family's
    generic kind (``generic_of``: family → "serif" or "sans-serif")."""
    faces = []
    for face in brand_faces:
        brand = file_metrics(face.path)
        for local_font in LOCAL_FONTS:
            if local_font.generic != generic_of[face.family]:
                continue
            local = local_font.faces[(face.weight >= BOLD_FROM, face.style == "italic")]
            faces.append(
                FallbackFace(
                    brand_family=face.family,
                    family=f"{face.family} fallback ({local_font.name})",
                    weight=face.weight,
                    style=face.style,
                    local_names=local.local_names,
                    overrides=overrides(brand, local.average_width),
                )
            )
    return tuple(faces)
