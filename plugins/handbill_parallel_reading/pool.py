"""Run readers' ``read(path)`` in forked worker processes.

The workers are forks of the build, so they hold its readers exactly as the
plugins set them up (``readers_init``, settings), and nothing has to be
imported or configured again. A worker returns a file's ``(content,
metadata)`` only when reading it raised nothing and logged nothing at warning
level or above; otherwise the build's own process reads the file again, so
every message and error appears there exactly as without this plugin.

Metadata holds Tag, Category and Author objects that each refer to the
build's settings; the settings are sent back by reference (pickle's
persistent ids), so the objects the build gets are bound to its own settings
as if it had read the file itself.
"""

import io
import logging
import multiprocessing
import os
import pickle

from pelican.readers import _filter_discardable_metadata

from handbill.core.forking import frozen_for_forks

SETTINGS_REFERENCE = "settings"
# Sources handed to a worker at a time: small, so that the workers finish together (the last
# chunks are not left to one of them) and their results come back spread over the reading.
CHUNK_SIZE = 8

# (readers by file extension, the build's settings): set in the build's
# process just before the fork, so that the workers inherit them.
_job = None


class _WarningSeen(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.seen = False

    def emit(self, record):
        self.seen = True


_warnings = _WarningSeen()


def _start_worker():
    # A worker's log would go to the terminal once here and once more when the
    # build reads the file again; it only needs to know whether anything was said.
    for logger in (logging.getLogger(), *logging.Logger.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.handlers[:] = []
    logging.getLogger().addHandler(_warnings)


def file_state(path):
    """What tells that ``path`` was written to while a worker read it."""
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size


def _read(task):
    path, extension = task
    readers, settings = _job
    _warnings.seen = False
    try:
        before = file_state(path)
        content, metadata = readers[extension].read(path)
        result = (content, _filter_discardable_metadata(metadata))
        if _warnings.seen or file_state(path) != before:
            return path, None
        return path, dumps(result, settings)
    except Exception:  # noqa: BLE001 - the build reads the file again and reports the error itself
        return path, None


def dumps(value, settings):
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.persistent_id = lambda obj: SETTINGS_REFERENCE if obj is settings else None
    pickler.dump(value)
    return stream.getvalue()


def loads(data, settings):
    unpickler = pickle.Unpickler(io.BytesIO(data))
    unpickler.persistent_load = lambda reference: settings
    return unpickler.load()


def read_in_workers(readers, settings, tasks, workers):
    """``{path: (content, metadata)}`` for each ``(path, extension)`` of ``tasks`` that a worker
    read cleanly with ``readers`` ({extension: reader}, made with ``settings``); the paths
    left out must be read by the caller."""
    global _job  # noqa: PLW0603 - handed to the forked workers, then dropped
    for extension in sorted({extension for _path, extension in tasks}):
        # A reader that sets itself up at its first read (handbill_markdown_reuse) does it
        # here, once, rather than in every worker; an error in it is the build's, as before.
        prepare = getattr(readers[extension], "prepare_to_read", None)
        if prepare is not None:
            prepare()
    _job = readers, settings
    results = {}
    try:
        with frozen_for_forks(), multiprocessing.get_context("fork").Pool(workers, initializer=_start_worker) as pool:
            for path, data in pool.imap_unordered(_read, tasks, chunksize=CHUNK_SIZE):
                if data is not None:
                    results[path] = loads(data, settings)
    finally:
        _job = None
    return results
