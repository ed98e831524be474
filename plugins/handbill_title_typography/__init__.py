"""Typographic quotes, dashes and ellipses in titles.

Markdown's smarty extension does this for bodies and summaries, but titles are
metadata that Markdown never sees. "--" becomes an en dash and "---" an em
dash, as in bodies. No settings.
"""

from pelican import signals

from .smarten import smarten


def smarten_title(content):
    if getattr(content, "title", None):
        content.title = smarten(content.title)


def register():
    signals.content_object_init.connect(smarten_title)
