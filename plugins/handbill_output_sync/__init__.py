"""The output folder holds exactly what this build wrote, the same bytes for the same content.

Every file the build writes is recorded: pages and feeds (Pelican's
``content_written`` and ``feed_written``), static files and the theme's
static files (``static_generator_finalized``), the sitemap, and what other
plugins write themselves (they report through ``handbill.core.build_outputs``).
When the build ends (``finalized``), every other file in OUTPUT_PATH is
removed, one info line each and a summary, then the folders left empty,
except what OUTPUT_KEEP lists. Nothing is removed when OUTPUT_PATH is, or
holds, the content, the theme or the current folder: that is an error.

A build that logged an error removes nothing, so the last good page of a
broken post stays served; the next good build tidies up.

Files are rewritten only when their bytes change (``ChangedOnlyWriter``, the
``get_writer`` signal's answer), so an unchanged file keeps its mtime for rsync
and browser caches. The files others rewrite in place on every build (the
theme's static files, which Pelican copies each time, and the sitemap) get
their previous times back when their bytes came out the same.

The sitemap's index pages (which have no date of their own) get the
content's date (``handbill.core.build_date``) instead of the clock's.
"""

import fnmatch
import logging
import os
from pathlib import Path

from pelican import signals

from handbill.core import build_errors, build_outputs
from handbill.core.build_date import content_date

from .settings import read_output_sync_settings
from .sync import remove_stale, unsafe_output_reason
from .writer import ChangedOnlyWriter

logger = logging.getLogger(__name__)

SITEMAP_PLUGIN = "pelican.plugins.sitemap"


# {path: (bytes, (atime_ns, mtime_ns))} of the files others rewrite in place, taken before they do.
_before_rewrite = {}


def remember_before_rewrite(path):
    try:
        status = os.stat(path)
        _before_rewrite[path] = (Path(path).read_bytes(), (status.st_atime_ns, status.st_mtime_ns))
    except FileNotFoundError:
        pass


def restore_times_of_unchanged():
    """Each remembered file that came out with the same bytes gets its previous times back."""
    for path, (data, times) in _before_rewrite.items():
        try:
            if Path(path).read_bytes() == data:
                os.utime(path, ns=times)
        except FileNotFoundError:
            continue  # not written again this time: the sync removes it
    _before_rewrite.clear()


def start_recording(pelican):
    build_outputs.start()
    _before_rewrite.clear()
    build_errors.start()


def changed_only_writer(pelican):
    return ChangedOnlyWriter


def record_written(path, **_signal_arguments):
    build_outputs.record(path)


def theme_static_files(settings):
    """Where Pelican copies the theme's static files, as StaticGenerator's ``_copy_paths`` does."""
    theme, output = Path(settings["THEME"]), Path(settings["OUTPUT_PATH"]) / settings["THEME_STATIC_DIR"]
    ignored = settings.get("IGNORE_FILES", [])
    for name in settings["THEME_STATIC_PATHS"]:
        source = theme / name
        if source.is_file():
            yield output / source.name
            continue
        for folder, _subfolders, files in os.walk(source):
            for file_name in files:
                if not any(fnmatch.fnmatch(file_name, pattern) for pattern in ignored):
                    yield output / Path(folder).relative_to(source) / file_name


def record_static(generator):
    """Static files are copied only when they changed, so they are recorded from their ``save_as``."""
    output = Path(generator.output_path)
    for static in generator.staticfiles:
        build_outputs.record(output / static.save_as)
    for path in theme_static_files(generator.settings):
        build_outputs.record(path)
        remember_before_rewrite(path)  # Pelican copies them again when it writes the output


def date_the_sitemap(generators):
    """Give the sitemap plugin the content's date for index pages, and record its file."""
    settings = generators[0].settings
    if SITEMAP_PLUGIN not in settings["PLUGINS"]:
        return
    from pelican.plugins.sitemap import sitemap

    contents = [
        content for generator in generators for key in ("articles", "pages") for content in getattr(generator, key, [])
    ]
    sitemap.generator.now = content_date(contents)
    sitemap_format = settings.get("SITEMAP", {}).get("format", "xml")
    path = Path(settings["OUTPUT_PATH"]) / f"sitemap.{sitemap_format}"
    build_outputs.record(path)
    remember_before_rewrite(path)  # the sitemap plugin writes it when the build ends


def protected_folders(settings):
    """What OUTPUT_PATH must never be or hold: the content, its parent (the project), the theme, here."""
    content = Path(settings["PATH"])
    return [content, content.parent, Path(settings["THEME"]), Path.cwd()]


def sync_output(pelican):
    settings = pelican.settings
    restore_times_of_unchanged()
    errors = build_errors.logged()
    if errors:
        logger.warning(
            "Output sync: the build logged %d error(s); no stale file was removed (the next good build will)",
            len(errors),
        )
        return
    output = settings["OUTPUT_PATH"]
    unsafe = unsafe_output_reason(output, protected_folders(settings))
    if unsafe:
        logger.error("Output sync: %s; no stale file was removed", unsafe)
        return
    values, problems = read_output_sync_settings(settings)
    for problem in problems:
        logger.error("%s; no stale file was removed", problem)
    if problems:
        return
    removed = remove_stale(output, build_outputs.recorded(), values.OUTPUT_KEEP)
    logger.info("Output sync: removed %d file(s) this build did not write", len(removed))


def register():
    signals.initialized.connect(start_recording)
    signals.get_writer.connect(changed_only_writer)
    signals.content_written.connect(record_written)
    signals.feed_written.connect(record_written)
    signals.static_generator_finalized.connect(record_static)
    signals.all_generators_finalized.connect(date_the_sitemap)
    signals.finalized.connect(sync_output)
