"""The service's pages in the site's layout (comments/service-layout.html), and without it."""


import re

import pytest

from .support import http, verification_link


def test_pages_are_drawn_in_the_site_layout(site_and_service):
    site, origin, service = site_and_service
    assert site.exists("comments/service-layout.html")
    page = http("GET", f"{service.url}/verify/not-a-token")
    assert page.status == 400
    # The site's stylesheet, from the site, with its version (handbill_theme_assets).
    stylesheet = rf'<link rel="stylesheet" href="{re.escape(origin)}/theme/css/handbill\.css\?v=[0-9a-f]{{10}}">'
    assert re.search(stylesheet, page.text)
    assert "Dana Whitfield · Connected in Person" in page.text  # the site's header
    assert "<title>This link is not valid · Dana Whitfield" in page.text
    assert "This link is not valid</h1>" in page.text and "<!--handbill:" not in page.text
    policy = page.headers["Content-Security-Policy"]
    assert f"style-src 'unsafe-inline' {origin};" in policy and f"font-src {origin};" in policy


def test_without_a_layout_file_the_plain_pages_remain(site_and_service):
    site, _, service = site_and_service
    (site.output / "comments" / "service-layout.html").unlink()
    page = http("GET", f"{service.url}/verify/not-a-token")
    assert page.status == 400 and '<main class="plain">' in page.text
    assert "This link is not valid</h1>" in page.text and "handbill.css" not in page.text


@pytest.mark.browser
def test_accepted_and_verified_pages_in_chromium(site_and_service, smtp, chromium):
    _, origin, service = site_and_service
    for width in (375, 1280):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        errors = []  # a stylesheet the CSP blocked shows here
        page.on("console", lambda message, errors=errors: message.type == "error" and errors.append(message.text))
        page.goto(f"{origin}/posts/2024/first-coffee/")
        page.wait_for_function("document.querySelector('#comment-form [name=token]').value !== ''")
        page.fill("#comment-name", "Zoë de la Cruz")
        page.fill("#comment-email", "zoe@example.org")
        page.fill("#comment-body", "The second meeting is where it starts.")
        page.check("#comment-notify-replies")
        page.click("#comment-form [type=submit]")
        page.wait_for_url(f"{service.url}/comments")
        page.wait_for_load_state("networkidle")
        assert page.inner_text(".site-title__name") == "Dana Whitfield · Connected in Person"
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).display") != "none"
        page.screenshot(path=f"/tmp/handbill-accepted-{width}.png", full_page=True)

        page.goto(verification_link(smtp.sink.wait_for(1 if width == 375 else 2)))
        page.wait_for_load_state("networkidle")
        assert page.inner_text("h1") == "Confirm your comment"
        page.screenshot(path=f"/tmp/handbill-verified-{width}.png", full_page=True)
        assert errors == []
        context.close()
    (first, *_) = service.app.extensions["handbill_comments"].store.in_states("unverified")
    assert first.notify_replies
