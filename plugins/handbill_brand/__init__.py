"""The owner's brand (BRAND), one for the site and the handouts.

BRAND is read and checked once per build (``settings.brand_in``) and put in
Pelican's context as ``brand``, for the theme's templates and for the
handouts plugin. The site gets its own copies of the brand's files, written
only when their bytes change and reported to handbill_output_sync:
``<THEME_STATIC_DIR>/brand/logo.svg`` (and ``photo``), and in
``<THEME_STATIC_DIR>/fonts/`` WOFF2 subsets of the brand's shipped typefaces
made with fontTools (``webfonts.py``), with their licences. Settings and
template variables: README.md.
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from handbill.core import build_outputs
from handbill.core.atomic import write_bytes_if_changed

from .settings import SETTING, Brand, BrandError, brand_in, read_brand
from .typefaces import licence_files, not_shipped, shipped_faces
from .webfonts import FontCache

__all__ = ["Brand", "BrandError", "brand_in", "read_brand", "register", "shipped_faces"]

logger = logging.getLogger(__name__)


def site_files(brand, cache):
    """(path relative to the site's root, bytes) of each file the site serves for ``brand``."""
    files = [(brand.logo, brand.logo_bytes), (brand.photo, brand.photo_bytes)]
    files = [(path, data) for path, data in files if path]
    faces = brand.web_fonts
    files.extend(zip([face.url for face in faces], cache.web_fonts([face.source for face in faces]), strict=True))
    if brand.web_fonts:
        fonts_folder = brand.web_fonts[0].url.rsplit("/", 1)[0]
        families = [brand.fonts.body, brand.fonts.headings]
        files.extend((f"{fonts_folder}/{path.name}", path.read_bytes()) for path in licence_files(families))
    return files


class BrandGenerator(Generator):
    """Puts the brand in the context first thing, and writes the site's copies of its files."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self.brand = brand_in(self.context)
        except BrandError as error:
            for problem in error.problems:
                logger.error("Brand: %s", problem)
            self.brand = error.settings

    def generate_output(self, writer):
        missing = not_shipped([self.brand.fonts.body, self.brand.fonts.headings])
        if missing:
            logger.warning(
                'Brand: %s["fonts"] names %s, which Handbill does not ship as web fonts; the site shows them '
                "only to readers who have them installed, others get the theme's fallback fonts",
                SETTING,
                " and ".join(missing),
            )
        output = Path(self.output_path)
        for relative_path, data in site_files(self.brand, FontCache(self.settings["CACHE_PATH"])):
            path = output / relative_path
            write_bytes_if_changed(path, data)
            build_outputs.record(path)


def add_generator(pelican):
    return BrandGenerator


def register():
    signals.get_generators.connect(add_generator)
