"""feed_entries: one reading of Atom and RSS entries for the link and draft checks."""

import io

import pytest

from handbill.core.feeds import FeedEntry, FeedError, feed_entries

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Site</title>
  <link href="https://example.org/" rel="alternate"/>
  <entry>
    <title> First &amp; best </title>
    <link href="https://example.org/posts/first/" rel="alternate"/>
    <link href="/posts/first/handout.pdf" rel="enclosure"/>
  </entry>
  <entry><title>No link</title><link rel="alternate"/></entry>
</feed>
"""

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Site</title><link>https://example.org/</link>
  <item><title>First</title><link>
    /posts/first/
  </link></item>
  <item><title>Untitled link</title></item>
</channel></rss>
"""


def test_atom_entries_with_all_their_links_but_not_the_feeds_own(tmp_path):
    feed = tmp_path / "all.atom.xml"
    feed.write_bytes(ATOM)
    assert feed_entries(feed) == [
        FeedEntry("First & best", ("https://example.org/posts/first/", "/posts/first/handout.pdf")),
        FeedEntry("No link", ()),
    ]


def test_rss_items_with_their_link_stripped():
    assert feed_entries(io.BytesIO(RSS)) == [FeedEntry("First", ("/posts/first/",)), FeedEntry("Untitled link", ())]


def test_a_feed_without_entries_has_none():
    assert feed_entries(io.BytesIO(b'<feed xmlns="http://www.w3.org/2005/Atom"><title>x</title></feed>')) == []


def test_a_broken_feed_is_a_feed_error_with_its_position():
    with pytest.raises(FeedError, match="line 1"):
        feed_entries(io.BytesIO(b"<rss><channel><item></channel></rss>"))
