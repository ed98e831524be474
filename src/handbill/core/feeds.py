"""The entries of an Atom or RSS feed the build wrote: their titles and links.

The link checker follows every entry's links and the publishing checks look
for drafts among the entries; both read the feeds through ``feed_entries`` so
they agree on what an entry is.
"""

import xml.etree.ElementTree as ET
from dataclasses import dataclass

ATOM_NAMESPACE = "{http://www.w3.org/2005/Atom}"


class FeedError(ValueError):
    """A feed file that is not well-formed XML; the message says where (line, column)."""


@dataclass(frozen=True)
class FeedEntry:
    title: str
    links: tuple  # every non-empty link of the entry, as written (absolute or site-relative)


def _atom_entries(root):
    for entry in root.iter(f"{ATOM_NAMESPACE}entry"):
        links = (link.get("href", "").strip() for link in entry.iter(f"{ATOM_NAMESPACE}link"))
        yield FeedEntry((entry.findtext(f"{ATOM_NAMESPACE}title") or "").strip(), tuple(filter(None, links)))


def _rss_entries(root):
    for item in root.iter("item"):
        link = (item.findtext("link") or "").strip()
        yield FeedEntry((item.findtext("title") or "").strip(), (link,) if link else ())


def feed_entries(feed_file):
    """Every entry of the Atom or RSS feed in ``feed_file`` (a path or a binary file), in order.

    A document whose root is not an Atom ``<feed>`` is read as RSS, whose
    entries are ``<item>`` elements without a namespace. Raises FeedError for
    a file that is not well-formed XML.
    """
    try:
        root = ET.parse(feed_file).getroot()
    except ET.ParseError as error:
        raise FeedError(str(error)) from error
    if root.tag == f"{ATOM_NAMESPACE}feed":
        return list(_atom_entries(root))
    return list(_rss_entries(root))
