"""Pages are not rendered again when nothing they could be rendered from has changed.

Rendering every page is most of a rebuild (about 5 s of 8 at 1,000 posts)
even when the content is exactly as it was. A build therefore records one
digest of everything a page can be rendered from, and the size and mtime of
each page it wrote. The next build computes the digest again; if it is the
same, a page whose file still has its recorded size and mtime is taken from
that file instead of being rendered (Pelican's writer still "writes" it, so
signals, the sitemap and the stale-file sync see it as before). Any change
renders every page, as before: the digest is for a whole site, because an
index, a tag page or a neighbour's link may show any post.

The digest covers

* the build's context (every setting but where and whether to cache, and
  what generators and plugins put in it), in ``stable_repr``;
* every content object's own state (its HTML, metadata, and what plugins
  attached: comments with their open or closed state, reading time), so a
  state that depends on the clock is caught too (a handout's facts are attached
  later, before the pages are rendered: they follow from what the digest covers);
* the installed distributions' versions;
* the size and mtime of every file under the content folder, the theme, the
  template overrides and the project's own code (templates and stylesheets
  of plugins included), leaving out the output and cache folders.

A build that logged an error records nothing, so the next one renders all.
"""

import functools
import hashlib
import json
import logging
import os
import sys
from pathlib import Path

from handbill.core.articles import every_content
from handbill.core.atomic import write_text_if_changed
from handbill.core.fingerprint import (
    fingerprint,
    installed_distributions,
    library_folders,
    local_source_roots,
    stable_repr,
)
from handbill.core.forking import ForkedCallFailed, call_in_fork

logger = logging.getLogger(__name__)

RECORD_FILE = Path("handbill_output_sync") / "rendered-pages.json"
RECORD_VERSION = 1
# Where the content object points back to the whole build; both are in the digest on their own.
SHARED_ATTRIBUTES = frozenset({"settings", "_context"})


def content_state(content):
    """What a content object holds, in a repr that is the same in every process."""
    return stable_repr({name: value for name, value in vars(content).items() if name not in SHARED_ATTRIBUTES})


def tree_stamps(folders, left_out=()):
    """``[(path, size, mtime_ns)]`` of every file under ``folders`` (files or folders), in
    sorted order, ``__pycache__`` and anything under ``left_out`` not included."""
    left_out = tuple(os.path.realpath(folder) + os.sep for folder in left_out)
    stamps = []
    for root in sorted({os.path.realpath(folder) for folder in folders if folder}):
        if os.path.isfile(root):
            status = os.stat(root)
            stamps.append((root, status.st_size, status.st_mtime_ns))
            continue
        for current, subfolders, files in os.walk(root):
            if (current + os.sep).startswith(left_out):
                subfolders[:] = []
                continue
            subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
            for name in sorted(files):
                path = os.path.join(current, name)
                try:
                    status = os.stat(path)
                except OSError:
                    continue  # gone while walking (an editor's swap file)
                stamps.append((path, status.st_size, status.st_mtime_ns))
    return stamps


def render_inputs_digest(context, contents, distributions, stamps):
    """One digest of the build's ``context``, its ``contents``, the installed ``distributions``
    and the file ``stamps``; the same inputs give the same text in every process."""
    # The content cache's fingerprint of the same pieces, with the file stamps for its sources.
    digest = hashlib.sha256(fingerprint(context, distributions, stamps).encode())
    for content in contents:
        digest.update(content_state(content).encode("utf-8", "backslashreplace"))
        digest.update(b"\0")
    return digest.hexdigest()


def site_digest(generators, settings):
    """The digest of everything this build's pages can be rendered from (see the module's text)."""
    watched = [
        settings["PATH"],
        settings["THEME"],
        *settings.get("THEME_TEMPLATES_OVERRIDES", []),
        *local_source_roots(sys.modules, library_folders()),
    ]
    stamps = tree_stamps(watched, left_out=(settings["OUTPUT_PATH"], settings["CACHE_PATH"]))
    return render_inputs_digest(
        generators[0].context, every_content(generators), installed_distributions(sys.path), stamps
    )


def record_path(settings):
    return Path(settings["CACHE_PATH"]) / RECORD_FILE


def load_record(settings):
    """``(digest, {page name: [size, mtime_ns]})`` of the last good build, or ``(None, {})``."""
    path = record_path(settings)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
        if record.get("version") != RECORD_VERSION:
            return None, {}
        return record["digest"], {name: tuple(stamp) for name, stamp in record["pages"].items()}
    except FileNotFoundError:
        return None, {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        logger.warning("Output sync: unreadable record %s (%s); every page is rendered", path, error)
        return None, {}


def save_record(settings, digest, output_path, names):
    """Record ``digest`` and the size and mtime each page in ``names`` has now."""
    pages = {}
    for name in sorted(names):
        try:
            status = os.stat(os.path.join(output_path, name))
        except OSError:
            continue
        pages[name] = [status.st_size, status.st_mtime_ns]
    record = {"version": RECORD_VERSION, "digest": digest, "pages": pages}
    write_text_if_changed(record_path(settings), json.dumps(record, indent=0, sort_keys=True) + "\n")


def forget_record(settings):
    record_path(settings).unlink(missing_ok=True)


class RenderRecord:
    """One run's view: the last good build's pages, if the inputs are the same, and the pages written now."""

    def __init__(self):
        self.generators = None
        self._digest = None
        self._wait_for_digest = None  # while a forked process computes it
        self.unchanged = None  # {name: (size, mtime_ns)} of pages that need no rendering; None: not decided yet
        self.names = set()
        self.reused = 0

    def decide(self, settings):
        """Compare this build's inputs with the last good build's, once, at the first page."""
        if self.unchanged is not None:
            return
        if self.generators is None:  # a writer used outside a build (livereload's quick page)
            self.unchanged = {}
            return
        previous_digest, pages = load_record(settings)
        if previous_digest is None:
            # Nothing to compare with (a first or clean build): the digest is only kept for the
            # next build, so a forked process takes it of the inputs as they are now while this
            # build writes its pages (a quarter of a second at 1,000 posts, off the build's time).
            self._wait_for_digest = call_in_fork(functools.partial(site_digest, self.generators, settings))
            self.unchanged = {}
            return
        self._digest = site_digest(self.generators, settings)
        self.unchanged = pages if previous_digest == self._digest else {}

    @property
    def digest(self):
        """The digest of this build's inputs as they were at its first page; None if none was taken."""
        if self._wait_for_digest is not None:
            wait, self._wait_for_digest = self._wait_for_digest, None
            try:
                self._digest = wait()
            except ForkedCallFailed as error:
                logger.warning("Output sync: no digest of this build's inputs (%s); the next build renders all", error)
        return self._digest

    def page_text(self, output_path, name):
        """The text of page ``name`` as the last good build wrote it, if its inputs and its file are unchanged."""
        self.names.add(name)
        stamp = self.unchanged.get(name) if self.unchanged else None
        if stamp is None:
            return None
        path = os.path.join(output_path, name)
        try:
            status = os.stat(path)
            if (status.st_size, status.st_mtime_ns) != stamp:
                return None
            with open(path, "rb") as stream:
                text = stream.read().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        self.reused += 1
        return text
