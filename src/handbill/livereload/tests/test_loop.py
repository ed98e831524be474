"""The running loop, as a benchmark sees it: save a post, and the event stream
says first that its page was written, then that the rest of the site caught up."""

import http.client
import json
from urllib.parse import urlsplit

from handbill.livereload.pages import EVENTS_PATH

from .livesite import live_site, post


def events(url, page):
    """The (name, data) of each event of a stream opened for ``page``, as they come."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=120)
    connection.request("GET", f"{EVENTS_PATH}?page={page}")
    response = connection.getresponse()
    name = None
    try:
        while line := response.readline().decode():
            if line.startswith("event: "):
                name = line.removeprefix("event: ").strip()
            elif line.startswith("data: "):
                yield name, json.loads(line.removeprefix("data: "))
    finally:
        connection.close()


def next_named(stream, wanted):
    return next(data for name, data in stream if name == wanted)


def test_the_edited_page_comes_first_and_the_index_follows(tmp_path):
    with live_site(tmp_path) as (content, live):
        on_post, on_home = events(live.url, "/posts/2023/post-1/"), events(live.url, "/")
        next_named(on_post, "hello")
        next_named(on_home, "hello")

        # Without a Summary, the index shows the post's first words: it changes too.
        (content / "posts/p1.md").write_text(post(1, "Words saved just now."), encoding="utf-8")

        first = next_named(on_post, "reload")
        assert first["stage"] == "page" and first["files"] == ["posts/2023/post-1/index.html"]
        later = next_named(on_home, "reload")
        assert later["stage"] == "site" and "index.html" in later["files"]
        assert "Words saved just now." in (tmp_path / "output/index.html").read_text(encoding="utf-8")
        assert any("wrote posts/2023/post-1/index.html" in line for line in live.lines)
