"""``python -m handbill_brand``: make the web-font subsets Handbill ships again, after a font,
the subset's recipe or fontTools changed (the brand plugin's tests say when)."""

import sys

from .webfonts import make_shipped_subsets

for path in make_shipped_subsets():
    sys.stdout.write(f"{path}\n")
