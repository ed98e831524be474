"""One build's handouts: select posts, render what changed, report, pack.

Called once per build from ``all_generators_finalized``, when every post's
content is final and before any page is written, so that each selected
article carries ``article.handout`` for its page and the index.
"""

import datetime
import hashlib
import logging
import os
from dataclasses import dataclass
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup
from pelican.log import console

from .cache import Manifest, file_digest, fingerprint
from .print_markup import prepare_for_print
from .rendering import (
    PLUGIN_DIR,
    VERSION,
    HandoutDocument,
    HandoutRenderer,
    RenderJob,
    local_url,
    render_all,
    write_atomically,
)
from .selection import (
    SelectionError,
    absolute_post_url,
    handed_out_line,
    is_selected,
    pages_text,
    parse_handout_flag,
    parse_page_size,
    preview_height,
    size_text,
    with_campaign,
)

logger = logging.getLogger(__name__)

PAGE_SIZE_METADATA = "handout-page-size"
PRINT_PACK_NAME = "print-pack.pdf"


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


@dataclass
class _Planned:
    """One handout to have: a post's regular handout or its event edition."""

    article: object
    doc: HandoutDocument
    key: str  # the PDF's path in the output
    pdf_path: Path
    preview_path: Path | None
    fingerprint: str  # everything the PDF's bytes depend on, the rendering code included
    identifier: str  # the PDF's file identifier: what the document says, not the code that set it

    @property
    def regular(self):
        """False for an event edition, which has no preview."""
        return self.preview_path is not None

    @property
    def files(self):
        return [self.pdf_path] + ([self.preview_path] if self.preview_path else [])


def _fixed_time(moment):
    """A post's date as the time of its handout: never later than
    SOURCE_DATE_EPOCH when that is set, as reproducible builds expect."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        moment = min(moment, datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc))
    return moment.replace(microsecond=0)


def _pdf_date(moment):
    return moment.astimezone(datetime.timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def _image_locator(site_url, context, folders):
    """Absolute image URL on the site → (handout:// address, local file), or None.

    Looks in Pelican's static files first (their sources, since they are
    copied to the output only later), then in content/ and output/."""
    static_sources = {static.url: Path(static.source_path) for static in context.get("static_content", {}).values()}
    prefix = site_url + "/"

    def locate(url):
        if not url.startswith(prefix):
            return None
        relative = unquote(urlsplit(url[len(prefix) :]).path)
        source = static_sources.get(relative)
        if source is not None and source.is_file() and source.is_relative_to(folders["content"]):
            inside = source.relative_to(folders["content"])
            return local_url("content", inside), source
        for name in ("content", "output"):
            candidate = folders[name] / relative
            if candidate.is_file() and candidate.resolve().is_relative_to(folders[name].resolve()):
                return local_url(name, relative), candidate
        return None

    return locate


def _selected(article, flag, select_tags, select_categories):
    tags = [tag.name for tag in getattr(article, "tags", [])]
    category = article.category.name if getattr(article, "category", None) else None
    return is_selected(flag, article.status, tags, category, select_tags, select_categories)


def asks_for_handout(article, select_tags, select_categories):
    """Does the post want a handout? One whose Handout value is malformed
    does, in the sense that its error is worth reporting."""
    try:
        flag = parse_handout_flag(article.metadata.get("handout"))
    except SelectionError:
        return True
    return _selected(article, flag, select_tags, select_categories)


# Inputs that describe the code that renders, not the document: a new release
# or a refactoring renders again, but the PDF keeps its file identifier.
RENDERING_CODE_INPUTS = ("plugin", "weasyprint")


def _plugin_code_digest():
    """The plugin's own code: a change to it renders every handout again."""
    digest = hashlib.sha256(VERSION.encode())
    for path in sorted(PLUGIN_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


class HandoutBuild:
    def __init__(self, settings, context):
        self.settings = settings
        self.context = context
        self.renderer = HandoutRenderer(settings)
        self.manifest = Manifest(settings.cache_path / "manifest.json")
        self.folders = {"content": settings.content_path, "output": settings.output_path, "plugin": PLUGIN_DIR}
        if settings.brand.logo is not None:
            self.folders["logo"] = settings.brand.logo.parent
        self.locate_image = _image_locator(settings.site_url, context, self.folders)
        self._shared_inputs = {
            "plugin": _plugin_code_digest(),
            "weasyprint": package_version("weasyprint"),
            "templates_and_fonts": {path.name: file_digest(path) for path in self.renderer.template_files()},
            "brand": {key: value for key, value in vars(settings.brand).items() if key not in ("logo", "logo_bytes")},
            "logo": [self.renderer.logo_url(), hashlib.sha256(settings.brand.logo_bytes).hexdigest()],
            "pdf_variant": settings.pdf_variant,
            "preview_width": settings.preview_width,
        }
        self.failures = []  # (source, reason)

    # Selection -----------------------------------------------------------

    def _page_size(self, article):
        value = article.metadata.get(PAGE_SIZE_METADATA)
        return self.settings.page_size if value is None else parse_page_size(value)

    def selected(self, articles):
        """(article, page size) of each post that gets a handout; bad metadata is reported."""
        chosen = []
        for article in articles:
            source = article.relative_source_path
            try:
                flag = parse_handout_flag(article.metadata.get("handout"))
            except SelectionError as error:
                self._fail(source, str(error))
                continue
            if not _selected(article, flag, self.settings.select_tags, self.settings.select_categories):
                continue
            try:
                page_size = self._page_size(article)
            except ValueError as error:
                self._fail(source, f"Handout-Page-Size: {error}")
                continue
            chosen.append((article, page_size))
        return chosen

    # Planning ------------------------------------------------------------

    def _handed_out_line(self):
        event = self.settings.event
        return handed_out_line(event.name, event.date.strftime(self.settings.date_format) if event.date else "")

    def _document(self, article, page_size, content, campaign):
        address = absolute_post_url(self.settings.site_url, article.url)
        summary = Markup(article.get_summary(self.settings.site_url) or "")
        created = _fixed_time(article.date)
        modified = max(created, _fixed_time(getattr(article, "modified", None) or article.date))
        return HandoutDocument(
            source=article.relative_source_path,
            title_html=Markup(article.title),
            title_text=Markup(article.title).striptags(),
            authors=tuple(author.name for author in getattr(article, "authors", [])),
            date_text=article.locale_date,
            created=created.isoformat(),
            modified=modified.isoformat(),
            summary_text=summary.striptags(),
            standfirst_html=summary if "summary" in article.metadata else Markup(""),
            tags=tuple(tag.name for tag in getattr(article, "tags", [])),
            lang=article.lang,
            address=address,
            qr_target=with_campaign(address, campaign),
            event_line=self._handed_out_line() if campaign else "",
            page_size=page_size,
            content=content,
        )

    def _file_name(self, article):
        if article.lang != self.context.get("DEFAULT_LANG", article.lang):
            return f"{article.slug}-{article.lang}"
        return article.slug

    def _printable_content(self, article):
        address = absolute_post_url(self.settings.site_url, article.url)
        # The content with Pelican's intrasite links ({static}, {filename}) made
        # absolute on the site's address, not relative to SITEURL.
        html = article.get_content(self.settings.site_url)
        content = prepare_for_print(html, address, self.locate_image)
        for problem in content.problems:
            logger.warning("%s: handout: %s", article.relative_source_path, problem)
        return content

    def _plan(self, article, page_size, content, folder, campaign):
        """One edition of a post's handout: regular (with a preview) or an event's."""
        doc = self._document(article, page_size, content, campaign)
        # Everything the PDF is made of: the document (post content, metadata,
        # notes, QR address), the images, and the shared inputs (templates, CSS,
        # fonts, brand, logo, plugin code), so an unchanged handout is known
        # without rendering it, or even filling in its template.
        described = {name: value for name, value in vars(doc).items() if name != "content"}
        inputs = {
            **self._shared_inputs,
            "document": described,
            "content": content.html,
            "notes": [vars(note) for note in content.notes],
            "images": {url: file_digest(path) for url, path in content.images},
            "source": file_digest(article.source_path),
            "preview": campaign is None,
        }
        name = self._file_name(article)
        output = self.settings.output_path / folder
        return _Planned(
            article=article,
            doc=doc,
            key=f"{folder}/{name}.pdf",
            pdf_path=output / f"{name}.pdf",
            preview_path=output / f"{name}.png" if campaign is None else None,
            fingerprint=fingerprint(inputs),
            identifier=fingerprint(
                {name: value for name, value in inputs.items() if name not in RENDERING_CODE_INPUTS}
            )[:32],
        )

    def job(self, item):
        """The render job of a planned handout: its HTML, filled in only now."""
        return RenderJob(
            key=item.key,
            source=item.doc.source,
            title=item.doc.title_text,
            html=self.renderer.html(item.doc),
            folders=self.folders,
            pdf_path=str(item.pdf_path),
            preview_path=str(item.preview_path) if item.preview_path else None,
            preview_width=self.settings.preview_width,
            pdf_variant=self.settings.pdf_variant,
            identifier=item.identifier,
            source_date_epoch=int(_fixed_time(item.article.date).timestamp()),
        )

    def _editions(self):
        """(folder, campaign) of each edition: the regular one, and an event's."""
        editions = [(self.settings.output_dir, None)]
        event = self.settings.event
        if event is not None:
            editions.append((f"{self.settings.output_dir}/events/{event.slug}", event.slug))
        return editions

    def plan(self, chosen):
        """What each selected post's handouts are made of, and where they go."""
        planned = []
        seen = {}
        for article, page_size in chosen:
            source = article.relative_source_path
            try:
                content = self._printable_content(article)
                items = [self._plan(article, page_size, content, *edition) for edition in self._editions()]
            except OSError as error:
                self._fail(source, f"cannot read an input of its handout: {error}")
                continue
            clash = next((item.key for item in items if item.key in seen), None)
            if clash:
                self._fail(
                    source,
                    f"its handout {clash} would overwrite the one of {seen[clash]}; "
                    "give one of the two posts another Slug",
                )
                continue
            for item in items:
                seen[item.key] = source
                planned.append(item)
        return planned

    # Rendering -----------------------------------------------------------

    def render(self, planned):
        """Render what changed; return {key: (pages, size)} of every current handout."""
        done = {}
        to_render = {}
        for item in planned:
            entry = self.manifest.current(item.key, item.fingerprint, item.files)
            if entry is None:
                to_render[item.key] = item
            else:
                done[item.key] = (entry["pages"], entry["size"])
        if not to_render:
            logger.info("Handouts: all %d up to date, none rendered", len(planned))
            return done
        workers = min(self.settings.workers, len(to_render))
        _progress(
            f"Handouts: rendering {len(to_render)} of {len(planned)} "
            f"({len(planned) - len(to_render)} up to date) with {workers} worker(s)"
        )
        finished = 0

        def on_result(job, result):
            nonlocal finished
            finished += 1
            item = to_render[job.key]
            for message in result.warnings:
                logger.warning("%s: handout %s: %s", job.source, job.key, message)
            if result.error:
                self.manifest.forget(job.key)
                for path in item.files:
                    path.unlink(missing_ok=True)
                self._fail(job.source, f"rendering {job.key} failed: {result.error}")
                status = "FAILED"
            else:
                self.manifest.record(job.key, item.fingerprint, job.source, result.pages, result.size)
                done[job.key] = (result.pages, result.size)
                status = pages_text(result.pages)
            _progress(f"  [{finished}/{len(to_render)}] {job.source} -> {job.key} ({status})")

        render_all([self.job(item) for item in to_render.values()], workers, on_result)
        return done

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
        """Delete the handouts of posts no longer selected, in the folders of
        this build's editions (other events' editions are left alone)."""
        current = {item.key for item in planned}
        folders = {folder for folder, _ in self._editions()}
        for key in list(self.manifest.entries):
            if key in current or key.rsplit("/", 1)[0] not in folders:
                continue
            pdf = self.settings.output_path / key
            pdf.unlink(missing_ok=True)
            pdf.with_suffix(".png").unlink(missing_ok=True)
            self.manifest.forget(key)

    def _print_pack(self, items, folder):
        from .pack import pack_pdf  # pypdf is only needed here

        target = self.settings.output_path / folder / PRINT_PACK_NAME
        brand = self.settings.brand
        if self.settings.event:
            title = f"Handouts: {self._handed_out_line()}"
        else:
            title = f"Handouts of {brand.name}"
        created = max(_fixed_time(item.article.date) for item in items)
        try:
            data, pages = pack_pdf(
                [(item.doc.title_text, item.pdf_path) for item in items], title, brand.name, _pdf_date(created)
            )
            write_atomically(target, data)
        except Exception as error:  # a broken pack must not hide the handouts themselves
            logger.error("Handouts: cannot write the print pack %s: %s", target, error)
            return
        _progress(f"Handouts: print pack {target} ({len(items)} handouts, {pages_text(pages)})")

    def _fail(self, source, reason):
        self.failures.append((source, reason))
        logger.error("%s: %s", source, reason)

    def run(self, articles):
        """Render the handouts of ``articles``; return the regular ones as ``Handout``s."""
        planned = self.plan(self.selected(articles))
        done = self.render(planned)
        self._check_budget(planned, done)
        self._remove_stale(planned)
        self.manifest.save()
        # The last edition is the one handed out: the event's, if there is one.
        folder, _ = self._editions()[-1]
        handed_out = [item for item in planned if item.key in done and item.key.rsplit("/", 1)[0] == folder]
        if self.settings.event is not None:
            where = self.settings.output_path / folder
            _progress(f"Handouts: {len(handed_out)} handout(s) for {self.settings.event.name} in {where}")
        if self.settings.print_pack and handed_out:
            self._print_pack(handed_out, folder)
        if self.failures:
            logger.error(
                "Handouts: %d problem(s), the other handouts were built: %s",
                len(self.failures),
                "; ".join(f"{source} ({reason})" for source, reason in self.failures),
            )
        handouts = []
        for item in planned:
            if item.regular and item.key in done:
                pages, size = done[item.key]
                item.article.handout = Handout(
                    article=item.article,
                    title=item.doc.title_text,
                    url=item.key,
                    index_url=f"{self.settings.output_dir}/",
                    preview_url=item.key.removesuffix(".pdf") + ".png",
                    preview_width=self.settings.preview_width,
                    preview_height=preview_height(item.doc.page_size, self.settings.preview_width),
                    pages=pages,
                    size=size,
                )
                handouts.append(item.article.handout)
        return sorted(handouts, key=lambda handout: handout.article.date, reverse=True)


def _progress(line):
    """Progress goes where Pelican prints its own summary, shown at any log level."""
    console.print(line, markup=False, highlight=False)
