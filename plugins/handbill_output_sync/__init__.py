"""The output folder holds exactly what this build wrote, the same bytes for the same content.

Every file the build writes is recorded: pages and feeds (Pelican's
``content_written`` and ``feed_written``), static files and the theme's
static files (``static_generator_finalized``), the sitemap, and what other
plugins write themselves (they report through ``handbill.core.build_outputs``).
When the build ends (``finalized``), every other file in OUTPUT_PATH but
what OUTPUT_KEEP lists is taken out, then the folders left empty: removed
(one info line each, and a summary) when an earlier build wrote it, or else
moved to ``CACHE_PATH/handbill_output_sync/set-aside/`` with a warning naming
it, since someone put it there (an owner's CNAME, a host's verification file).
Nothing is taken out when OUTPUT_PATH is, or holds, the content, the theme or
the current folder: that is an error.

A build that logged an error removes nothing, so the last good page of a
broken post stays served; the next good build tidies up.

Files are rewritten only when their bytes change (``ChangedOnlyWriter``, the
``get_writer`` signal's answer), so an unchanged file keeps its mtime for rsync
and browser caches. The files others rewrite in place on every build (the
theme's static files, which Pelican copies each time, and the sitemap) get
their previous times back when their bytes came out the same.

A page is not even rendered when everything the site's pages are rendered
from is as it was at the last good build and its file is as that build left
it (``unchanged_inputs``); any change renders every page.

The sitemap's index pages (which have no date of their own) get the
content's date (``handbill.core.build_date``) instead of the clock's.
"""

import fnmatch
import logging
import os
from pathlib import Path

from pelican import signals

from handbill.core import build_errors, build_outputs, page_inputs
from handbill.core.build_date import content_date
from handbill.core.cores import usable_cores

from .parallel_writing import PendingPages
from .settings import read_output_sync_settings, read_parallel_writing_settings
from .sync import load_output_files, relative_paths, save_output_files, tidy_output, unsafe_output_reason
from .unchanged_inputs import RenderRecord, forget_record, save_record
from .writer import ChangedOnlyWriter

logger = logging.getLogger(__name__)

SITEMAP_PLUGIN = "pelican.plugins.sitemap"
# In CACHE_PATH: the files the last build left in the output (a stale one of them is removed,
# any other stale file set aside), and where files that no build wrote are moved.
OUTPUT_FILES_RECORD = Path("handbill_output_sync") / "output-files.json"
SET_ASIDE_FOLDER = Path("handbill_output_sync") / "set-aside"


# {path: (bytes, (atime_ns, mtime_ns))} of the files others rewrite in place, taken before they do.
_before_rewrite = {}


class _Run:
    # The running build's RenderRecord and PendingPages; None between builds, when
    # livereload writes an edited page on its own and renders it there and then.
    render_record = None
    pending_pages = None


_run = _Run()


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


def start_error_record(pelican):
    build_errors.start()


def start_recording(pelican):
    # Every run, not once per process: `pelican -r` and livereload build again
    # in the same process, and `get_generators` is the first signal of each run.
    build_outputs.start()
    _before_rewrite.clear()
    _run.render_record = RenderRecord()
    values, problems = read_parallel_writing_settings(pelican.settings)
    for problem in problems:
        logger.error("%s", problem)
    _run.pending_pages = PendingPages(values.workers or usable_cores(), values.min_pages)
    page_inputs.start_queuing()  # every page is queued, and rendered when the queue is flushed


def render_pending_pages(*_sender, **_signal_arguments):
    """A generator has written its pages: they must exist before the next reads them (search)."""
    if _run.pending_pages is not None:
        _run.pending_pages.flush()


def keep_generators(generators):
    if _run.render_record is not None:
        _run.render_record.generators = generators


def changed_only_writer(pelican):
    if _run.render_record is None:
        return ChangedOnlyWriter
    this_run = {"render_record": _run.render_record, "pending_pages": _run.pending_pages}
    return type("ChangedOnlyWriter", (ChangedOnlyWriter,), this_run)


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


def keep_render_record(settings, record, errors):
    """Record what this build rendered for the next one, unless it logged errors (then the next renders all)."""
    if record is None or record.digest is None:
        return
    if errors:
        forget_record(settings)
        return
    save_record(settings, record.digest, settings["OUTPUT_PATH"], record.names)
    if record.reused:
        logger.info(
            "Output sync: %d of %d page(s) taken as the last build wrote them: nothing they are rendered from changed",
            record.reused,
            len(record.names),
        )


def sync_output(pelican):
    settings = pelican.settings
    pending, _run.pending_pages = _run.pending_pages, None
    if pending is not None:
        pending.flush()  # the pages of generators without a writer_finalized signal of their own
        page_inputs.stop_queuing()
    restore_times_of_unchanged()
    errors = build_errors.logged()
    record, _run.render_record = _run.render_record, None
    keep_render_record(settings, record, errors)
    output = settings["OUTPUT_PATH"]
    files_record = Path(settings["CACHE_PATH"]) / OUTPUT_FILES_RECORD
    earlier_outputs = load_output_files(files_record)
    written = relative_paths(output, build_outputs.recorded())
    tidied = tidy_if_safe(settings, output, written, earlier_outputs, errors)
    # What is left in the output from this build counts as a build's own next time, as well.
    save_output_files(files_record, written if tidied else written | earlier_outputs)


def tidy_if_safe(settings, output, written, earlier_outputs, errors):
    """Take the stale files out of the output, unless something makes that unsafe; True if done."""
    if errors:
        logger.warning(
            "Output sync: the build logged %d error(s); no stale file was removed (the next good build will)",
            len(errors),
        )
        return False
    unsafe = unsafe_output_reason(output, protected_folders(settings))
    if unsafe:
        logger.error("Output sync: %s; no stale file was removed", unsafe)
        return False
    values, problems = read_output_sync_settings(settings)
    for problem in problems:
        logger.error("%s; no stale file was removed", problem)
    if problems:
        return False
    set_aside_folder = Path(settings["CACHE_PATH"]) / SET_ASIDE_FOLDER
    removed, set_aside = tidy_output(output, written, values.OUTPUT_KEEP, earlier_outputs, set_aside_folder)
    logger.info(
        "Output sync: removed %d file(s) this build did not write, and set aside %d that no build wrote",
        len(removed),
        len(set_aside),
    )
    return True


def register():
    signals.initialized.connect(start_error_record)
    signals.get_generators.connect(start_recording)
    signals.get_writer.connect(changed_only_writer)
    signals.content_written.connect(record_written)
    signals.feed_written.connect(record_written)
    signals.static_generator_finalized.connect(record_static)
    signals.all_generators_finalized.connect(date_the_sitemap)
    signals.all_generators_finalized.connect(keep_generators)
    signals.article_writer_finalized.connect(render_pending_pages)
    signals.page_writer_finalized.connect(render_pending_pages)
    signals.finalized.connect(sync_output)
