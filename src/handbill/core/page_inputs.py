"""Work that pages are rendered from, left running while the build queues its pages.

Pelican's writer is called page after page in the build's process. With
handbill_output_sync a page is only queued there, and the queue is rendered
when a generator has written all of its pages: over a second later at 1,000
posts, a second in which one core is idle. Work whose results only the
rendering of pages needs, not their queuing (a handout's pages and size, shown
on its post's page), can run meanwhile. Its plugin hands
``finish_before_rendering`` an object with ``finish()`` and ``abandon()``:

* while a writer queues pages (from its ``start_queuing`` to its
  ``stop_queuing``), the work is kept, and the writer calls ``finish_all``
  before it renders any page;
* otherwise (no such writer) the work is finished at once.

What the writer's calls themselves read (the context, which each page's
context is copied from, such as whether there is a handouts index to link to)
must be set before the work is handed over.
"""

_unfinished = []
_queuing = False


def start_queuing():
    """A build starts whose pages are rendered only after ``finish_all``. Work left over by a
    build that stopped half-way (in livereload's resident process) is abandoned."""
    global _queuing  # noqa: PLW0603 - one build at a time per process, as Pelican's own state
    while _unfinished:
        _unfinished.pop().abandon()
    _queuing = True


def stop_queuing():
    """The build's pages are all rendered; later work is finished at once."""
    global _queuing  # noqa: PLW0603 - as in start_queuing
    finish_all()
    _queuing = False


def rendering_comes_later():
    """Whether work handed to ``finish_before_rendering`` now is kept until pages are rendered
    (a writer is queuing them), rather than finished at once: only then is it worth starting
    work that runs meanwhile, in another process."""
    return _queuing


def finish_before_rendering(work):
    """Finish ``work`` (``work.finish()``) before any page is rendered: later, if pages are being queued."""
    if _queuing:
        _unfinished.append(work)
    else:
        work.finish()


def finish_all():
    """Finish the work handed over, in the order it was."""
    while _unfinished:
        _unfinished.pop(0).finish()
