"""Warn about every file of the content folder that no part of the build read.

A post saved as ``Post.MD``, as ``post.txt`` or beside the posts' folder is
not read by Pelican and not copied: it simply never shows up, with nothing
said. When the build ends, this plugin compares every file of the content
folder (but those Pelican's IGNORE_FILES names, hidden ones and editors'
backups) with what the build read: Pelican's posts, pages and static files
(``generated_content``, ``static_content``, failed ones included, as Pelican
has reported them already) and what other plugins read and recorded in
``handbill.core.build_inputs`` (comment records, event descriptions). Every
other file gets one warning naming it, the reason and what to do. The build
goes on: a stray file is never an error. No settings: a file meant to be there
unread is listed in Pelican's IGNORE_FILES.
"""

import logging
import os
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator

from handbill.core import build_inputs

from .unread import unread_files, unread_reason

logger = logging.getLogger(__name__)

# Pelican's reader of static files, under a made-up extension: no file is named for it.
STATIC_READER = "static"


class _Run:
    generators = ()  # of this build, from all_generators_finalized: read when it ends


_run = _Run()


def start_recording(pelican):
    build_inputs.start()
    _run.generators = ()


def keep_generators(generators):
    _run.generators = generators


def relative_to(folder, path):
    return Path(os.path.relpath(os.path.normpath(path), folder)).as_posix()


def warn_about_unread_sources(pelican):
    generators, _run.generators = _run.generators, ()
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is None:
        return
    settings, context = articles.settings, articles.context
    content = os.path.abspath(settings["PATH"])
    read = {
        *(Path(path).as_posix() for path in context.get("generated_content", {})),
        *(Path(path).as_posix() for path in context.get("static_content", {})),
        *(relative_to(content, path) for path in build_inputs.recorded()),
    }
    # Pelican's own walk of the content folder, with its IGNORE_FILES; paths relative to it.
    found = (Path(os.path.normpath(path)).as_posix() for path in articles.get_files([""], extensions=False))
    content_folders = [*settings["ARTICLE_PATHS"], *settings["PAGE_PATHS"]]
    readable = set(articles.readers.extensions) - {STATIC_READER}
    for path in unread_files(found, read):
        reason = unread_reason(path, readable, content_folders, settings["STATIC_PATHS"])
        logger.warning("Not part of the site: %s is not read, because %s", os.path.join(content, path), reason)


def register():
    signals.get_generators.connect(start_recording)
    signals.all_generators_finalized.connect(keep_generators)
    signals.finalized.connect(warn_about_unread_sources)
