"""Read and convert the sources on every core, and keep Pelican's content cache right.

Reading ahead: when a generator of articles or pages reads its first file
(``article_generator_preread`` / ``page_generator_preread``), its source files
are listed as the generator lists them (``get_files`` with ARTICLE_PATHS and
ARTICLE_EXCLUDES, resp. PAGE_*), and those the reader cache has no current
entry for are read by the readers (the Markdown conversion, most of a build's
cost) in forked worker processes. Their results go into the generator's reader
cache (``Readers.cache_data``), so Pelican's own loop then finds each file
there and does the rest as always: metadata, signals, content objects, errors.
A file a worker could not read cleanly is read by Pelican itself, so its error
names the file exactly as without this plugin. Few files to read (an edit, a
small site) are read in the build's own process. Reading ahead needs the
reader cache (CACHE_CONTENT = True, CONTENT_CACHING_LAYER = "reader").

Keeping the cache right: the cache is loaded only when the fingerprint of the
settings, the installed libraries and the plugins' code
(``handbill.core.fingerprint``) is the one saved with it; otherwise this build
reads everything again and saves a fresh cache and fingerprint. Pelican pickles
the whole reader cache again at the end of every build, even when no file was
read anew (a quarter of a second at 1,000 posts); it is saved only when an
entry changed.

Ending: the process skips Python's last garbage collection at exit
(``handbill.core.process_exit``), which visited everything the build still held.
"""

import logging
import os
import weakref
from pathlib import Path

from pelican import signals
from pelican.utils import file_suffix

from handbill.core.atomic import write_text_if_changed
from handbill.core.cores import usable_cores
from handbill.core.fingerprint import content_fingerprint
from handbill.core.process_exit import end_without_final_collection

from .pool import read_in_workers
from .settings import read_parallel_reading_settings

logger = logging.getLogger(__name__)

FINGERPRINT_FILE = "content-fingerprint"

# What each generator lists its sources with: (paths setting, excludes setting).
SOURCE_SETTINGS = {
    "articles": ("ARTICLE_PATHS", "ARTICLE_EXCLUDES"),
    "pages": ("PAGE_PATHS", "PAGE_EXCLUDES"),
}

_read_ahead = weakref.WeakSet()  # generators whose sources were already read ahead
_build_fingerprint = {}  # {id(settings): fingerprint} of the running build, saved once its cache is


def fingerprint_path(settings):
    return Path(settings["CACHE_PATH"]) / FINGERPRINT_FILE


def check_cache(pelican):
    """Load the content cache only if it was saved under this build's fingerprint."""
    settings = pelican.settings
    _build_fingerprint.clear()
    if not (settings["CACHE_CONTENT"] or settings["LOAD_CONTENT_CACHE"]):
        return
    current = content_fingerprint(settings)
    _build_fingerprint[id(settings)] = current
    if not settings["LOAD_CONTENT_CACHE"]:
        return
    try:
        saved = fingerprint_path(settings).read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        saved = None
    if saved != current:
        logger.info(
            "Content cache in %s not loaded: it was made with other settings, libraries or plugin code "
            "(or none was made yet); every source is read again",
            settings["CACHE_PATH"],
        )
        settings["LOAD_CONTENT_CACHE"] = False


def save_fingerprint(generators):
    """The caches were saved when the generators finished their context; their fingerprint goes beside them."""
    settings = generators[0].settings
    current = _build_fingerprint.get(id(settings))
    if current is not None and settings["CACHE_CONTENT"]:
        write_text_if_changed(fingerprint_path(settings), current + "\n")


def sources_to_read(generator, paths_setting, excludes_setting):
    """``(path, extension)`` of each source of ``generator`` without a current reader cache entry."""
    readers = generator.readers
    files = generator.get_files(generator.settings[paths_setting], exclude=generator.settings[excludes_setting])
    tasks = []
    for relative in sorted(files):
        path = os.path.abspath(os.path.join(generator.path, relative))
        extension = file_suffix(path)
        if extension in readers.readers and readers.get_cached_data(path, None) is None:
            tasks.append((path, extension))
    return tasks


def reader_cache_on(settings):
    return settings["CACHE_CONTENT"] and settings["CONTENT_CACHING_LAYER"] == "reader"


def read_ahead(generator, kind):
    if generator in _read_ahead:
        return
    _read_ahead.add(generator)
    settings = generator.settings
    values, problems = read_parallel_reading_settings(settings)
    for problem in problems:
        logger.error("%s", problem)
    if not reader_cache_on(settings):
        logger.warning(
            "Parallel reading needs CACHE_CONTENT = True and CONTENT_CACHING_LAYER = \"reader\"; "
            "reading on one core"
        )
        return
    tasks = sources_to_read(generator, *SOURCE_SETTINGS[kind])
    workers = min(values.workers or usable_cores(), len(tasks))
    if workers < 2 or len(tasks) < values.min_files:
        logger.info("Parallel reading: %d %s to read, in this process", len(tasks), kind)
        return
    results = read_in_workers(generator.readers.readers, settings, tasks, workers)
    for path, data in results.items():
        generator.readers.cache_data(path, data)
    logger.info(
        "Parallel reading: %d %s read by %d workers, %d left to this process",
        len(results),
        kind,
        workers,
        len(tasks) - len(results),
    )


def save_cache_only_when_changed(readers):
    """Pelican's ``Readers.save_cache`` writes the same pickle again when no entry changed;
    this instance's saves are skipped then (its cache_data notes a change). Connected to
    ``readers_init``, which Pelican sends before the instance has set up its cache."""
    cache_data, save_cache = readers.cache_data, readers.save_cache
    changed = False

    def note_and_cache_data(filename, data):
        nonlocal changed
        changed = True
        cache_data(filename, data)

    def save_cache_if_changed():
        nonlocal changed
        if changed or not os.path.exists(readers._cache_path):
            save_cache()
        changed = False

    readers.cache_data = note_and_cache_data
    readers.save_cache = save_cache_if_changed


def read_articles_ahead(generator):
    read_ahead(generator, "articles")


def read_pages_ahead(generator):
    read_ahead(generator, "pages")


def register():
    end_without_final_collection()
    signals.initialized.connect(check_cache)
    signals.readers_init.connect(save_cache_only_when_changed)
    signals.all_generators_finalized.connect(save_fingerprint)
    signals.article_generator_preread.connect(read_articles_ahead)
    signals.page_generator_preread.connect(read_pages_ahead)
