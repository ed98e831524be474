"""The typefaces Handbill ships for the brand, one TrueType file per weight and style.

``fonts/`` holds the latin subsets of Source Serif 4 and Source Sans 3 (SIL
Open Font License, ``fonts/OFL-*.txt``). The handouts embed them as they are;
the site gets WOFF2 subsets of them, shipped in ``fonts/web/`` (``webfonts.py``).
"""

from dataclasses import dataclass
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
# Family → the stem its files are named by: <stem>-latin-<weight>-<style>.ttf, OFL-<stem>.txt.
SHIPPED_FAMILIES = {"Source Serif 4": "source-serif-4", "Source Sans 3": "source-sans-3"}
# The kind of local font that stands in for each while its web font loads (fallbacks.py).
GENERIC_FAMILIES = {"Source Serif 4": "serif", "Source Sans 3": "sans-serif"}


@dataclass(frozen=True)
class FontFile:
    family: str
    weight: int
    style: str  # "normal" or "italic"
    path: Path


def shipped_faces(families):
    """Every shipped font file of those of ``families`` that Handbill ships, each family once."""
    faces = []
    for family in dict.fromkeys(families):
        stem = SHIPPED_FAMILIES.get(family)
        if stem is None:
            continue
        for path in sorted(FONTS_DIR.glob(f"{stem}-latin-*.ttf")):
            weight, style = path.stem.rsplit("-", 2)[1:]
            faces.append(FontFile(family, int(weight), style, path))
    return faces


def licence_files(families):
    """The licence text of each shipped family among ``families``."""
    return [FONTS_DIR / f"OFL-{SHIPPED_FAMILIES[family]}.txt" for family in dict.fromkeys(families)
            if family in SHIPPED_FAMILIES]


def not_shipped(families):
    """Those of ``families`` that Handbill does not ship, each once."""
    return [family for family in dict.fromkeys(families) if family not in SHIPPED_FAMILIES]
