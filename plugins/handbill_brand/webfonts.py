"""The site's web fonts: WOFF2 subsets of the brand's shipped TrueType files, made at build time.

``woff2_subset`` is the whole recipe, bytes in and bytes out: the glyphs of
``UNICODE_RANGES`` (Latin and the typographic punctuation the site sets) with
their layout features, compressed as WOFF2. It gives the same bytes for the
same input: the head table keeps the source's dates rather than the clock's.

Handbill ships the subsets of its own typefaces (``fonts/web/``, with
``fonts/web/subsets.json`` naming the ``cache_key`` each was made for), so a
build, even the first on a clean cache, subsets nothing: subsetting costs half
a second of CPU per face, two seconds a build on two cores. ``python -m
handbill_brand`` makes them again after a font, the recipe or
fontTools changes; a test says when they are out of date, and until then a
build makes its own. ``FontCache`` keeps what a build makes under CACHE_PATH,
named by a hash of the TrueType file and the recipe, so the next build with
unchanged fonts subsets nothing either.
"""

import hashlib
import io
import json
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import fontTools

from handbill.core.atomic import atomic_write_bytes
from handbill.core.cores import usable_cores
from handbill.core.forking import frozen_for_forks

from .typefaces import FONTS_DIR

# Basic Latin, Latin-1 (× among it), the Latin letters of the shipped fonts beyond it, and the
# punctuation the site's text and theme set: dashes, quotes, daggers, bullet, ellipsis, per mille,
# primes, angle quotes, fraction slash, euro, trade mark, arrows (← ↑ → ↓ ↳), minus.
UNICODE_RANGES = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0131, 0x0131),
    (0x0152, 0x0153),
    (0x02C6, 0x02C6),
    (0x02DA, 0x02DA),
    (0x02DC, 0x02DC),
    (0x2013, 0x2014),
    (0x2018, 0x201A),
    (0x201C, 0x201E),
    (0x2020, 0x2022),
    (0x2026, 0x2026),
    (0x2030, 0x2030),
    (0x2032, 0x2033),
    (0x2039, 0x203A),
    (0x2044, 0x2044),
    (0x20AC, 0x20AC),
    (0x2122, 0x2122),
    (0x2190, 0x2193),
    (0x21B3, 0x21B3),
    (0x2212, 0x2212),
)
CACHE_FOLDER = "handbill_brand/fonts"
SHIPPED_SUBSETS = FONTS_DIR / "web"
SHIPPED_KEYS = "subsets.json"  # in SHIPPED_SUBSETS: {"<file name>.woff2": cache_key of its source}


def unicodes():
    return [code for first, last in UNICODE_RANGES for code in range(first, last + 1)]


# What the recipe sets beyond fontTools' defaults, which its version fixes.
SUBSET_OPTIONS = {
    "flavor": "woff2",
    "layout_features": ["*"],  # kerning, ligatures, figures: the text should set as in print
    "name_languages": ["*"],
    "notdef_outline": True,
}


def subset_options():
    # fontTools.subset is imported only when a font is subset: the shipped subsets spare every
    # build that, and its import costs 0.16 s and 13 MiB.
    from fontTools import subset

    return subset.Options(**SUBSET_OPTIONS)


def recipe():
    """Everything besides the source font that the subset's bytes depend on."""
    return {"unicodes": UNICODE_RANGES, "options": SUBSET_OPTIONS, "fontTools": fontTools.version}


def name_ids_in_use(font):
    """The name IDs that ``font``'s tables refer to: its style attributes (STAT), axes and
    instances (fvar), palettes (CPAL), and the parameters of its layout features (stylistic
    set and character variant names), which are found in the feature lists alone."""
    from fontTools.ttLib.tables._n_a_m_e import NameRecordVisitor  # as fontTools.subset, when subsetting

    visitor = NameRecordVisitor()
    for tag in ("STAT", "fvar", "CPAL"):
        if tag in font:
            visitor.visit(font[tag])
    for tag in ("GSUB", "GPOS"):
        if tag in font:
            layout = font[tag].table
            for features in (getattr(layout, "FeatureList", None), getattr(layout, "FeatureVariations", None)):
                if features is not None:
                    visitor.visit(features)
    return visitor.seen


def woff2_subset(ttf_bytes):
    """The WOFF2 subset of a TrueType font, as bytes."""
    from fontTools import subset
    from fontTools.ttLib import TTFont  # as subset: a build that subsets nothing never needs it

    # recalcTimestamp=False: the head table's modified date stays the source's, not the clock's.
    font = TTFont(io.BytesIO(ttf_bytes), recalcTimestamp=False)
    options = subset_options()
    # Subsetter.subset prunes the name table last, after looking for the name IDs still in use
    # through every object of every layout table (every kerning pair): half of a face's time. The
    # name table is taken out of its way and pruned the same way here, looking only where name IDs
    # can be (``name_ids_in_use``); the bytes are those of a plain ``subset`` (a test compares them).
    names = font["name"]
    del font["name"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes())
    subsetter.subset(font)
    # Its look first decompiles every table, and a table written from its decompiled form is
    # packed anew (BASE): done here too, for the same bytes.
    font.ensureDecompiled(recurse=False)
    options.name_IDs = sorted(set(options.name_IDs) | name_ids_in_use(font))
    names.prune_post_subset(TTFont(), options)  # a font with no tables: no IDs in use beyond name_IDs
    font["name"] = names
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()


def cache_key(ttf_bytes):
    digest = hashlib.sha256(ttf_bytes)
    digest.update(json.dumps(recipe(), sort_keys=True, default=str).encode())
    return digest.hexdigest()


def shipped_keys(folder):
    """{"<file name>.woff2": the ``cache_key`` it was made for} of the subsets shipped in
    ``folder``; empty when there is no list, or a damaged one (then every subset is made)."""
    try:
        keys = json.loads((Path(folder) / SHIPPED_KEYS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return keys if isinstance(keys, dict) else {}


def shipped_subset(folder, keys, ttf_path, key):
    """The WOFF2 bytes shipped in ``folder`` for the TrueType file ``ttf_path``, if ``keys``
    (``shipped_keys``) says they were made for ``key`` (the same font, recipe and fontTools); else None."""
    name = f"{Path(ttf_path).stem}.woff2"
    if keys.get(name) != key:
        return None
    try:
        return (Path(folder) / name).read_bytes()
    except OSError:
        return None


class FontCache:
    """Subsets shipped with Handbill (``shipped``) or made by earlier builds, one file each,
    named by ``cache_key``."""

    def __init__(self, cache_path, shipped=SHIPPED_SUBSETS):
        self.folder = Path(cache_path) / CACHE_FOLDER
        self.shipped = Path(shipped)
        self.shipped_keys = shipped_keys(shipped)

    def web_fonts(self, sources):
        """The WOFF2 subsets of the TrueType files ``sources``, in order: each shipped, or from the
        cache, else made and kept there. Subsetting is pure-Python work of about half a second a
        face, so the faces found in neither place are made on every core at once."""
        fonts = {}
        missing = {}
        for source in sources:
            ttf_bytes = Path(source).read_bytes()
            key = cache_key(ttf_bytes)
            shipped = shipped_subset(self.shipped, self.shipped_keys, source, key)
            if shipped is not None:
                fonts[source] = shipped
                continue
            cached = self.folder / f"{key}.woff2"
            try:
                fonts[source] = cached.read_bytes()
            except FileNotFoundError:
                missing[source] = (cached, ttf_bytes)
        made = woff2_subsets([ttf_bytes for _, ttf_bytes in missing.values()])
        for (source, (cached, _)), data in zip(missing.items(), made, strict=True):
            atomic_write_bytes(cached, data)
            fonts[source] = data
        return [fonts[source] for source in sources]


def woff2_subsets(ttf_bytes):
    """``woff2_subset`` of each of the TrueType fonts ``ttf_bytes``, on every core."""
    workers = min(len(ttf_bytes), usable_cores())
    if workers <= 1:
        return [woff2_subset(data) for data in ttf_bytes]
    fork = multiprocessing.get_context("fork")
    with frozen_for_forks(), ProcessPoolExecutor(workers, mp_context=fork) as pool:
        return list(pool.map(woff2_subset, ttf_bytes))


def make_shipped_subsets(folder=SHIPPED_SUBSETS, fonts_dir=FONTS_DIR):
    """Make the subset of every TrueType file in ``fonts_dir`` into ``folder``, with the list of
    the keys they were made for; returns the files written."""
    sources = sorted(Path(fonts_dir).glob("*.ttf"))
    pairs = [(source, source.read_bytes()) for source in sources]
    folder = Path(folder)
    keys, written = {}, []
    made = woff2_subsets([ttf_bytes for _, ttf_bytes in pairs])
    for (source, ttf_bytes), data in zip(pairs, made, strict=True):
        name = f"{source.stem}.woff2"
        atomic_write_bytes(folder / name, data)
        keys[name] = cache_key(ttf_bytes)
        written.append(folder / name)
    atomic_write_bytes(folder / SHIPPED_KEYS, (json.dumps(keys, indent=1, sort_keys=True) + "\n").encode())
    return [*written, folder / SHIPPED_KEYS]
