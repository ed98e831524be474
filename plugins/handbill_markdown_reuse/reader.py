from markdown import Markdown
from pelican.readers import MarkdownReader
from pelican.utils import pelican_open

from .smarty import use_substituting_smarty

# Python-Markdown's meta extension registers its preprocessor at this priority.
META_PRIORITY = 27


class ReusingMarkdownReader(MarkdownReader):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # completes settings["MARKDOWN"]
        self._markdown = Markdown(**self.settings["MARKDOWN"])
        use_substituting_smarty(self._markdown)
        self._meta_preprocessor = self._markdown.preprocessors["meta"]

    def read(self, source_path):
        markdown = self._markdown
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
