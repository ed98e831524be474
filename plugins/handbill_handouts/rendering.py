"""Handout HTML from a post, and PDFs (plus a preview image) from that HTML.

``HandoutRenderer`` fills the plugin's templates with a ``HandoutDocument``;
``Rendering`` turns ``RenderJob``s into PDFs in a process pool, since WeasyPrint
is CPU-bound. Workers never log: whatever WeasyPrint warns about comes back in
the ``RenderResult``, so the build reports it in one place.
"""

import contextlib
import gc
import io
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

import jinja2
import segno
from markupsafe import Markup, escape

from handbill.core.atomic import write_bytes_if_changed
from handbill.core.forking import frozen_for_forks
from handbill_brand import shipped_faces

from .addresses import local_url
from .print_markup import address_parts
from .selection import readable_address

VERSION = "1.0.0"

PLUGIN_DIR = Path(__file__).resolve().parent
TEMPLATES_DIR = PLUGIN_DIR / "templates"
# Families the handbill_brand plugin ships are embedded from its files; any other
# family named in BRAND["fonts"] must be installed on the machine.
FALLBACK_STACKS = {
    "body": '"DejaVu Serif", "Liberation Serif", serif',
    "headings": '"DejaVu Sans", "Liberation Sans", sans-serif',
}


def breakable_url(url):
    """A printed address, readable, with a <wbr> wherever it may break."""
    return Markup("<wbr>").join(escape(part) for part in address_parts(url))


def css_string(value):
    """A value as a quoted CSS string, safe inside ``content:`` or ``url()``."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\\n\r\f' or ord(char) < 32 else char for char in str(value))
    return f'"{escaped}"'


def font_url(face):
    """A shipped font file's handout:// address: the ``fonts`` folder is handbill_brand's."""
    return local_url("fonts", face.path.name)


@dataclass(frozen=True)
class HandoutDocument:
    """Everything printed on one handout, taken from a post."""

    source: str  # the post's source file, for messages
    title_html: Markup
    title_text: str
    authors: tuple
    date_text: str
    created: str  # W3C dates: the PDF's creation and modification dates
    modified: str
    summary_text: str
    standfirst_html: Markup  # the post's own Summary, when it has one
    tags: tuple
    lang: str
    address: str  # the post's absolute URL
    qr_target: str  # the address in the QR code (with an event's campaign tag)
    event_line: str  # "Handed out at …" on every page of an event edition, else ""
    page_size: str
    content: object  # print_markup.PrintableContent


# The printed symbol's side, quiet zone not counted: phones read 25 mm from arm's length.
QR_SYMBOL_MM = 25.5
# Modules of white around the symbol; the page's white space around the code adds to them.
QR_BORDER = 2


@dataclass(frozen=True)
class QRCode:
    data_uri: str  # a vector image (SVG); black on white scans best
    size: str  # CSS length of the image, quiet zone included


def qr_data_uri(target, border=4):
    """A vector QR code (SVG) of ``target``; black on white scans best."""
    code = segno.make_qr(target, error="m")
    return code.svg_data_uri(scale=1, border=border, dark="#000000", light="#ffffff")


def qr_code(target):
    """The handout's QR code, sized so that its symbol is QR_SYMBOL_MM wide."""
    modules = segno.make_qr(target, error="m").symbol_size(border=0)[0]
    size_mm = QR_SYMBOL_MM * (modules + 2 * QR_BORDER) / modules
    return QRCode(qr_data_uri(target, QR_BORDER), f"{size_mm:.2f}mm")


class HandoutRenderer:
    """The plugin's templates filled with one build's brand settings."""

    def __init__(self, settings):
        self.settings = settings
        self.brand = settings.brand
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
            # HTML is escaped; CSS is not (its values are checked, and text goes through css_string).
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False),
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )
        self._env.filters["css_string"] = css_string
        self._env.filters["breakable_url"] = breakable_url
        self._env.filters["font_url"] = font_url
        fonts = self.brand.fonts
        self.font_faces = shipped_faces([fonts.body, fonts.headings])
        self._stacks = {
            "body_stack": f"{css_string(fonts.body)}, {FALLBACK_STACKS['body']}",
            "headings_stack": f"{css_string(fonts.headings)}, {FALLBACK_STACKS['headings']}",
        }

    def template_files(self):
        """Files whose bytes shape every handout (for the cache fingerprint)."""
        return sorted(TEMPLATES_DIR.glob("*")) + [face.path for face in self.font_faces]

    def logo_url(self):
        return local_url("logo", self.brand.logo_file.name) if self.brand.logo_file else ""

    def photo_url(self):
        return local_url("photo", self.brand.photo_file.name) if self.brand.photo_file else ""

    def html(self, doc):
        brand = self.brand
        website = readable_address(brand.website) if brand.website else ""
        owner_line = " · ".join(part for part in (brand.name, website) if part)
        stylesheet = self._env.get_template("handout.css").render(
            font_faces=self.font_faces,
            page_size=doc.page_size,
            accent=brand.accent_color,
            owner_line=owner_line,
            footer_line=brand.footer_line,
            event_line=doc.event_line,
            **self._stacks,
        )
        address = readable_address(doc.address)
        return self._env.get_template("handout.html").render(
            doc=doc,
            brand=brand,
            version=VERSION,
            stylesheet=Markup(stylesheet),
            logo_url=self.logo_url(),
            photo_url=self.photo_url(),
            contact=[part for part in (website, brand.email, brand.phone) if part],
            # The address breaks only after a slash, so each line is a whole part of it.
            address_parts=[part for part in re.split(r"(?<=/)", address) if part],
            qr=qr_code(doc.qr_target),
            closing_variants=CLOSING_VARIANTS,
        )


@dataclass(frozen=True)
class RenderJob:
    key: str  # where the PDF goes, relative to the site's output
    source: str  # the post's source file, for messages
    title: str
    html: str
    folders: dict  # what the handout:// addresses in ``html`` point to: {name: folder}
    pdf_path: str
    preview_path: str | None  # a PNG of page 1, or None
    preview_width: int
    pdf_variant: str | None
    identifier: str  # the PDF's file identifier: the fingerprint of its inputs
    source_date_epoch: int  # the post's date: the time stamped into embedded fonts


@dataclass(frozen=True)
class RenderResult:
    key: str
    pages: int = 0
    size: int = 0
    warnings: tuple = ()
    error: str | None = None
    seconds: float = 0.0  # spent on it in its process: layout, PDF, preview, writing


class _CollectWarnings(logging.Handler):
    """Keep what WeasyPrint warns about during one rendering."""

    def __init__(self):
        super().__init__(level=logging.WARNING)
        self.messages = []
        self._logger = logging.getLogger("weasyprint")
        self._propagate = True

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        self._propagate = self._logger.propagate
        self._logger.propagate = False
        self._logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self._logger.removeHandler(self)
        self._logger.propagate = self._propagate


@contextlib.contextmanager
def _source_date_epoch(seconds):
    """fontTools stamps each font subset it writes with SOURCE_DATE_EPOCH, or
    else the current time, which would make two renderings differ."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(seconds)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def first_page_png(pdf_bytes, width):
    """Page 1 of a PDF as PNG bytes, ``width`` pixels wide."""
    import pypdfium2  # only needed when a handout is rendered

    document = pypdfium2.PdfDocument(pdf_bytes)
    try:
        page = document[0]
        image = page.render(scale=width / page.get_width()).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        document.close()


@contextlib.contextmanager
def libraries_opened_by_name():
    """While WeasyPrint is first imported, on Linux: ``ctypes.util.find_library`` finds nothing,
    so that each library is opened by the name it is installed under.

    Why: WeasyPrint tries several names for each library it loads (gobject, pango,
    harfbuzz...), and for each name it cannot open as given, cffi asks
    ``find_library``, which on Linux runs ldconfig and then, for a name ldconfig
    does not know, gcc and ld: about 200 processes for one import when gcc is
    installed (Kozea/WeasyPrint#1125), 0.12 s of its 0.41 s here. Among the names of
    every library WeasyPrint needs is its Linux soname (``libpango-1.0.so.0``),
    which cffi opens directly, as the dynamic loader finds it (LD_LIBRARY_PATH
    included): the same file a search would have found.
    """
    if not sys.platform.startswith("linux") or "weasyprint.text.ffi" in sys.modules:
        yield
        return
    import ctypes.util

    searching = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = searching


class _SharedFonts:
    """The FontConfiguration of the rendering process. Shared by the handouts
    it renders, WeasyPrint loads the bundled fonts once rather than for each
    handout; the PDFs are byte for byte the same."""

    configuration = None

    @classmethod
    def open(cls):
        with libraries_opened_by_name():
            from weasyprint.text.fonts import FontConfiguration

        cls.configuration = FontConfiguration()

    @classmethod
    def close(cls):
        cls.configuration = None
        gc.collect()  # the last documents refer to it in cycles; its __del__ removes its temporary folder


def _start_worker(warm_up_lang=None):
    _SharedFonts.open()
    # Pool workers end with os._exit, so no __del__ would run; this does.
    multiprocessing.util.Finalize(None, _SharedFonts.close, exitpriority=10)
    if warm_up_lang is not None:
        _warm_up(warm_up_lang)


# The first document a process renders pays for what WeasyPrint sets up once (cffi parsing
# the C types it asks for, the hyphenation dictionary of the language, Pango's first layout):
# 0.12 s for a short handout here, 0.05 s for the next ones.
_WARM_UP_HTML = '<html lang="{lang}"><body style="hyphens: auto"><p>{words}</p></body></html>'


def _warm_up(lang):
    """Render a paragraph in ``lang`` and forget it, so that the first handout renders as fast as the next."""
    from weasyprint import HTML

    words = " ".join(["Conversations", "at", "breakfast", "meetings", "become", "referrals."] * 30)
    # Only a head start: whatever goes wrong here goes wrong again, reported, in a real handout.
    with _CollectWarnings(), contextlib.suppress(Exception):
        html = HTML(string=_WARM_UP_HTML.format(lang=escape(lang), words=words))
        html.render(font_config=_SharedFonts.configuration).write_pdf()


def _ready():
    """A job that does nothing: it makes a pool start its processes (``RenderingProcesses``)."""


# The panel that closes a handout's last page (who wrote it, how to reach
# them, the QR code), largest first. The largest that fits in the space the
# text leaves on its last page is printed, at the foot of that page; when not
# even the smallest fits, the largest gets a page of its own.
CLOSING_VARIANTS = ("full", "compact", "minimal")
_PX_PER_MM = 96 / 25.4
CLOSING_GAP = 6 * _PX_PER_MM  # the least space between the text and the panel
_ROUNDING_ALLOWANCE = 1  # px left over at the page's foot, so rounding never pushes the panel on
# The measuring layout: the variants one under the other after the text, from the top of
# a page of their own, as the largest is printed when it gets a page of its own.
_MEASURING_CSS = f"""
.closing {{ margin-top: 0 !important; }}
.closing--{CLOSING_VARIANTS[0]} {{ break-before: page !important; }}
"""


@dataclass(frozen=True)
class ClosingFit:
    variant: str
    margin_top: float  # px, to 2 decimals as the stylesheet has it: puts the panel at the foot of the last page
    own_page: bool
    on_first_page: bool  # then page 1's masthead already has the QR code

    def stylesheet(self):
        chosen = f".closing--{self.variant}"
        page_break = "page" if self.own_page else "auto"
        rules = [
            f".closing:not({chosen}) {{ display: none !important; }}",
            f"{chosen} {{ margin-top: {self.margin_top:.2f}px !important; break-before: {page_break} !important; }}",
        ]
        if self.on_first_page:
            rules.append(".closing__qr { display: none !important; }")
        return "\n".join(rules)


def _boxes(box):
    """``box`` and every box inside it, outermost first."""
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _closing_variant(box):
    element = getattr(box, "element", None)
    classes = element.get("class", "").split() if element is not None else ()
    return next((variant for variant in CLOSING_VARIANTS if f"closing--{variant}" in classes), None)


def _closing_panels(measured):
    """{variant: (page index, box)} of each closing variant in a measuring layout (its first box)."""
    panels = {}
    for number, page in enumerate(measured.pages):
        for box in _boxes(page._page_box):
            variant = _closing_variant(box)
            if variant is not None and variant not in panels:
                panels[variant] = (number, box)
    return panels


def _body(page_box):
    return next(box for box in _boxes(page_box) if getattr(box, "element_tag", None) == "body")


def _border_box_bottom(box):
    return box.position_y + box.margin_top + box.border_height()


def fit_closing(measured):
    """The closing panel's place, read from a document laid out with
    ``_MEASURING_CSS``; None when the document has no closing panel."""
    panels = _closing_panels(measured)
    if not panels:
        return None
    last_text_page = min(number for number, _ in panels.values()) - 1
    page_box = measured.pages[last_text_page]._page_box
    body = _body(page_box)
    # Border boxes, not the body's height: the last paragraph's bottom margin may or may not be in that.
    text_end = max((_border_box_bottom(box) for box in _boxes(body) if box is not body), default=body.content_box_y())
    space = page_box.content_box_y() + page_box.height - text_end
    for variant in CLOSING_VARIANTS:
        margin_top = space - panels[variant][1].border_height() - _ROUNDING_ALLOWANCE
        if margin_top >= CLOSING_GAP:
            return ClosingFit(variant, round(margin_top, 2), own_page=False, on_first_page=last_text_page == 0)
    return ClosingFit(CLOSING_VARIANTS[0], 0, own_page=True, on_first_page=False)


def _lay_out(html, font_config, stylesheet, options):
    """``html.render(font_config, stylesheets=[stylesheet], **options)``, and
    the layout context it made, which WeasyPrint keeps to itself: the pages'
    margin boxes are made with it. The steps are those of WeasyPrint 70's
    ``Document._render``; test_closing_single_layout checks them on upgrades."""
    from weasyprint import DEFAULT_OPTIONS
    from weasyprint.css.counters import CounterStyle
    from weasyprint.document import Document, Page
    from weasyprint.formatting_structure.build import build_formatting_structure
    from weasyprint.html import get_html_metadata
    from weasyprint.layout import layout_document
    from weasyprint.pdf import VARIANTS
    from weasyprint.pdf.metadata import DocumentMetadata
    from weasyprint.text.fonts import FontConfiguration

    font_config = font_config or FontConfiguration()
    options = {**DEFAULT_OPTIONS, **options, "stylesheets": [stylesheet]}
    if variant := options["pdf_variant"]:
        _, properties = VARIANTS[variant]
        options.update({key: properties[key] for key, value in options.items() if value is None and key in properties})
    counter_style, color_profiles = CounterStyle(), {}
    context = Document._build_layout_context(html, font_config, counter_style, color_profiles, options)
    root_box = build_formatting_structure(
        html.etree_element,
        context.style_for,
        context.get_image_from_uri,
        html.base_url,
        context.target_collector,
        counter_style,
        context.footnotes,
    )
    pages = [Page(page_box) for page_box in layout_document(html, root_box, context)]
    metadata = DocumentMetadata(**get_html_metadata(html))
    document = Document(pages, metadata, html.url_fetcher, font_config, color_profiles, options["output_intent"])
    return document, context


def _panel_on(page_box, variant):
    """The box of a closing variant on a page, or None."""
    return next((child for child in _body(page_box).children if _closing_variant(child) == variant), None)


def _end_with(page_box, panel):
    """The page's body, and the root around it, end with ``panel``, as in a layout."""
    body = _body(page_box)
    body.height = panel.position_y + panel.margin_height() - body.content_box_y()
    root = page_box.children[0]
    root.height = body.position_y + body.margin_height() - root.content_box_y()


def _place_at_foot(page_box, panel, margin_top):
    """Put ``panel`` after the text of ``page_box``, ``margin_top`` below it,
    where a layout puts a block that follows the text: its margin box starts
    at the foot of the border box of the body's last child."""
    body = _body(page_box)
    top = _border_box_bottom(body.children[-1])
    panel.translate(0, top + margin_top - (panel.position_y + panel.margin_top))
    panel.position_y, panel.margin_top = top, margin_top
    body.children = [*body.children, panel]
    _end_with(page_box, panel)


def _make_margin_boxes(context, page_boxes):
    """Each page's margin boxes made anew, counting ``page_boxes``' pages."""
    from weasyprint.formatting_structure.boxes import MarginBox
    from weasyprint.layout.background import layout_backgrounds
    from weasyprint.layout.page import make_margin_boxes

    for _, _, _, page_state, _ in context.page_maker:
        page_state[1]["pages"] = [len(page_boxes)]
    for number, page_box in enumerate(page_boxes, start=1):
        context.current_page = number
        laid_out = [child for child in page_box.children if not isinstance(child, MarginBox)]
        margin_boxes = make_margin_boxes(context, page_box, context.page_maker[number][3])
        page_box.children = [*laid_out, *margin_boxes]
        layout_backgrounds(page_box, context.get_image_from_uri)


def _closed_document(measured, context, fit):
    """The document ``fit.stylesheet()`` lays out, made from its measuring
    layout instead, as long as the panel keeps its QR code: the text pages
    are the same, and each variant is laid out already."""
    from weasyprint.document import Page

    panels = _closing_panels(measured)
    page_boxes = [page._page_box for page in measured.pages]
    if fit.own_page:
        # The largest variant starts at the top of a page, as printed (and goes on over
        # the next when it is taller than a page); the others go.
        last = max(number for number, page_box in enumerate(page_boxes) if _panel_on(page_box, fit.variant))
        page_boxes = page_boxes[: last + 1]
        body = _body(page_boxes[-1])
        body.children = [child for child in body.children if _closing_variant(child) in {None, fit.variant}]
        _end_with(page_boxes[-1], _panel_on(page_boxes[-1], fit.variant))
    else:
        page_boxes = page_boxes[: min(number for number, _ in panels.values())]
        _place_at_foot(page_boxes[-1], panels[fit.variant][1], fit.margin_top)
    if len(page_boxes) != len(measured.pages):
        _make_margin_boxes(context, page_boxes)
    return measured.copy([Page(page_box) for page_box in page_boxes])


def laid_out_handout(html, font_config, options):
    """A handout's ``weasyprint.HTML`` laid out, its closing panel at the foot of its last page."""
    from weasyprint import CSS

    measured, context = _lay_out(html, font_config, CSS(string=_MEASURING_CSS), options)
    fit = fit_closing(measured)
    if fit is None:
        return measured
    if fit.on_first_page:
        # The panel without its QR code is another layout; of a one-page handout, a short one.
        return html.render(font_config=font_config, stylesheets=[CSS(string=fit.stylesheet())], **options)
    return _closed_document(measured, context, fit)


def render_job(job):
    """One handout: PDF (and preview) on disk; never raises."""
    started = time.perf_counter()
    # Imported here: a build whose handouts are all up to date never loads WeasyPrint.
    from weasyprint import HTML

    from .fetcher import LocalFileFetcher

    warnings = _CollectWarnings()
    options = {"pdf_variant": job.pdf_variant} if job.pdf_variant else {}
    try:
        with warnings, _source_date_epoch(job.source_date_epoch):
            fetcher = LocalFileFetcher(job.folders)
            html = HTML(string=job.html, base_url=local_url("content", ""), url_fetcher=fetcher)
            document = laid_out_handout(html, _SharedFonts.configuration, options)
            pdf = document.write_pdf(pdf_identifier=job.identifier.encode(), **options)
        write_bytes_if_changed(job.pdf_path, pdf)
        if job.preview_path:
            write_bytes_if_changed(job.preview_path, first_page_png(pdf, job.preview_width))
    except Exception as error:  # noqa: BLE001 - one failed handout must not stop the others
        return RenderResult(
            job.key,
            warnings=tuple(warnings.messages),
            error=f"{type(error).__name__}: {error}",
            seconds=time.perf_counter() - started,
        )
    return RenderResult(
        job.key, len(document.pages), len(pdf), tuple(warnings.messages), seconds=time.perf_counter() - started
    )


class RenderingProcesses:
    """A pool of ``workers`` processes that render handouts, forked with the build's objects
    frozen (``frozen_for_forks``) until the pool ends. ``start_method`` None is the platform's
    default (fork or forkserver on Linux, spawn on macOS and Windows); every one works, since
    the processes import ``render_job`` from the installed package by name.

    WeasyPrint is imported by each process, not by the build for them to share: the build
    would then carry it to its end, and its peak is later, beside Pagefind. Made with
    ``start_now``, the processes start at once, import WeasyPrint, load the fonts and render
    a paragraph in ``lang`` (WeasyPrint's one-time set-up) before any job comes
    (``start_rendering_early``); otherwise as the first jobs come."""

    def __init__(self, workers, start_method=None, start_now=False, lang="en"):
        self.workers = workers
        self.executor = None
        self._ending, self._releasing = None, threading.Lock()  # see release
        self._frozen = contextlib.ExitStack()
        self._frozen.enter_context(frozen_for_forks())
        try:
            context = multiprocessing.get_context(start_method)
            warm_up = (lang,) if start_now else (None,)
            self.executor = ProcessPoolExecutor(workers, context, initializer=_start_worker, initargs=warm_up)
            if start_now:
                # One job each: a pool forks all its processes at its first job, or (not forking)
                # one more for each job that finds none of them idle.
                for _ in range(workers):
                    self.executor.submit(_ready)
        except BaseException:
            self.close(cancel=True)
            raise

    def release(self):
        """End the processes once the jobs handed to them are done, without waiting for
        them here (a thread does); ``close`` must still be called, and waits for it."""
        with self._releasing:
            if self.executor is None or self._ending is not None:
                return
            self._ending = threading.Thread(target=self.executor.shutdown, name="handout-processes-ending")
            self._ending.start()

    def close(self, cancel=False):
        """End the processes, once the jobs are done, or (``cancel``) the running ones are."""
        with self._releasing:
            ending = self._ending
        if ending is not None:
            ending.join()  # before shutting down here too: one shutdown at a time
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=cancel)
        self._frozen.close()


class Rendering:
    """Handouts being rendered: made with the ``jobs`` (any iterable, best longest first),
    ``results()`` yields each ``(job, RenderResult)`` as it finishes; ``abandon()`` stops.

    With ``processes`` (``RenderingProcesses``), or more than one of ``workers`` (a pool
    of that many is made), every job is handed to the processes when this is made (each
    as soon as it is made, so they render the first handouts while this process still
    fills in the HTML of the others), and this process is free until it asks for the
    results. Otherwise the jobs are rendered here, as ``results()`` asks for them."""

    def __init__(self, jobs, workers, start_method=None, processes=None):
        self.started = time.perf_counter()
        self.last_finished = None  # when the last result came, for the build's report
        self._processes = processes
        self._in_this_process = processes is None and workers == 1
        if self._in_this_process:
            self._jobs = jobs
            return
        self._jobs = {}
        self._broken = []  # (job, result) of jobs the pool would not take
        # The processes end when their last job is done rather than when the results are
        # asked for: the build asks just before rendering its pages, seconds later at 5,000
        # posts, while two processes of some 85 MB each sat idle beside its other work.
        self._all_handed_over = False
        try:
            if self._processes is None:
                self._processes = RenderingProcesses(workers, start_method)
            for job in jobs:
                try:
                    future = self._processes.executor.submit(render_job, job)
                except BrokenProcessPool as error:
                    self._broken.append((job, _died(job, error)))
                    self.last_finished = time.perf_counter()
                else:
                    future.add_done_callback(self._note_finish)
                    self._jobs[future] = job
            self._all_handed_over = True
            self._release_when_done()
        except BaseException:  # a job that could not be made: no pool or frozen objects are left behind
            self.abandon()
            raise

    def _note_finish(self, _future):
        self.last_finished = time.perf_counter()
        self._release_when_done()

    def _release_when_done(self):
        # On the pool's own thread as each job ends, and here once the last is handed over: the
        # jobs are no longer added to then. Both may find them all done; release is idempotent.
        processes = self._processes
        if self._all_handed_over and processes is not None and all(future.done() for future in self._jobs):
            processes.release()

    def results(self):
        if self._in_this_process:
            _SharedFonts.open()
            try:
                for job in self._jobs:
                    yield job, render_job(job)
            finally:
                _SharedFonts.close()
                self.last_finished = time.perf_counter()
            return
        try:
            yield from self._broken
            for future in as_completed(self._jobs):
                job = self._jobs[future]
                try:
                    result = future.result()
                except BrokenProcessPool as error:
                    result = _died(job, error)
                yield job, result
        finally:
            self._close(cancel=False)

    def abandon(self):
        """Stop: no job is started any more, and the pool's processes end."""
        self._close(cancel=True)

    def _close(self, cancel):
        processes, self._processes = self._processes, None
        if processes is not None:
            processes.close(cancel)


def _died(job, error):
    return RenderResult(job.key, error=f"the rendering process died ({error})")
