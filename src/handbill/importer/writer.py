"""Write a staged import into ``content/``: new files only, each written whole.

A file that already holds exactly the staged text is left alone, so running
the same import twice changes nothing. A file that holds something else (a
post or comment the owner edited after importing it, or one of their own
with the same name) is kept as it is and reported: an import never
overwrites the owner's work. Only a record holding exactly what an earlier
import wrote, and that staging says this one replaces (``replaceable``), is
written again.
"""

from dataclasses import dataclass, field

from handbill.core.atomic import atomic_write_text
from handbill.core.records import format_record, record_path, write_record


@dataclass
class WriteResult:
    written: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    kept: list = field(default_factory=list)  # existing files that differ, left as they are
    media: object = None  # the MediaReport of the images and uploads fetched, None when none were


def _existing_text(path):
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def write_import(staged):
    """Write the files and records of ``staged``; a WriteResult says what happened to each."""
    result = WriteResult()
    # Sort everything first, then write, so what is kept is decided on the
    # content as it was before this import.
    posts_to_write, records_to_write = [], []
    for staged_file in staged.files:
        existing = _existing_text(staged_file.path)
        if existing is None:
            posts_to_write.append(staged_file)
        else:
            (result.unchanged if existing == staged_file.text else result.kept).append(staged_file.path)
    for record in staged.records:
        path = record_path(staged.comments_dir, record)
        existing = _existing_text(path)
        if existing is None or existing == staged.replaceable.get(path):
            records_to_write.append(record)
        else:
            (result.unchanged if existing == format_record(record) else result.kept).append(path)
    for staged_file in posts_to_write:
        atomic_write_text(staged_file.path, staged_file.text)
        result.written.append(staged_file.path)
    for record in records_to_write:
        write_record(staged.comments_dir, record, overwrite=True)
        result.written.append(record_path(staged.comments_dir, record))
    return result
