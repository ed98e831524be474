"""The development server on a real socket: pages with the script, events to the pages they concern."""

import http.client
import json
import threading
import urllib.error
import urllib.request

import pytest

from handbill.livereload.pages import CLIENT_SCRIPT, EVENTS_PATH
from handbill.livereload.server import Broadcaster, LiveReloadServer


@pytest.fixture
def served(tmp_path):
    (tmp_path / "posts/a").mkdir(parents=True)
    (tmp_path / "posts/a/index.html").write_bytes(b"<html><body><p>Post A</p></body></html>")
    (tmp_path / "site.css").write_text("body { color: black }")
    server = LiveReloadServer(tmp_path, ("127.0.0.1", 0), Broadcaster())
    server.start()
    yield server, tmp_path
    server.stop()


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.headers, response.read()


class EventReader:
    """An open event stream, read line by line in its own thread."""

    def __init__(self, server, page):
        host, port = server.server_address[:2]
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.connection.request("GET", f"{EVENTS_PATH}?page={page}")
        self.response = self.connection.getresponse()
        assert self.response.headers["Content-Type"] == "text/event-stream"

    def next_event(self):
        name = None
        while True:
            line = self.response.readline().decode().rstrip("\n")
            if line.startswith("event: "):
                name = line.removeprefix("event: ")
            elif line.startswith("data: "):
                return name, json.loads(line.removeprefix("data: "))

    def close(self):
        self.connection.close()


def test_pages_get_the_script_and_the_files_on_disk_do_not(served):
    server, output = served
    status, headers, body = fetch(server.url + "posts/a/")
    assert status == 200 and headers["Cache-Control"] == "no-store"
    assert body == b"<html><body><p>Post A</p>" + CLIENT_SCRIPT.encode() + b"</body></html>"
    assert CLIENT_SCRIPT.encode() not in (output / "posts/a/index.html").read_bytes()
    assert fetch(server.url + "site.css")[2] == b"body { color: black }"


def test_a_folder_without_its_slash_is_redirected_and_a_missing_page_is_404(served):
    server, _ = served
    status, headers, _body = fetch(server.url + "posts/a")  # urllib follows the redirect
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(server.url + "posts/nothing/")
    assert missing.value.code == 404


def test_events_reach_the_pages_they_concern_while_other_requests_are_served(served):
    server, _ = served
    broadcaster = server.broadcaster
    broadcaster.settle("b-1")
    on_post, on_home = EventReader(server, "/posts/a/"), EventReader(server, "/")
    try:
        assert on_post.next_event() == ("hello", {"build": "b-1"})
        assert on_home.next_event() == ("hello", {"build": "b-1"})
        # Two open streams hold no page back.
        assert fetch(server.url + "posts/a/")[0] == 200

        broadcaster.reload("page", ["posts/a/index.html"], "b-2")
        broadcaster.reload("site", ["index.html"], "b-3")
        assert on_post.next_event() == (
            "reload", {"stage": "page", "build": "b-2", "files": ["posts/a/index.html"], "count": 1}
        )
        assert on_home.next_event()[1]["stage"] == "site"

        broadcaster.fail(["posts/a.md: bad date"])
        assert on_post.next_event() == ("failure", {"failures": ["posts/a.md: bad date"]})
        assert on_home.next_event()[0] == "failure"
        # After a failure, the next good save reloads every page, so the notice goes everywhere.
        broadcaster.reload("page", ["posts/a/index.html"], "b-4")
        assert on_home.next_event()[0] == "reload"
    finally:
        on_post.close()
        on_home.close()


def test_a_page_opened_while_the_site_is_broken_is_told_at_once(served):
    server, _ = served
    server.broadcaster.fail(["posts/a.md: bad date"])
    reader = EventReader(server, "/")
    try:
        assert reader.next_event()[0] == "hello"
        assert reader.next_event() == ("failure", {"failures": ["posts/a.md: bad date"]})
    finally:
        reader.close()


def test_stopping_ends_open_streams(tmp_path):
    server = LiveReloadServer(tmp_path, ("127.0.0.1", 0), Broadcaster())
    server.start()
    reader = EventReader(server, "/")
    reader.next_event()
    ended = threading.Event()

    def read_to_the_end():
        reader.response.read()
        ended.set()

    threading.Thread(target=read_to_the_end, daemon=True).start()
    server.stop()
    assert ended.wait(10)
    reader.close()
