"""The parts of a large site's index: which pages each part holds, and its folder.

Pagefind holds every page it indexes in memory until it writes the index (about
140 KiB a post), and spends much of its run on one core. A site with more pages
than ``part_pages`` is indexed in parts of at most about that many pages, each by
its own Pagefind run into its own bundle, several runs side by side (one per
core), and the search page merges the parts (Pagefind's ``mergeIndex``). When
one post changes, only its part is indexed again.

A page's part comes from a hash of its path, not from the order of the pages or
from the machine, so the same pages give the same parts anywhere, and a new post
changes only the part it falls into (until the number of parts changes).

Measured on two cores with the bench's posts (one Pagefind run against parts of
about 500 pages, two at a time): 5,000 posts 7.1-7.5 s and 655-671 MiB against
6.1 s and 147 MiB (ten parts); 1,000 posts 1.3-1.8 s and 141-146 MiB against
1.1 s and 144 MiB (two parts). More, smaller parts cost each run's own start
(sixteen parts of about 300 pages took as long as one run) and more requests for
each search in the browser.
"""

import hashlib
import math


def part_count(pages, part_pages):
    """How many parts hold ``pages`` pages with at most ``part_pages`` in each, on average."""
    return max(1, math.ceil(pages / part_pages))


def part_of(relative, count):
    """The part (0 to ``count`` - 1) that the page at the relative path ``relative`` goes into."""
    digest = hashlib.sha256(relative.encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(digest[:8], "big") % count


def part_folder(number):
    """The folder of part ``number`` (from 0) inside the index's folder; "" for the first, which is that folder."""
    return "" if number == 0 else f"part-{number + 1}"


def split_into_parts(files, part_pages):
    """``[(folder, files)]``: ``files`` (relative paths) in their parts, in the parts' order, without empty ones."""
    count = part_count(len(files), part_pages)
    parts = [[] for _ in range(count)]
    for relative in files:
        parts[part_of(relative, count)].append(relative)
    return [(part_folder(number), names) for number, names in enumerate(parts) if names]
