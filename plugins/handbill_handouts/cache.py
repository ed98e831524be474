"""What each handout was last rendered from, so an unchanged one is not rendered again.

The manifest (``<CACHE_PATH>/handouts/manifest.json``) maps each PDF, by its
path in the output, to the fingerprint of its inputs and what the rendering
gave (pages, bytes). A handout is current when its fingerprint is unchanged
AND its files are still in the output (which a clean or a publish build with
DELETE_OUTPUT_DIRECTORY empties).
"""

import hashlib
import json
import logging
from pathlib import Path

from handbill.core.atomic import atomic_write_text

logger = logging.getLogger(__name__)

MANIFEST_FORMAT = 1


def file_digest(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def fingerprint(inputs):
    """One digest of a JSON-able description of everything a PDF depends on."""
    canonical = json.dumps(inputs, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


class Manifest:
    def __init__(self, path):
        self.path = Path(path)
        self.entries = self._load()

    def _load(self):
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            logger.warning("%s is unreadable (%s); every handout will be rendered again", self.path, error)
            return {}
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            return {}
        entries = data.get("handouts")
        return entries if isinstance(entries, dict) else {}

    def current(self, key, fingerprint_value, files):
        """The recorded entry if nothing changed and ``files`` all exist, else None."""
        entry = self.entries.get(key)
        if not entry or entry.get("fingerprint") != fingerprint_value:
            return None
        pdf = Path(files[0])
        if not pdf.is_file() or pdf.stat().st_size != entry.get("size"):
            return None
        if not all(Path(path).is_file() for path in files[1:]):
            return None
        return entry

    def record(self, key, fingerprint_value, source, pages, size):
        self.entries[key] = {"fingerprint": fingerprint_value, "source": source, "pages": pages, "size": size}

    def forget(self, key):
        self.entries.pop(key, None)

    def save(self):
        data = json.dumps({"format": MANIFEST_FORMAT, "handouts": self.entries}, indent=1, sort_keys=True)
        atomic_write_text(self.path, data)
