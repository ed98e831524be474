"""A set of files that the parts of a build report to while it runs, emptied when the next begins.

``build_outputs`` (the files written) and ``build_inputs`` (the content files
read besides Pelican's own) are each one of these.
"""

import os


class BuildPaths:
    def __init__(self):
        self._paths = set()

    def start(self):
        """Forget the previous build's files: a new build begins (each run's ``get_generators``)."""
        self._paths.clear()

    def record(self, path):
        """``path`` belongs to this build's set."""
        self._paths.add(os.path.abspath(path))

    def recorded(self):
        """The absolute paths recorded since ``start``."""
        return frozenset(self._paths)
