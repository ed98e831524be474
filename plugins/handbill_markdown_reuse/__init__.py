"""Read Markdown posts with one reused ``Markdown`` instance instead of a new one per file.

Pelican's Markdown reader builds a fresh ``markdown.Markdown`` for every file,
and setting up the extensions costs about as much as converting a short post.
Python-Markdown supports ``reset()`` between documents, so one instance per
reader serves them all. When the smarty extension is on, its tree processor
is swapped for a faster one with the same output (see ``smarty.py``). Output
is identical (see the tests). The instance is set up at the reader's first
read (``prepare_to_read``), so a build that reads every post from the content
cache never sets up the extensions. No settings.
"""

from pelican import signals

from .reader import ReusingMarkdownReader


def use_reusing_reader(readers):
    for extension in ReusingMarkdownReader.file_extensions:
        readers.reader_classes[extension] = ReusingMarkdownReader


def register():
    signals.readers_init.connect(use_reusing_reader)
