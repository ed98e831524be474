"""A plugin for the tests: a generator that runs after the articles' and pages', as the search index
does, and notes which article pages were on disk when it ran."""

from pathlib import Path

from pelican import signals

seen = []


class ReadsWrittenPages:
    def __init__(self, *args, **kwargs):
        self.output_path = kwargs["output_path"]

    def generate_context(self):
        pass

    def generate_output(self, writer):
        seen[:] = sorted(path.parent.name for path in Path(self.output_path).glob("posts/*/index.html"))


def add_generator(pelican):
    return ReadsWrittenPages


def register():
    signals.get_generators.connect(add_generator)
