"""Render the build's pages on every core.

Pelican renders and writes each page in turn, in one process: about a third
of a full build of 1,000 posts. Here Pelican's writer still does all of its
own work in the build's process, in its order (pagination, each page's
context, the check against writing a file twice, the ``content_written``
signal), but the rendering and the writing of the page's bytes are put off:
the page is queued (``PendingPages``). When a generator has finished writing
(Pelican's ``article_writer_finalized`` and ``page_writer_finalized``, and
``finalized`` for the rest), the queue is rendered by forked workers, each a
share of it, and each page written as ``write_bytes_if_changed`` writes it.

Rendering a page has one side effect Pelican relies on: with relative URLs,
the shared context's ``localsiteurl`` is set to the page's before it is
rendered, since the posts' HTML is resolved against it. A worker does the
same for each page, so a page renders as it would have in turn.

A template error in a worker is raised in the build's process, naming the
page, as Pelican raises it. Fewer pages than ``min_pages``, or ``workers``
= 1, are rendered in the build's own process.
"""

import logging
import multiprocessing

from handbill.core import page_inputs
from handbill.core.atomic import write_bytes_if_changed
from handbill.core.forking import frozen_for_forks

logger = logging.getLogger(__name__)

ENCODING = "utf-8"  # what Pelican's writer opens pages with


class PageRenderError(Exception):
    """A page's template failed in a worker; the message names the page and the error."""


class _Page:
    __slots__ = ("context", "page_context", "path", "template")

    def __init__(self, path, template, page_context, context):
        self.path, self.template, self.page_context, self.context = path, template, page_context, context

    def render_and_write(self):
        localcontext = self.page_context.whole()
        # As Pelican's Writer does just before rendering: the posts' links are resolved against it.
        if localcontext["localsiteurl"]:
            self.context["localsiteurl"] = localcontext["localsiteurl"]
        text = self.template.render(localcontext)
        write_bytes_if_changed(self.path, text.encode(ENCODING), durable=False)


_ABSENT = object()


class _PageContext:
    """A page's context kept as what it holds apart from another page's (its ``base``).

    Pelican's writer gives every page a copy of the whole site context, over a
    hundred and sixty settings and lists, with a few entries of the page's own. A
    rendered page lets its copy go; a queued one keeps it until the flush: at
    5,000 posts the copies held 33 MB of the build's process, which its forked
    workers then shared. The first queued page's context is kept whole and is
    the base of the others, which keep only the entries whose values are
    other objects than the base's and the names the base has and they lack, so
    ``whole()`` gives back a dict with the same entries, the same objects.
    """

    __slots__ = ("base", "missing", "own")

    def __init__(self, localcontext, base):
        self.base = base
        self.own = {name: value for name, value in localcontext.items() if base.get(name, _ABSENT) is not value}
        shared = len(localcontext) - len(self.own)
        self.missing = () if shared == len(base) else tuple(name for name in base if name not in localcontext)

    def whole(self):
        localcontext = {**self.base, **self.own}
        for name in self.missing:
            del localcontext[name]
        return localcontext


# The pages of the current flush, set in the build's process just before the fork
# so that the workers inherit them rather than receive them pickled.
_pages = ()


def _render_share(share):
    """Render and write every ``workers``-th page from ``index``; the failures, as text."""
    index, workers = share
    failures = []
    for page in _pages[index::workers]:
        try:
            page.render_and_write()
        except Exception as error:  # noqa: BLE001 - reported, with the page, in the build's process
            failures.append((page.path, f"{type(error).__name__}: {error}"))
    return failures


class PendingPages:
    """Pages whose rendering is put off until ``flush``."""

    def __init__(self, workers, min_pages):
        self.workers, self.min_pages = workers, min_pages
        self._pages = []
        self._markers = {}
        self._base = None  # the first queued page's localcontext, which the others are kept apart from

    def defer(self, template, localcontext, context):
        """A stand-in for the page's text; ``claim`` turns it into a queued page once the
        writer opens the page's file (it may not: a page written twice can be skipped)."""
        marker = f"\0handbill-pending-page-{len(self._markers)}\0"
        if self._base is None:
            self._base = localcontext
        self._markers[marker] = (template, _PageContext(localcontext, self._base), context)
        return marker

    def claim(self, path, text):
        """Queue the page for ``path`` if ``text`` is a stand-in; False if it is a real text."""
        deferred = self._markers.pop(text, None)
        if deferred is None:
            return False
        self._pages.append(_Page(path, *deferred))
        return True

    def flush(self):
        """Render and write every queued page; raises PageRenderError for the first that failed."""
        page_inputs.finish_all()  # what the pages are rendered from, such as their handouts
        pages, self._pages = self._pages, []
        self._markers.clear()
        self._base = None
        if not pages:
            return
        workers = min(self.workers, len(pages))
        if workers <= 1 or len(pages) < self.min_pages:
            for page in pages:
                page.render_and_write()
            return
        failures = _render_in_workers(pages, workers)
        for path, reason in failures[1:]:
            logger.error("Could not render %s: %s", path, reason)
        if failures:
            path, reason = failures[0]
            raise PageRenderError(f"Could not render {path}: {reason}")
        logger.info("Output sync: %d page(s) rendered by %d workers", len(pages), workers)


def _render_in_workers(pages, workers):
    global _pages  # noqa: PLW0603 - handed to the forked workers, then dropped
    _pages = pages
    try:
        with frozen_for_forks(), multiprocessing.get_context("fork").Pool(workers) as pool:
            shares = pool.map(_render_share, [(index, workers) for index in range(workers)])
        return [failure for share in shares for failure in share]
    finally:
        _pages = ()
