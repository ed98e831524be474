"""What a deployment changes: new, changed and removed files (pure, plus a folder walk)."""

import hashlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ChangeSet:
    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def empty(self):
        return not (self.new or self.changed or self.removed)

    def summary(self):
        return f"{len(self.new)} new, {len(self.changed)} changed, {len(self.removed)} removed"

    def lines(self):
        """One line per file, ``+`` new, ``~`` changed, ``-`` removed."""
        return [
            *(f"+ {path}" for path in self.new),
            *(f"~ {path}" for path in self.changed),
            *(f"- {path}" for path in self.removed),
        ]


def compare(new, old):
    """The ChangeSet from ``old`` to ``new``, both {relative path: content digest}."""
    return ChangeSet(
        new=tuple(sorted(path for path in new if path not in old)),
        changed=tuple(sorted(path for path in new if path in old and old[path] != new[path])),
        removed=tuple(sorted(path for path in old if path not in new)),
    )


def blob_digest(data):
    """The digest git gives a file with these bytes, so git trees compare directly."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def folder_digests(folder):
    """{path relative to ``folder`` (with /): blob digest} for every file below it."""
    folder = Path(folder)
    return {
        path.relative_to(folder).as_posix(): blob_digest(path.read_bytes())
        for path in folder.rglob("*")
        if path.is_file()
    }
