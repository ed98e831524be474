"""Figures that open full size: a figure's image becomes a link to the image file.

A diagram scaled to a phone's width is often too small to read; the link lets
the reader tap through to the image itself and zoom. Done in Markdown's own
tree (``markdown.FigureLinkExtension``) while Pelican reads a post, so nothing
parses the HTML again, and ``{static}`` sources become links that Pelican
resolves like any other. No settings.
"""

from pelican import signals

from .markdown import FigureLinkExtension


def add_extension(pelican):
    extensions = pelican.settings["MARKDOWN"].setdefault("extensions", [])
    if not any(isinstance(extension, FigureLinkExtension) for extension in extensions):
        extensions.append(FigureLinkExtension())


def register():
    signals.initialized.connect(add_extension)
