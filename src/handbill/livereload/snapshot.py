"""Which pages and page assets in output/ a build changed, by their bytes.

A build may rewrite a file with the same bytes; only a real change should
reload the browser. Files are hashed only when their size or mtime moved.
"""

import hashlib
import os
from dataclasses import dataclass

from .pages import PAGE_ASSET


@dataclass(frozen=True)
class Seen:
    size: int
    mtime_ns: int
    digest: bytes


def _tracked(name):
    return name.endswith(".html") or PAGE_ASSET.search(name) is not None


def _digest(path):
    with open(path, "rb") as file:
        return hashlib.file_digest(file, "blake2b").digest()


class OutputSnapshot:
    """The tracked files of one output folder as last seen."""

    def __init__(self, output):
        self.output = os.fspath(output)
        self.seen = {}

    def _walk(self, folder=""):
        try:
            entries = list(os.scandir(os.path.join(self.output, folder)))
        except FileNotFoundError:
            return
        for entry in entries:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            if entry.is_dir(follow_symlinks=False):
                yield from self._walk(relative)
            elif _tracked(entry.name):
                yield relative, entry.stat()

    def _look(self, relative, stat):
        """Seen for ``relative`` now, hashing it only if its stat moved."""
        before = self.seen.get(relative)
        if before and (before.size, before.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            return before
        return Seen(stat.st_size, stat.st_mtime_ns, _digest(os.path.join(self.output, relative)))

    def update(self):
        """Look at the whole folder again; returns the relative paths whose bytes
        changed, appeared or disappeared since the last look, sorted."""
        now = {}
        for relative, stat in self._walk():
            try:
                now[relative] = self._look(relative, stat)
            except FileNotFoundError:  # removed between listing and reading
                continue
        changed = {r for r, seen in now.items() if r not in self.seen or self.seen[r].digest != seen.digest}
        changed |= self.seen.keys() - now.keys()
        self.seen = now
        return sorted(changed)

    def note(self, relative):
        """Take ``relative`` as it is now (a file written outside a full build),
        so that the next build writing the same bytes does not count as a change."""
        path = os.path.join(self.output, relative)
        try:
            self.seen[relative] = self._look(relative, os.stat(path))
        except FileNotFoundError:
            self.seen.pop(relative, None)
