"""The files the current build wrote, as one list every writer reports to.

Pelican's writer announces pages and feeds through its signals; files written
any other way (the comment manifest, the handouts, the redirect maps…) are
reported here with ``record(path)`` by whoever writes them, even when an
up-to-date file is kept rather than written again. handbill_output_sync reads
the list when the build ends and removes every other file from the output
(anything not listed and not kept by OUTPUT_KEEP).
"""

from .build_paths import BuildPaths

_written = BuildPaths()
start, record, recorded = _written.start, _written.record, _written.recorded
