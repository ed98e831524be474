"""What the last Pagefind run was given and what it produced, so that an unchanged site is not indexed again.

Pagefind takes seconds on a large site even when no page changed. The record
(``<CACHE_PATH>/handbill_search/index-digest.json``) keeps one digest of
everything the index is made from (the relative paths and bytes of the indexed
pages, the command with its options, the index's folder, which Pagefind runs:
package versions, binary, and its ``PAGEFIND_*`` environment variables, which
it reads as options) and the files that run produced, by path in the output,
with their size and SHA-256. The index is current when the digest is the same
AND each of those files is still in the output with the same bytes: a clean
build, output_sync or a hand edit may have removed or changed them. Hashing
them costs a read of the bundle (a few MB at 1,000 posts); a size check alone
would miss a same-size edit. A missing or unreadable record means "run Pagefind".
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

RECORD_FORMAT = 1
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
    """The record at ``path`` as ``(digest, {relative path: entry})``, or None if there is none usable."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        logger.warning("Search: %s is unreadable (%s); Pagefind will run", path, error)
        return None
    if not isinstance(data, dict) or data.get("format") != RECORD_FORMAT:
        return None
    digest, files = data.get("digest"), data.get("files")
    if not isinstance(digest, str) or not isinstance(files, dict) or not files:
        return None
    if not all(isinstance(entry, dict) for entry in files.values()):
        return None
    return digest, files


def current_files(record, digest, output):
    """The absolute paths of the recorded index if ``digest`` is the recorded one and every file
    is in ``output`` with its recorded bytes; None when Pagefind has to run."""
    if record is None or record[0] != digest:
        return None
    output = Path(output)
    paths = {relative: output / relative for relative in record[1]}
    if not all(_holds(paths[relative], entry) for relative, entry in record[1].items()):
        return None
    return sorted(paths.values())


def save_record(path, digest, output, produced):
    """Record ``digest`` and the files ``produced`` ({absolute path inside ``output``: its
    ``bytes_entry``}) at ``path``."""
    output = Path(output)
    files = {Path(file).relative_to(output).as_posix(): entry for file, entry in produced.items()}
    text = json.dumps({"format": RECORD_FORMAT, "digest": digest, "files": files}, indent=1, sort_keys=True)
    atomic_write_text(path, text + "\n")
