"""Pelican's Writer, writing a page or feed only when its bytes differ from the file's."""

import io
import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

from handbill.core.atomic import write_bytes_if_changed

logger = logging.getLogger(__name__)


class _ChangedOnlyFile(io.StringIO):
    """The text Pelican writes, held in memory and saved when the ``with`` block ends without error."""

    def __init__(self, path, encoding):
        super().__init__()
        self._path, self._encoding = path, encoding

    def __exit__(self, exc_type, exc, traceback):
        if exc_type is None:
            write_bytes_if_changed(self._path, self.getvalue().encode(self._encoding))
        return super().__exit__(exc_type, exc, traceback)


class ChangedOnlyWriter(Writer):
    """An unchanged file keeps its bytes, inode and mtime; a changed one is replaced atomically,
    so the web server never serves half a page while livereload rebuilds."""

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
        return _ChangedOnlyFile(filename, encoding)
