"""What the last Pagefind runs were given and what they produced, so that an unchanged site is not indexed again.

Pagefind takes seconds on a large site even when no page changed. The record
(``<CACHE_PATH>/handbill_search/index-digest.json``) keeps, for each part of the
index (``parts.py``) by its folder in the output, one digest of everything that
part is made from (the relative paths and bytes of its pages, the command with
its options, the index's folder, which Pagefind runs: package versions, binary,
and its ``PAGEFIND_*`` environment variables, which it reads as options) and the
files its run produced, by path in the output, with their size and SHA-256. A
part is current when its digest is the same AND each of those files is still in
the output with the same bytes: a clean build, output_sync or a hand edit may
have removed or changed them. Hashing them costs a read of the bundle (a few MB
at 1,000 posts); a size check alone would miss a same-size edit. A missing or
unreadable record means "run Pagefind" for every part.
"""

import hashlib
import json
import logging
import os
from importlib import metadata
from pathlib import Path

from pagefind.service import get_executable

from handbill.core.atomic import atomic_write_text

logger = logging.getLogger(__name__)

RECORD_FORMAT = 2
PAGEFIND_DISTRIBUTIONS = ("pagefind", "pagefind-bin", "pagefind-bin-extended")


def _version(distribution):
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def pagefind_identity():
    """Which Pagefind runs, as JSON-able values: a new version, binary or option gives another index."""
    try:
        executable = os.path.realpath(get_executable())
        status = os.stat(executable)
        binary = {"path": executable, "size": status.st_size, "mtime_ns": status.st_mtime_ns}
    except (OSError, TypeError):  # no binary found (None) or a path to nothing: the run will say so
        binary = None
    return {
        "versions": {name: _version(name) for name in PAGEFIND_DISTRIBUTIONS},
        "binary": binary,
        "environment": {name: value for name, value in sorted(os.environ.items()) if name.startswith("PAGEFIND_")},
    }


def input_digest(setup, pages):
    """SHA-256 (hex) of ``setup`` (JSON-able) and ``pages``, an iterable of (relative path, bytes)."""
    digest = hashlib.sha256(json.dumps(setup, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    for relative, data in pages:
        # The path and length delimit each page, so no two different inputs read the same.
        digest.update(f"\0{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def read_pages(output, files):
    """(relative path, bytes) of each of ``files`` in ``output``; OSError if one cannot be read."""
    for relative in files:
        yield relative, (Path(output) / relative).read_bytes()


def bytes_entry(data):
    """What the record keeps of a file that holds ``data``."""
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _holds(path, entry):
    try:
        if path.stat().st_size != entry.get("size"):
            return False
        return bytes_entry(path.read_bytes())["sha256"] == entry.get("sha256")
    except OSError:
        return False


def load_record(path):
    """The record at ``path`` as ``{part's folder: (digest, {relative path: entry})}``; empty if none is usable."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("Search: %s is unreadable (%s); Pagefind will run", path, error)
        return {}
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT or not isinstance(data.get("parts"), dict):
        return {}
    return {folder: (part["digest"], part["files"]) for folder, part in data["parts"].items() if _usable(part)}


def _usable(part):
    if not isinstance(part, dict):
        return False
    digest, files = part.get("digest"), part.get("files")
    return (
        isinstance(digest, str)
        and isinstance(files, dict)
        and bool(files)
        and all(isinstance(entry, dict) for entry in files.values())
    )


def current_files(part, digest, output):
    """The absolute paths of a part's recorded files (``part`` as ``load_record`` gives it, or None) if
    ``digest`` is the recorded one and every file is in ``output`` with its recorded bytes; None when
    Pagefind has to run."""
    if part is None or part[0] != digest:
        return None
    output = Path(output)
    paths = {relative: output / relative for relative in part[1]}
    if not all(_holds(paths[relative], entry) for relative, entry in part[1].items()):
        return None
    return sorted(paths.values())


def relative_entries(produced, output):
    """``{absolute path inside output: entry}`` as the record keeps it: by path relative to ``output``."""
    return {Path(file).relative_to(output).as_posix(): entry for file, entry in produced.items()}


def save_record(path, parts):
    """Record ``parts`` (``{part's folder: (digest, {relative path: entry})}``) at ``path``."""
    data = {
        "format": RECORD_FORMAT,
        "parts": {folder: {"digest": digest, "files": files} for folder, (digest, files) in parts.items()},
    }
    atomic_write_text(path, json.dumps(data, indent=1, sort_keys=True) + "\n")
