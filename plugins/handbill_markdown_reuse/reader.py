from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .smarty import use_substituting_smarty

# Python-Markdown's meta extension registers its preprocessor at this priority.
META_PRIORITY = 27


class MarkdownSetupError(Exception):
    """The MARKDOWN setting names an extension or option Python-Markdown cannot use."""


class ReusingMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # completes settings["MARKDOWN"]
        self._markdown = None  # set up by prepare_to_read
        self._meta_preprocessor = None

    def prepare_to_read(self):
        """Set up the one ``Markdown`` instance, if not yet done; returns it.

        Done at the first read, not when the reader is made: a build whose posts all come
        from the content cache reads none, and setting up the extensions (pymdownx compiling
        its patterns, for one) was about 60 ms of such a build at 1,000 posts. Code that forks
        readers (handbill_parallel_reading) calls it first, so that the forks share one.
        """
        if self._markdown is None:
            try:
                markdown = Markdown(**self.settings["MARKDOWN"])
            except Exception as error:
                # Raised at each post's read (Pelican names the post); this names the setting.
                raise MarkdownSetupError(f"MARKDOWN: Python-Markdown cannot be set up: {error}") from error
            use_substituting_smarty(markdown)
            self._meta_preprocessor = markdown.preprocessors["meta"]
            self._markdown = markdown
        return self._markdown

    def read(self, source_path):
        markdown = self.prepare_to_read()
        markdown.reset()
        # Pelican's _parse_metadata deregisters "meta" so that formatted
        # fields are not read as metadata; put it back for the next document.
        if "meta" not in markdown.preprocessors:
            markdown.preprocessors.register(self._meta_preprocessor, "meta", META_PRIORITY)
        self._source_path = source_path
        self._md = markdown
        with pelican_open(source_path) as text:
            content = markdown.convert(text)
        metadata = self._parse_metadata(markdown.Meta) if hasattr(markdown, "Meta") else {}
        return content, metadata
