"""Pelican's Writer, writing a page or feed only when its bytes differ from the file's,
rendering a page only when its inputs differ from the last good build's, and
leaving the rendering to workers on every core when the run allows it."""

import io
import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

from handbill.core.atomic import write_bytes_if_changed

logger = logging.getLogger(__name__)


class _ChangedOnlyFile(io.StringIO):
    """The text Pelican writes, held in memory and saved when the ``with`` block ends without error
    (or queued, when the text is a stand-in for a page the workers will render). ``text_on_disk``
    is the file's text when the writer read it already (``_PageTemplate``): the same text is
    left as it is without reading the file again."""

    def __init__(self, path, encoding, pending_pages, text_on_disk=None):
        super().__init__()
        self._path, self._encoding, self._pending_pages = path, encoding, pending_pages
        self._text_on_disk = text_on_disk

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            text = self.getvalue()
            unchanged = text == self._text_on_disk
            if not unchanged and (self._pending_pages is None or not self._pending_pages.claim(self._path, text)):
                write_bytes_if_changed(self._path, text.encode(self._encoding), durable=False)
        return super().__exit__(exc_type, exc, traceback)


class _PageTemplate:
    """A page's template as the writer sees it: the page's text from its last good file when
    ``render_record`` says nothing it is rendered from changed, else a stand-in queued for the
    workers (``pending_pages``), else the template's own rendering."""

    def __init__(self, template, context, writer):
        self._template, self._context, self._writer = template, context, writer

    def render(self, localcontext):
        writer = self._writer
        if writer.render_record is not None:
            known = writer.render_record.page_text(writer.output_path, localcontext["output_file"])
            if known is not None:
                path = os.path.abspath(os.path.join(writer.output_path, localcontext["output_file"]))
                writer.texts_on_disk[path] = known  # as Pelican's writer will open it (sanitised_join)
                return known
        if writer.pending_pages is not None:
            return writer.pending_pages.defer(self._template, localcontext, self._context)
        return self._template.render(localcontext)

    def __getattr__(self, name):
        return getattr(self._template, name)


class ChangedOnlyWriter(Writer):
    """An unchanged file keeps its bytes, inode and mtime; a changed one is replaced atomically,
    so the web server never serves half a page while livereload rebuilds. A page is not rendered
    at all when the site's inputs are those of the last good build and its file is as then left
    (``render_record``, a ``unchanged_inputs.RenderRecord``), and is rendered by a worker when
    ``pending_pages`` (a ``parallel_writing.PendingPages``) is set. The plugin sets both for each
    run in a subclass; outside a run (livereload's quick page) neither is set."""

    render_record = None
    pending_pages = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.texts_on_disk = {}  # {path: the text its file holds} of pages the render record gave

    def write_file(self, name, template, context, *args, **kwargs):
        if self.render_record is not None and name:
            self.render_record.decide(self.settings)
        if name and (self.render_record is not None or self.pending_pages is not None):
            template = _PageTemplate(template, context, self)
        return super().write_file(name, template, context, *args, **kwargs)

    def _open_w(self, filename, encoding, override=False):
        # Pelican's own rule for a file written twice in one build, unchanged;
        # only where the text goes differs (Writer._open_w opens the file itself).
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" a second time (was previously overwritten)'
                )
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if not override:
                raise FileOverwriteFailedError(
                    f'Failed to overwrite "{filename}" as Pelican has already written to it previously '
                    "(set `override=True` if intended)"
                )
            logger.info('Overwriting "%s"', filename)
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _ChangedOnlyFile(filename, encoding, self.pending_pages, self.texts_on_disk.pop(filename, None))
