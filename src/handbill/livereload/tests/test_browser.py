"""A blogger's loop in Chromium: save a post and see it; save a broken one and
see why, over the last good page; fix it and the notice goes."""

import urllib.request

import pytest

from handbill.livereload.pages import OVERLAY_ID

from .livesite import live_site, post

pytestmark = pytest.mark.browser

# Generous: a full build of the site runs between some of the steps.
WAIT_MS = 120_000


def served_text(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode("utf-8")


def test_saves_show_in_the_open_page_and_a_broken_save_shows_its_error(tmp_path, open_page):
    with live_site(tmp_path) as (content, live):
        url = live.url + "posts/2023/post-1/"
        page, errors = open_page(url, 1000)
        source = content / "posts/p1.md"

        source.write_text(post(1, "A sentence saved a moment ago."), encoding="utf-8")
        page.get_by_text("A sentence saved a moment ago.").wait_for(timeout=WAIT_MS)

        source.write_text(post(1, "This save is broken.", date="the day after tomorrow"), encoding="utf-8")
        overlay = page.locator(f"#{OVERLAY_ID}")
        overlay.wait_for(timeout=WAIT_MS)
        assert "posts/p1.md" in overlay.inner_text()
        assert "the day after tomorrow" in overlay.inner_text()
        # The last good page stays, in the browser and on the server.
        assert page.get_by_text("A sentence saved a moment ago.").is_visible()
        assert "A sentence saved a moment ago." in served_text(url)
        assert "This save is broken." not in served_text(url)

        source.write_text(post(1, "Fixed, and saved again."), encoding="utf-8")
        page.get_by_text("Fixed, and saved again.").wait_for(timeout=WAIT_MS)
        overlay.wait_for(state="detached", timeout=WAIT_MS)
        assert not errors, errors
