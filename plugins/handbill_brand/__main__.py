"""``python -m handbill_brand``: make the web-font subsets and the fonts' metrics Handbill ships
again, after a font, the subset's recipe, the metrics' calculation or fontTools changed (the
brand plugin's tests say when)."""

import sys

from .fallbacks import make_shipped_metrics
from .typefaces import FONTS_DIR
from .webfonts import make_shipped_subsets

for path in [*make_shipped_subsets(), make_shipped_metrics(FONTS_DIR)]:
    sys.stdout.write(f"{path}\n")
