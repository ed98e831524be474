"""A post with a comment thread in headless Chromium: layout, keyboard order, no errors, no XSS."""

import functools
import http.server
import json
import threading

import pytest

from handbill_comments.tests.sitecontent import article_path, comment, post, site
from handbill_comments.tests.xss import HOSTILE_SLUG, hostile_site

pytestmark = pytest.mark.browser

LONG_WORD = "Supercalifragilisticexpialidocious" * 3
FORM_ORDER = [
    "comment-name", "comment-email", "comment-website", "comment-body", "comment-notify-replies", "comment-submit",
]


class SiteAndTokenHandler(http.server.SimpleHTTPRequestHandler):
    """The built site, plus the comment service's /svc/token answer the form's script asks for."""

    def do_GET(self):
        if self.path.startswith("/svc/token"):
            body = json.dumps({"token": "test-token", "expires_in": 3600, "min_fill_seconds": 0}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            super().do_GET()

    def log_message(self, format, *args):
        pass


@pytest.fixture
def served(tmp_path):
    """(base URL, output folder) of a real HTTP server on 127.0.0.1, started before the build."""
    output = tmp_path / "output"
    handler = functools.partial(SiteAndTokenHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", output
    server.shutdown()
    server.server_close()


def threaded_site():
    slug = "thread"
    parts = [post(slug, title="A post with a thread")]
    parent = ""
    for depth in range(8):  # one deep chain, to show indentation stops growing
        id = f"c-deep-{depth}"
        parts.append(comment(slug, id, "Ludwig van Beethoven" if depth % 2 else "Dana Whitfield",
                             f"2024-01-11T1{depth}:00:00+00:00", f"Level {depth}. {LONG_WORD}",
                             identity="site-owner" if depth % 2 == 0 else "email-verified",
                             Website="https://example.org/a/very/long/path/" + LONG_WORD, Reply_To=parent))
        parent = id
    parts.append(comment(slug, "c-second", "Zoë de la Cruz", "2024-01-12T09:00:00+00:00",
                         "A second thread with a [link](https://example.org/) and `code`."))
    return site(*parts)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_thread_and_form_render_without_horizontal_scroll(build_site, served, open_page, width):
    base_url, _ = served
    build_site(threaded_site(), {"COMMENTS": {"service_url": f"{base_url}/svc", "contact_email": ""}})
    page, errors = open_page(f"{base_url}/{article_path('thread')}", width)
    assert page.locator("section#comments li.comment").count() == 9
    assert page.locator("#comments-title").inner_text() == "9 comments"
    assert page.locator("#comment-form").is_visible()
    for field in FORM_ORDER[:-1]:
        assert page.locator(f"label[for='{field}']").is_visible()
    parent = page.locator("#comment-c-deep-0 > article").bounding_box()
    reply = page.locator("#comment-c-deep-1 > article").bounding_box()
    assert reply["x"] > parent["x"]
    assert no_horizontal_scroll(page), f"horizontal scroll at {width}px"
    # Indentation stops growing, so even the deepest reply keeps most of the width,
    # and replies below the last level say whom they answer.
    deepest = page.locator("#comment-c-deep-7 > article")
    assert deepest.bounding_box()["width"] > parent["width"] * 0.7
    assert deepest.bounding_box()["x"] == page.locator("#comment-c-deep-3 > article").bounding_box()["x"]
    assert deepest.locator(".comment__context").inner_text() == "in reply to Dana Whitfield"
    assert not page.locator("#comment-c-deep-3 .comment__context").count()
    assert errors == []


def test_keyboard_reaches_the_form_fields_in_order(build_site, served, open_page):
    base_url, _ = served
    build_site(threaded_site(), {"COMMENTS": {"service_url": f"{base_url}/svc", "contact_email": ""}})
    page, errors = open_page(f"{base_url}/{article_path('thread')}", 375)
    focused = []
    for _ in range(200):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.id"))
        if focused[-1] == FORM_ORDER[-1]:
            break
    in_form = [element_id for element_id in focused if element_id.startswith("comment-") and element_id in FORM_ORDER]
    assert in_form == FORM_ORDER
    assert "comment-nickname" not in focused
    assert focused[focused.index("comment-name"):] == FORM_ORDER
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.id") == FORM_ORDER[-2]
    assert errors == []


def test_hostile_comments_run_nothing_in_the_browser(build_site, served, open_page):
    base_url, _ = served
    files, _ = hostile_site()
    build_site(files, {"COMMENTS": {"policy": "anyone", "service_url": f"{base_url}/svc", "contact_email": ""}})
    dialogs = []
    page, _ = open_page(f"{base_url}/{article_path(HOSTILE_SLUG)}", 1280)
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.reload()
    page.wait_for_load_state("networkidle")
    for link in page.locator("section#comments a").all()[:80]:
        link.hover()
        link.focus()
    assert dialogs == []
    assert page.locator("section#comments li.comment").count() > 40
