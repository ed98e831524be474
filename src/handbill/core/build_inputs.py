"""The files of the content folder that the current build read besides Pelican's own.

Pelican keeps the posts, pages and static files it read in its context
(``generated_content``, ``static_content``); plugins that read files of their
own from the content folder (comment records, event descriptions) report each
one here with ``record(path)``. handbill_unread_sources reads both when the
build ends, and warns about every other file of the content folder: a post
that is not where posts are read from, or whose name Pelican does not read.
"""

import os

_read = set()


def start():
    """Forget the previous build's files: a new build begins (each run's ``get_generators``)."""
    _read.clear()


def record(path):
    """``path`` was read by this build."""
    _read.add(os.path.abspath(path))


def recorded():
    """The absolute paths recorded since ``start``."""
    return frozenset(_read)
