"""The files the current build wrote, as one list every writer reports to.

Pelican's writer announces pages and feeds through its signals; files written
any other way (the comment manifest, the handouts, the redirect maps…) are
reported here with ``record(path)`` by whoever writes them, even when an
up-to-date file is kept rather than written again. handbill_output_sync reads
the list when the build ends and removes every other file from the output
(anything not listed and not kept by OUTPUT_KEEP).
"""

import os

_written = set()


def start():
    """Forget the previous build's files: a new build begins (each run's ``get_generators``)."""
    _written.clear()


def record(path):
    """``path`` belongs to this build's output."""
    _written.add(os.path.abspath(path))


def recorded():
    """The absolute paths recorded since ``start``."""
    return frozenset(_written)
