"""The files of the content folder that the current build read besides Pelican's own.

Pelican keeps the posts, pages and static files it read in its context
(``generated_content``, ``static_content``); plugins that read files of their
own from the content folder (comment records, event descriptions) report each
one here with ``record(path)``. handbill_unread_sources reads both when the
build ends, and warns about every other file of the content folder: a post
that is not where posts are read from, or whose name Pelican does not read.
"""

from .build_paths import BuildPaths

_read = BuildPaths()
start, record, recorded = _read.start, _read.record, _read.recorded
