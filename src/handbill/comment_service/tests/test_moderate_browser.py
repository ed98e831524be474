"""The owner on a phone, in Chromium: sign in with the emailed link, approve from the page."""

import re

import pytest

from .test_moderate import SIGN_IN_LINK, hook, moderated, verified_comment  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser

SCREENSHOTS = "/tmp/handbill-moderate-{width}.png"


def test_owner_signs_in_by_email_and_approves_on_a_phone(moderated, hook, chromium):  # noqa: F811
    service = moderated()
    body = "The *second* meeting is where it starts: a long thought " * 3 + "\n\nWhat I bring:\n- cards\n- a pen"
    comment, _ = verified_comment(service, body=body)
    context = chromium.new_context(viewport={"width": 375, "height": 812})
    try:
        page = context.new_page()
        page.goto(f"{service.url}/moderate")
        page.get_by_role("button", name="Email me a sign-in link").click()
        page.wait_for_selector("text=Check your email")
        link = SIGN_IN_LINK.search(service.smtp.sink.wait_for(3).get_content()).group(0)

        page.goto(link)
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in", exact=True).click()
        assert page.inner_text("h1") == "Comments"
        card = page.locator(f"#comment-{comment.id}")
        assert "first comment from this address" in card.inner_text()
        # The owner reads the comment with its paragraphs and list lines, not run together.
        assert card.locator("blockquote.comment").inner_text() == comment.body
        # Nothing sticks out of a phone's screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.screenshot(path=SCREENSHOTS.format(width=375), full_page=True)
        page.set_viewport_size({"width": 1280, "height": 900})
        page.screenshot(path=SCREENSHOTS.format(width=1280), full_page=True)
        page.set_viewport_size({"width": 375, "height": 812})

        with page.expect_navigation():
            card.get_by_role("button", name="Approve", exact=True).click()
        assert re.search(rf"{comment.id}: approved", page.inner_text("#results"))
        assert service.store.get(comment.id).state == "approved"
        assert hook.calls == [[comment.id]]
    finally:
        context.close()
