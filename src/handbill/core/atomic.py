"""Write a file so that nobody ever reads half of it.

The new content goes to a temporary file in the destination's own folder (so
the final rename stays on one file system, where it is atomic), is flushed to
disk, and only then replaces the destination. Readers (the web server, the
comment service, the next build) see the old file or the new one, never a mix;
a failure or crash part way leaves the old file as it was and no temporary
file behind.

A build's pages pass ``durable=False``: the rename still keeps readers from a
half-written file, but the two flushes to disk (about a millisecond each,
for a thousand pages) are skipped, since a page lost in a crash is written
again by the next build, unlike a comment record.

The file gets ``mode`` (0o644 unless told otherwise) rather than the private
0o600 that temporary files are created with: everything written this way is
an ordinary file that a web server or another user may need to read.

The build writes its output through ``write_bytes_if_changed`` (and
``write_text_if_changed``): a file that already holds exactly the new bytes
is left alone, so its mtime stays and rsync and browser caches see no change.
"""

import contextlib
import logging
import os
import stat
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_MODE = 0o644


def _sync_folder(folder):
    # The rename itself is durable only once the folder's entry is on disk too.
    # Some systems cannot open a folder for that; the file is written all the same.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError as error:
        logger.debug("cannot open %s to flush the rename: %s", folder, error)
        return
    try:
        os.fsync(descriptor)
    except OSError as error:
        logger.debug("cannot flush %s after the rename: %s", folder, error)
    finally:
        os.close(descriptor)


@contextlib.contextmanager
def atomic_file(path, *, mode=DEFAULT_MODE, durable=True):
    """A binary file to write the new content of ``path`` into.

    ``path`` is replaced only when the ``with`` block ends without an
    exception; otherwise the temporary file is removed and ``path`` is left
    untouched. Missing parent folders are created. For writers that need a
    file object (``zipfile``, ``tarfile``, ``json.dump`` through a wrapper)::

        with atomic_file(archive_path) as stream:
            with zipfile.ZipFile(stream, "w") as archive:
                ...
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # The dot keeps the temporary file out of globs and directory listings;
    # the name says what it will become if it is ever found after a crash.
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if durable:
        _sync_folder(path.parent)


def atomic_write_bytes(path, data, *, mode=DEFAULT_MODE, durable=True):
    """Replace the file at ``path`` with ``data`` (bytes) in one step."""
    with atomic_file(path, mode=mode, durable=durable) as stream:
        stream.write(data)


def atomic_write_text(path, text, *, encoding="utf-8", mode=DEFAULT_MODE):
    """Replace the file at ``path`` with ``text`` in one step.

    Line endings are written as they are in ``text`` (no translation to the
    platform's), so the same text gives the same bytes everywhere. Text that
    ``encoding`` cannot encode raises before anything is written.
    """
    atomic_write_bytes(path, text.encode(encoding), mode=mode)


def holds(path, data, *, mode=DEFAULT_MODE):
    """The file at ``path`` exists with exactly the bytes ``data`` and permissions ``mode``."""
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return False
    if status.st_size != len(data) or stat.S_IMODE(status.st_mode) != mode:
        return False
    with open(path, "rb") as stream:
        return stream.read() == data


def write_bytes_if_changed(path, data, *, mode=DEFAULT_MODE, durable=True):
    """Replace the file at ``path`` with ``data`` in one step, unless it already holds
    exactly these bytes (then it is not touched and keeps its mtime); True if written."""
    if holds(path, data, mode=mode):
        return False
    atomic_write_bytes(path, data, mode=mode, durable=durable)
    return True


def write_text_if_changed(path, text, *, encoding="utf-8", mode=DEFAULT_MODE, durable=True):
    """``text`` encoded as ``atomic_write_text`` does, written by ``write_bytes_if_changed``."""
    return write_bytes_if_changed(path, text.encode(encoding), mode=mode, durable=durable)
