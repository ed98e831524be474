"""One build's handouts: plan them, render what changed, report, pack.

Started once per build from ``all_generators_finalized``, when every post's
content is final and before any page is written, and finished before any page
is rendered (``handbill.core.page_inputs``), so that each selected article
carries ``article.handout`` for its page and the index. What to render
and why is ``planning.py``'s; this module runs the plan: the cache, the
rendering processes, the files in the output and the build log.
"""

import logging
import time
from dataclasses import dataclass

from pelican.log import console

from handbill.core import build_outputs
from handbill.core.atomic import write_bytes_if_changed

from .cache import Manifest
from .planning import HandoutPlanner, asks_for_handout, fixed_time, pdf_date
from .rendering import Rendering, RenderingProcesses, libraries_opened_by_name
from .selection import pages_text, preview_height, readable_address, size_text

__all__ = ["Handout", "HandoutBuild", "asks_for_handout", "start_rendering_early"]

logger = logging.getLogger(__name__)

PRINT_PACK_NAME = "print-pack.pdf"
BOOKLET_NAME = "print-pack-booklet.pdf"
PRINT_SHOP_NAME = "print-pack-print-shop.pdf"
MANIFEST_NAME = "manifest.json"  # in the handouts' cache folder (cache.py)


@dataclass
class Handout:
    """A rendered handout, as templates see it (``article.handout``)."""

    article: object
    title: str
    url: str  # of the PDF, relative to the site root
    index_url: str  # of the page that lists every handout
    preview_url: str
    preview_width: int
    preview_height: int
    pages: int
    size: int

    @property
    def size_text(self):
        return size_text(self.size)

    @property
    def pages_text(self):
        return pages_text(self.pages)


class HandoutBuild:
    def __init__(self, settings, context, start_method=None, processes=None):
        self.settings = settings
        self.planner = HandoutPlanner(settings, context)
        self.manifest = Manifest(settings.cache_path / MANIFEST_NAME)
        self.start_method = start_method  # of the rendering processes; None: the platform's default
        self._processes = processes  # RenderingProcesses started already (start_rendering_early), or None
        self.failures = []  # (source, reason)
        self.event_handouts = {}  # {event slug: its editions as ``Handout``s, in the event's order}, set by finish
        self.planned = []
        self._rendering = None

    # Planning, reported ------------------------------------------------------

    def _report_planning(self):
        """Log what planning found wrong, once, as it is found."""
        for source, message in self.planner.warnings:
            logger.warning("%s: handout: %s", source, message)
        self.planner.warnings.clear()
        for source, reason in self.planner.failures:
            self._fail(source, reason)
        self.planner.failures.clear()

    def selected(self, articles):
        """(article, page size) of each post that gets a handout; bad metadata is reported."""
        chosen = self.planner.selected(articles)
        self._report_planning()
        return chosen

    def plan(self, chosen):
        """What each selected post's handouts are made of, and where they go."""
        planned = self.planner.plan(chosen)
        self._report_planning()
        return planned

    def job(self, item):
        return self.planner.job(item)

    # Rendering -----------------------------------------------------------

    def _start_rendering(self, planned):
        """Start rendering what changed; ``_finish_rendering`` returns what every current handout is."""
        self._done = {}  # {key: (pages, size)} of every current handout
        self._to_render = {}
        for item in planned:
            entry = self.manifest.current(item.key, item.fingerprint, item.files)
            if entry is None:
                self._to_render[item.key] = item
            else:
                self._done[item.key] = (entry["pages"], entry["size"])
        if not self._to_render:
            logger.info("Handouts: all %d up to date, none rendered", len(planned))
            self._end_early_processes()
            return
        early, self._processes = self._processes, None
        workers = early.workers if early else min(self.settings.workers, len(self._to_render))
        _progress(
            f"Handouts: rendering {len(self._to_render)} of {len(planned)} "
            f"({len(planned) - len(self._to_render)} up to date) with {workers} worker(s)"
            + (" started as the posts were read" if early else "")
        )
        self._workers, self._filling = workers, 0.0  # seconds filling in their HTML, here in the main process
        self._rendering = Rendering(self._jobs(), workers, self.start_method, processes=early)

    def _end_early_processes(self):
        if self._processes is not None:
            self._processes.close(cancel=True)
            self._processes = None

    def _jobs(self):
        # Longest first, so that no long handout is left to one worker at the end.
        for item in sorted(self._to_render.values(), key=lambda item: len(item.doc.content.html), reverse=True):
            filled = time.perf_counter()
            job = self.job(item)
            self._filling += time.perf_counter() - filled
            yield job

    def _finish_rendering(self):
        """Take each rendered handout's result as it comes; return {key: (pages, size)} of every current one."""
        rendering, self._rendering = self._rendering, None
        if rendering is None:
            return self._done
        seconds = 0.0  # the workers spent on the handouts, summed
        for rendered, (job, result) in enumerate(rendering.results(), start=1):
            seconds += result.seconds
            self._take_result(job, result, f"[{rendered}/{len(self._to_render)}]")
        _progress(
            f"Handouts: {len(self._to_render)} rendered in {rendering.last_finished - rendering.started:.2f} s "
            f"with {self._workers} worker(s): {self._filling:.2f} s filling in their HTML, "
            f"{seconds:.2f} s rendering them"
        )
        return self._done

    def _take_result(self, job, result, counted):
        item = self._to_render[job.key]
        for message in result.warnings:
            logger.warning("%s: handout %s: %s", job.source, job.key, message)
        if result.error:
            self.manifest.forget(job.key)
            self._fail(job.source, f"rendering {job.key} failed: {result.error}")
            for path in item.files:
                try:
                    path.unlink(missing_ok=True)
                except OSError as error:  # a folder in its place, say: the failure is reported already
                    logger.warning("%s: cannot remove %s: %s", job.source, path, error)
            status = "FAILED"
        else:
            self.manifest.record(job.key, item.fingerprint, job.source, result.pages, result.size)
            self._done[job.key] = (result.pages, result.size)
            status = pages_text(result.pages)
        _progress(f"  {counted} {job.source} -> {job.key} ({status})")

    def _check_budget(self, planned, done):
        budget = self.settings.page_budget
        for item in planned:
            pages = done.get(item.key, (0, 0))[0]
            if item.regular and pages > budget:
                logger.warning(
                    '%s: its handout has %d pages, over the page budget of %d (HANDOUTS["page_budget"])',
                    item.doc.source,
                    pages,
                    budget,
                )

    def _remove_stale(self, planned):
        """Delete the handouts of posts no longer selected, and the editions of
        events no longer described (every build makes every event's)."""
        current = {item.key for item in planned}
        regular = self.planner.folder(None)
        for key in list(self.manifest.entries):
            folder = key.rsplit("/", 1)[0]
            if key in current or not (folder == regular or folder.startswith(f"{regular}/events/")):
                continue
            pdf = self.settings.output_path / key
            pdf.unlink(missing_ok=True)
            pdf.with_suffix(".png").unlink(missing_ok=True)
            self.manifest.forget(key)

    def _print_pack(self, items, folder, event):
        from .pack import pack_pdf  # pypdf is only needed here

        target = self.settings.output_path / folder / PRINT_PACK_NAME
        brand = self.settings.brand
        if event is not None:
            title = f"Handouts: {self.planner.handed_out_line(event)}"
        else:
            title = f"Handouts of {brand.name}"
        created = max(fixed_time(item.article.date) for item in items)
        try:
            data, pages = pack_pdf(
                [(item.doc.title_text, item.pdf_path) for item in items], title, brand.name, pdf_date(created)
            )
            write_bytes_if_changed(target, data)
            build_outputs.record(target)
        except Exception as error:  # noqa: BLE001 - a broken pack must not hide the handouts themselves
            logger.error("Handouts: cannot write the print pack %s: %s", target, error)
            return
        _progress(f"Handouts: print pack {target} ({len(items)} handouts, {pages_text(pages)})")
        self._print_shop_versions(target.parent, data)

    def _print_shop_versions(self, folder, pack):
        """The booklet and the print shop's PDF of the ``pack`` (bytes), as HANDOUT_PRINT_SHOP asks."""
        from .imposition import booklet_pdf, print_shop_pdf

        options = self.settings.print_shop
        versions = []
        if options.booklet:
            versions.append((BOOKLET_NAME, booklet_pdf))
        if options.bleed_mm is not None:
            versions.append((PRINT_SHOP_NAME, lambda data: print_shop_pdf(data, options.bleed_mm)))
        for name, make in versions:
            target = folder / name
            try:
                write_bytes_if_changed(target, make(pack))
                build_outputs.record(target)
            except Exception as error:  # noqa: BLE001 - like the pack's: the handouts stay usable
                logger.error("Handouts: cannot write %s: %s", target, error)
            else:
                _progress(f"Handouts: {target}")

    def _business_cards(self, folder, event):
        """Ten business cards on a sheet; their QR leads to ``event``'s page, or to the site."""
        with libraries_opened_by_name():
            from .cards import CARDS_NAME, business_cards_pdf, card_qr_target

        target = self.settings.output_path / folder / CARDS_NAME
        caption = event.name if event is not None else readable_address(self.settings.site_url)
        try:
            data, _ = business_cards_pdf(self.settings.brand, card_qr_target(self.settings.site_url, event), caption)
            write_bytes_if_changed(target, data)
            build_outputs.record(target)
        except Exception as error:  # noqa: BLE001 - like the pack's: the handouts stay usable
            logger.error("Handouts: cannot write the business cards %s: %s", target, error)
            return
        _progress(f"Handouts: business cards {target}")

    def _fail(self, source, reason):
        self.failures.append((source, reason))
        logger.error("%s: %s", source, reason)

    def _handout(self, item, done):
        """The template's view of a rendered handout; an event's lists it on the event's page."""
        pages, size = done[item.key]
        return Handout(
            article=item.article,
            title=item.doc.title_text,
            url=item.key,
            index_url=f"{self.settings.output_dir}/" if item.regular else item.event.url,
            preview_url=item.key.removesuffix(".pdf") + ".png",
            preview_width=self.settings.preview_width,
            preview_height=preview_height(item.doc.page_size, self.settings.preview_width),
            pages=pages,
            size=size,
        )

    def start(self, articles):
        """Plan the handouts of ``articles`` and start rendering those that changed: worker
        processes render them while this one goes on, until ``finish`` (or ``abandon``)."""
        try:
            self.planned = self.plan(self.selected(articles))
            self._start_rendering(self.planned)
        except BaseException:
            self.abandon()
            raise

    @property
    def has_index(self):
        """Whether the handouts index is written: a post of the site's own (not only of an event) has one."""
        return any(item.regular for item in self.planned)

    def abandon(self):
        """Stop rendering (the build stopped half-way); nothing is recorded."""
        self._end_early_processes()
        if self._rendering is not None:
            self._rendering.abandon()
            self._rendering = None

    def finish(self):
        """Wait for the handouts, report, pack and record them; give each selected article its
        ``handout`` and fill ``event_handouts``; return the regular ones as ``Handout``s."""
        planned = self.planned
        done = self._finish_rendering()
        self._check_budget(planned, done)
        self._remove_stale(planned)
        for item in planned:
            if item.key in done:  # rendered now or up to date: this build's either way
                for path in item.files:
                    build_outputs.record(path)
        self.manifest.save()
        event = self._packed_event()
        folder = self.planner.folder(event)
        handed_out = [item for item in planned if item.key in done and item.folder == folder]
        if event is not None:
            where = self.settings.output_path / folder
            _progress(f"Handouts: {len(handed_out)} handout(s) for {event.name} in {where}")
        if self.settings.print_pack and handed_out:
            self._print_pack(handed_out, folder, event)
        if self.settings.print_shop.cards:
            self._business_cards(folder, event)
        if self.failures:
            logger.error(
                "Handouts: %d problem(s), the other handouts were built: %s",
                len(self.failures),
                "; ".join(f"{source} ({reason})" for source, reason in self.failures),
            )
        handouts = []
        for item in planned:
            if item.regular and item.key in done:
                item.article.handout = self._handout(item, done)
                handouts.append(item.article.handout)
        for event in self.planner.events:
            editions = {item.article.slug: item for item in planned if item.event is event and item.key in done}
            self.event_handouts[event.slug] = [
                self._handout(editions[slug], done) for slug in event.posts if slug in editions
            ]
        return sorted(handouts, key=lambda handout: handout.article.date, reverse=True)

    def _packed_event(self):
        """The event of HANDOUT_EVENT, whose edition is the one handed out (and packed), or None."""
        if self.settings.event is None:
            return None
        event = next((event for event in self.planner.events if event.slug == self.settings.event), None)
        if event is None:
            known = ", ".join(event.slug for event in self.planner.events) or "none"
            self._fail("HANDOUT_EVENT", f"no event has the slug {self.settings.event!r} (events: {known})")
        return event


def start_rendering_early(settings, articles, lang):
    """``RenderingProcesses`` started now, when this build renders more than one handout for
    certain (posts of ``articles`` ask for them and the cache records none: a first build, or
    one after a clean), or None. They import WeasyPrint, load the fonts and render a paragraph
    in ``lang`` (the site's) while the build finishes its posts, on one core, instead of after
    its handouts are planned."""
    asking = sum(asks_for_handout(article, settings.select_tags, settings.select_categories) for article in articles)
    workers = min(settings.workers, asking)
    if workers < 2 or Manifest(settings.cache_path / MANIFEST_NAME).entries:
        return None
    try:
        return RenderingProcesses(workers, start_now=True, lang=lang)
    except Exception as error:  # noqa: BLE001 - the handouts start their processes later, as usual
        logger.info("Handouts: cannot start the rendering processes early (%s); they start when needed", error)
        return None


def _progress(line):
    """Progress goes where Pelican prints its own summary, shown at any log level."""
    console.print(line, markup=False, highlight=False)
