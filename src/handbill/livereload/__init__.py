"""``invoke livereload``: a resident Pelican that writes the page being edited
first, then the rest of the site, and reloads the browser after each.

See README.md in this folder. ``start(settings_file, port=0)`` runs it in this
process; ``python -m handbill.livereload -s SETTINGS`` as a command.
"""

from .loop import LiveReload, start

__all__ = ["LiveReload", "start"]
