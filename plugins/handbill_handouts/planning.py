"""What one build's handouts are: which posts get one, in which editions,
under which file names, and the fingerprint of everything each PDF is made of.

Planning reads its inputs (posts, images, templates, fonts, the plugin's
code, installed library versions) and writes nothing: what happens to a plan
(the cache check, rendering, the files in the output) is ``build.py``'s work.
Problems are collected in ``failures`` and ``warnings`` for the build to
report.
"""

import datetime as dt
import hashlib
import os
import sys
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from handbill_brand.typefaces import FONTS_DIR

from .addresses import local_url
from .cache import file_digest, fingerprint
from .known_printable import PARSING_LIBRARIES, KnownPrintableContent
from .rendering import PLUGIN_DIR, VERSION, HandoutDocument, HandoutRenderer, RenderJob
from .selection import (
    SelectionError,
    absolute_post_url,
    handed_out_line,
    is_selected,
    parse_handout_flag,
    parse_page_size,
    with_campaign,
)

PAGE_SIZE_METADATA = "handout-page-size"

# Inputs that describe the code that renders, not the document: a new release
# or a refactoring renders again, but the PDF keeps its file identifier.
RENDERING_CODE_INPUTS = ("plugin", "libraries")
# The brand's text that handouts print (its images and fonts are fingerprinted by their bytes).
PRINTED_BRAND_TEXT = (
    "name",
    "tagline",
    "website",
    "email",
    "phone",
    "accent_color",
    "footer_line",
    "bio",
    "call_to_action",
)

# Distributions whose code decides the bytes of a handout's files: layout and
# PDF writing (WeasyPrint and what it builds on), font subsetting and its
# compressors, hyphenation, images, the QR code, the templates, the PNG
# preview (pypdfium2) and the print pack (pypdf). A new version of any of them
# may write other bytes for the same document, so it renders again.
BYTE_SHAPING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "fonttools",
    "brotli",
    "zopfli",
    "tinycss2",
    "cssselect2",
    "tinyhtml5",
    "pyphen",
    "pillow",
    "segno",
    "jinja2",
    "markupsafe",
    "pypdfium2",
    "pypdf",
)


def library_versions(names=BYTE_SHAPING_LIBRARIES):
    """{distribution: version, or None when not installed}, plus the zlib
    that pydyf compresses the PDF's streams with."""
    versions = {}
    for name in names:
        try:
            versions[name] = package_version(name)
        except PackageNotFoundError:
            versions[name] = None
    versions["zlib"] = zlib.ZLIB_RUNTIME_VERSION
    return versions


def plugin_code_digest():
    """The plugin's own code: a change to it renders every handout again."""
    digest = hashlib.sha256(VERSION.encode())
    for path in sorted(PLUGIN_DIR.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def rendering_code_inputs(plugin_digest, versions):
    """The inputs named in RENDERING_CODE_INPUTS."""
    return {"plugin": plugin_digest, "libraries": dict(versions)}


def fingerprints(inputs):
    """(fingerprint, identifier) of a handout's inputs: the fingerprint covers
    them all, so any change renders again; the PDF's file identifier leaves out
    the rendering code, so the same document keeps it across releases."""
    document_only = {name: value for name, value in inputs.items() if name not in RENDERING_CODE_INPUTS}
    return fingerprint(inputs), fingerprint(document_only)[:32]


@dataclass
class PlannedHandout:
    """One handout to have: a post's regular handout or an event's edition of it."""

    article: object
    doc: HandoutDocument
    key: str  # the PDF's path in the output
    pdf_path: Path
    preview_path: Path
    fingerprint: str  # everything the PDF's bytes depend on, the rendering code included
    identifier: str  # the PDF's file identifier: what the document says, not the code that set it
    event: object = None  # the handbill_events Event it is handed out at; None for the regular handout

    @property
    def regular(self):
        return self.event is None

    @property
    def folder(self):
        return self.key.rsplit("/", 1)[0]

    @property
    def files(self):
        return [self.pdf_path, self.preview_path]


def fixed_time(moment):
    """A post's date as the time of its handout: never later than
    SOURCE_DATE_EPOCH when that is set, as reproducible builds expect."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.isdigit():
        moment = min(moment, dt.datetime.fromtimestamp(int(epoch), dt.UTC))
    return moment.replace(microsecond=0)


def pdf_date(moment):
    return moment.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%S+00'00'")


def image_locator(site_url, context, folders):
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
    return is_selected(
        flag,
        article.status,
        tags=tags,
        category=category,
        select_tags=select_tags,
        select_categories=select_categories,
    )


def asks_for_handout(article, select_tags, select_categories):
    """Does the post want a handout? One whose Handout value is malformed
    does, in the sense that its error is worth reporting."""
    try:
        flag = parse_handout_flag(article.metadata.get("handout"))
    except SelectionError:
        return True
    return _selected(article, flag, select_tags, select_categories)


class HandoutPlanner:
    """The plan of one build's handouts, from its settings and Pelican's context."""

    def __init__(self, settings, context, versions=None):
        self.settings = settings
        self.context = context
        self.renderer = HandoutRenderer(settings)
        self.folders = {"content": settings.content_path, "output": settings.output_path, "fonts": FONTS_DIR}
        if settings.brand.logo_file is not None:
            self.folders["logo"] = settings.brand.logo_file.parent
        if settings.brand.photo_file is not None:
            self.folders["photo"] = settings.brand.photo_file.parent
        self.locate_image = image_locator(settings.site_url, context, self.folders)
        plugin_digest = plugin_code_digest()
        self.printable = KnownPrintableContent(
            settings.cache_path,
            # Python's own: Beautiful Soup parses with its html.parser, and urllib joins the addresses.
            fingerprint(
                {"plugin": plugin_digest, "libraries": library_versions(PARSING_LIBRARIES), "python": sys.version}
            ),
            self.locate_image,
        )
        self.shared_inputs = {
            **rendering_code_inputs(plugin_digest, library_versions() if versions is None else versions),
            "templates_and_fonts": {path.name: file_digest(path) for path in self.renderer.template_files()},
            "brand": {name: getattr(settings.brand, name) for name in PRINTED_BRAND_TEXT},
            "fonts": [settings.brand.fonts.body, settings.brand.fonts.headings],
            "logo": [self.renderer.logo_url(), hashlib.sha256(settings.brand.logo_bytes).hexdigest()],
            "photo": [self.renderer.photo_url(), hashlib.sha256(settings.brand.photo_bytes).hexdigest()],
            "pdf_variant": settings.pdf_variant,
            "preview_width": settings.preview_width,
        }
        # The site's events (handbill_events puts them in the context): each takes the posts it lists.
        self.events = tuple(context.get("events", ()))
        self.failures = []  # (source, reason): that post gets no handout
        self.warnings = []  # (source, message): its handout is built all the same

    def _fail(self, source, reason):
        self.failures.append((source, reason))

    # Selection -----------------------------------------------------------

    def _page_size(self, article):
        value = article.metadata.get(PAGE_SIZE_METADATA)
        return self.settings.page_size if value is None else parse_page_size(value)

    def _events_by_post(self):
        """{post slug: the events that list it}."""
        listed = {}
        for event in self.events:
            for slug in event.posts:
                listed.setdefault(slug, []).append(event)
        return listed

    def selected(self, articles):
        """(article, page size, editions) of each post that gets a handout; bad metadata is a failure.

        ``editions`` has None for the post's regular handout (``Handout: yes``,
        or its tags or category) and each event that lists the post (in the
        default language) for that event's edition."""
        listed = self._events_by_post()
        default_lang = self.context.get("DEFAULT_LANG")
        chosen = []
        for article in articles:
            source = article.relative_source_path
            try:
                flag = parse_handout_flag(article.metadata.get("handout"))
            except SelectionError as error:
                self._fail(source, str(error))
                continue
            regular = _selected(article, flag, self.settings.select_tags, self.settings.select_categories)
            editions = [None] if regular else []
            if article.lang == default_lang:
                editions += listed.get(article.slug, [])
            if not editions:
                continue
            try:
                page_size = self._page_size(article)
            except ValueError as error:
                self._fail(source, f"Handout-Page-Size: {error}")
                continue
            chosen.append((article, page_size, tuple(editions)))
        return chosen

    # Editions and documents ------------------------------------------------

    def handed_out_line(self, event):
        return handed_out_line(event.name, event.date.strftime(self.settings.date_format))

    def folder(self, event):
        """The output folder of an edition: the regular one (``event`` None) or an event's."""
        if event is None:
            return self.settings.output_dir
        return f"{self.settings.output_dir}/events/{event.slug}"

    def _qr_target(self, address, article, event):
        """The QR code's address: the post's; at an event, the post or the event's
        page (its ``qr_target``) with the event's campaign, always on the site."""
        if event is None:
            return address
        page = absolute_post_url(self.settings.site_url, event.qr_page(article.url))
        return with_campaign(page, event.campaign)

    def _document(self, article, page_size, content, event):
        address = absolute_post_url(self.settings.site_url, article.url)
        summary = Markup(article.get_summary(self.settings.site_url) or "")
        created = fixed_time(article.date)
        modified = max(created, fixed_time(getattr(article, "modified", None) or article.date))
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
            qr_target=self._qr_target(address, article, event),
            event_line=self.handed_out_line(event) if event else "",
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
        content = self.printable.prepared(html, address)
        self.warnings.extend((article.relative_source_path, problem) for problem in content.problems)
        return content

    def _edition(self, article, page_size, content, event):
        """One edition of a post's handout: regular (``event`` None) or an event's."""
        doc = self._document(article, page_size, content, event)
        # Everything the PDF is made of: the document (post content, metadata,
        # notes, QR address), the images, and the shared inputs (templates, CSS,
        # fonts, brand, logo, rendering code), so an unchanged handout is known
        # without rendering it, or even filling in its template.
        described = {name: value for name, value in vars(doc).items() if name != "content"}
        inputs = {
            **self.shared_inputs,
            "document": described,
            "content": content.html,
            "notes": [vars(note) for note in content.notes],
            "images": {url: file_digest(path) for url, path in content.images},
            "source": file_digest(article.source_path),
        }
        name = self._file_name(article)
        folder = self.folder(event)
        output = self.settings.output_path / folder
        fingerprint_value, identifier = fingerprints(inputs)
        return PlannedHandout(
            article=article,
            doc=doc,
            key=f"{folder}/{name}.pdf",
            pdf_path=output / f"{name}.pdf",
            preview_path=output / f"{name}.png",
            fingerprint=fingerprint_value,
            identifier=identifier,
            event=event,
        )

    def plan(self, chosen):
        """What each selected post's handouts are made of, and where they go."""
        planned = []
        seen = {}
        for article, page_size, editions in chosen:
            source = article.relative_source_path
            try:
                content = self._printable_content(article)
                items = [self._edition(article, page_size, content, event) for event in editions]
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
        self.printable.save()
        return planned

    def job(self, item):
        """The render job of a planned handout: its HTML, filled in only now."""
        return RenderJob(
            key=item.key,
            source=item.doc.source,
            title=item.doc.title_text,
            html=self.renderer.html(item.doc),
            folders=self.folders,
            pdf_path=str(item.pdf_path),
            preview_path=str(item.preview_path),
            preview_width=self.settings.preview_width,
            pdf_variant=self.settings.pdf_variant,
            identifier=item.identifier,
            source_date_epoch=int(fixed_time(item.article.date).timestamp()),
        )
