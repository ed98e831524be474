"""A visitor in Chromium: the form on the built site, the emailed link, the published comment."""

import pytest

from handbill.comment_service.moderation import approve, export
from handbill.comment_service.store import utc_now
from handbill.testing.sites import run_pelican

from .support import verification_link

pytestmark = pytest.mark.browser


def test_visitor_comments_from_the_built_site(site_and_service, smtp, chromium):
    site, site_origin, service_server = site_and_service
    config = service_server.app.extensions["handbill_comments"].config
    store = service_server.app.extensions["handbill_comments"].store
    post_url = f"{site_origin}/posts/2024/first-coffee/"
    page = chromium.new_page()
    try:
        page.goto(post_url)
        page.wait_for_function("document.querySelector('#comment-form [name=token]').value !== ''")
        page.fill("#comment-name", "Zoë de la Cruz")
        page.fill("#comment-email", "zoe@example.org")
        page.fill("#comment-body", "The **second** meeting is where it starts.")
        page.click("#comment-form [type=submit]")
        page.wait_for_url(f"{service_server.url}/comments")
        assert "Check your email" in page.inner_text("h1")

        page.goto(verification_link(smtp.sink.wait_for(1)))
        assert page.inner_text("h1") == "Confirm your comment"
        (waiting,) = store.in_states("unverified")  # opening the link changed nothing
        assert waiting.verified_at is None and store.in_states("verified") == []
        with page.expect_navigation():
            page.get_by_role("button", name="Confirm my comment").click()
        assert "awaits moderation" in page.inner_text("main")  # the browser's own Origin passed
        page.click("text=Back to")
        page.wait_for_url(post_url)

        (comment,) = store.in_states("verified")
        approve(store, [comment.id], utc_now())
        export(store, config.comments_dir, utc_now())
        assert run_pelican(site.root, site.settings_file).returncode == 0
        page.reload()
        card = page.locator(f"#comment-{comment.id}")
        assert "Zoë de la Cruz" in card.inner_text()
        assert card.locator("strong").inner_text() == "second"

        # Replying: the comment's Reply link fills in the hidden reply_to field.
        page.wait_for_function("document.querySelector('#comment-form [name=token]').value !== ''")
        card.locator("[data-reply-to]").click()
        assert page.input_value("#comment-form [name=reply_to]") == comment.id
        assert "Replying to Zoë de la Cruz" in page.inner_text(".comment-form__replying")
        page.fill("#comment-name", "Ada Lovelace")
        page.fill("#comment-email", "ada@example.org")
        page.fill("#comment-body", "Agreed.")
        page.click("#comment-form [type=submit]")
        page.wait_for_url(f"{service_server.url}/comments")
        (answer,) = store.in_states("unverified")
        assert answer.reply_to == comment.id and answer.author == "Ada Lovelace"
    finally:
        page.close()
