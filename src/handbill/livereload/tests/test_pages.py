"""The reload script in HTML responses, the events, and which pages a change concerns."""

import json

from hypothesis import given
from hypothesis import strategies as st

from handbill.livereload.pages import CLIENT_SCRIPT, files_for_url, inject_script, page_is_affected, sse_message


def test_the_script_goes_before_the_last_body_end_and_nothing_else_changes():
    page = b"<html><body><p>A</p><!-- </body> in a comment --></BODY >\n</html>"
    injected = inject_script(page, "<script>x</script>")
    assert injected == b"<html><body><p>A</p><!-- </body> in a comment --><script>x</script></BODY >\n</html>"


def test_a_page_without_body_end_gets_the_script_at_its_end():
    assert inject_script(b"<p>bare", "<script>x</script>") == b"<p>bare<script>x</script>"


@given(st.binary(max_size=200))
def test_injection_only_ever_adds_the_script(html):
    injected = inject_script(html)
    script = CLIENT_SCRIPT.encode()
    assert len(injected) == len(html) + len(script)
    at = injected.index(script)
    assert injected[:at] + injected[at + len(script) :] == html


def test_an_event_is_named_and_carries_one_line_of_json():
    message = sse_message("reload", {"stage": "page", "files": ["a\nb"]}).decode()
    event, data, *rest = message.split("\n")
    assert event == "event: reload"
    assert json.loads(data.removeprefix("data: ")) == {"stage": "page", "files": ["a\nb"]}
    assert rest == ["", ""]


def test_urls_map_to_the_files_the_server_would_send():
    assert files_for_url("/") == ("index.html",)
    assert files_for_url("/posts/2024/hello/") == ("posts/2024/hello/index.html",)
    hello = "posts/2024/hello"
    assert files_for_url(f"/{hello}") == (f"{hello}.html", f"{hello}/index.html", hello)
    assert files_for_url("/a%20b/?x=1") == ("a b/index.html",)
    assert files_for_url("/../../etc/passwd") == ("etc/passwd.html", "etc/passwd/index.html", "etc/passwd")


def test_a_page_reloads_for_its_own_file_and_for_what_every_page_loads():
    post = "/posts/2024/hello/"
    assert page_is_affected(post, ["posts/2024/hello/index.html"])
    assert not page_is_affected(post, ["index.html", "tags/x/index.html", "feeds/all.atom.xml"])
    assert page_is_affected(post, ["theme/css/handbill.css"])
    assert page_is_affected("/", ["index.html"])
    assert not page_is_affected(post, [])
