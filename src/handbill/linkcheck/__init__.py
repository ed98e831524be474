"""Check that every internal link, image, stylesheet, script, handout PDF and
feed entry in a built site resolves to a file in the output (and, for links
with a ``#fragment``, to an element with that id). External links are not
fetched: the check needs no network.

    from handbill.linkcheck import find_broken_links
    for broken in find_broken_links(Path("output"), site_url="https://example.com"):
        print(broken)
"""

from .checker import BrokenLink, find_broken_links

__all__ = ["BrokenLink", "find_broken_links"]
