"""Addresses of the theme's own files that change when the files do: ``theme_static``.

Pelican copies the theme's ``static/`` folder into the output under the same
names at every build, and browsers keep those files as long as the host lets
them. After an update of the theme, a returning reader's browser could then
use its old stylesheet with the new pages, or, after the search index was
split into parts, an old ``search.js`` that searches only the first. With
``{{ theme_static('css/handbill.css') }}`` a template gets the file's address
with its version, ``…/theme/css/handbill.css?v=<first 10 hex digits of the
SHA-256 of its bytes>``: the address changes exactly when the file does, and
the file keeps its name, for hosts and links that expect it there.

The file is looked for in the theme's THEME_STATIC_PATHS, the last first (as
Pelican copies them, later ones over earlier ones). A name that is in none of
them fails the page naming the name and the folders looked in: the page would
link to a file that is not there. No settings.
"""

from pelican import signals

from .versions import theme_static

__all__ = ["register", "theme_static"]


def add_global(generator):
    generator.env.globals["theme_static"] = theme_static


def register():
    signals.generator_init.connect(add_global)
