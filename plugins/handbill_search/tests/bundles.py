"""Reading a Pagefind bundle back, as a test sees what the index holds."""

import gzip
import json
from pathlib import Path

# Pagefind's fragments are gzipped JSON after this signature.
FRAGMENT_SIGNATURE = b"pagefind_dcd"


def indexed_pages(bundle):
    """{result URL: its fragment (content, meta…)} of every page in the Pagefind ``bundle`` folder."""
    pages = {}
    for path in sorted(Path(bundle, "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(FRAGMENT_SIGNATURE), path
        fragment = json.loads(data[len(FRAGMENT_SIGNATURE):])
        pages[fragment["url"]] = fragment
    return pages


def file_bytes(folder):
    """{path relative to ``folder``: bytes} of every file under it."""
    folder = Path(folder)
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}
