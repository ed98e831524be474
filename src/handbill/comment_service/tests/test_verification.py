"""The emailed link: its page changes nothing, its button confirms; every outcome has its page and
status; automatic approval; the owner's notice."""

import time

import pytest

from handbill.comment_service.moderation import approve, reject
from handbill.comment_service.store import utc_now
from handbill.comment_service.tokens import Tokens

from .support import SECRET, confirm_link, eventually, http, verification_link


def submit_and_get_link(service, number=1, **fields):
    answer = service.submit_json(service.fields(**fields))
    assert answer.status == 202, answer.text
    return answer.json()["id"], verification_link(service.smtp.sink.wait_for(number))


def test_opening_the_link_changes_nothing_until_the_button_is_pressed(start_service):
    service = start_service(service={"notify_owner": True, "owner_email": "dana@site.example"})
    comment_id, link = submit_and_get_link(service, body="I <b>liked</b> this & want to say so.")

    for _ in range(2):  # a mail scanner, then the person
        page = http("GET", link)
        assert page.status == 200 and "<h1>Confirm your comment</h1>" in page.text
        assert '<form method="post">' in page.text and "Confirm my comment" in page.text
        assert "I &lt;b&gt;liked&lt;/b&gt; this &amp; want to say so." in page.text
        assert page.headers["Referrer-Policy"] == "same-origin"  # else the button would post "Origin: null"
        assert page.headers["Cache-Control"] == "no-store"
        stored = service.store.get(comment_id)
        assert (stored.state, stored.verified_at, stored.owner_mail) == ("unverified", None, "none")
    assert len(service.smtp.sink.messages) == 1  # the owner was not told of anything

    confirmed = http("POST", link, form={}, headers={"Origin": service.url})
    assert confirmed.status == 200 and "your email address is confirmed" in confirmed.text
    assert "awaits moderation" in confirmed.text and 'Back to “First Coffee”' in confirmed.text
    assert "Confirm my comment" not in confirmed.text
    verified = service.store.get(comment_id)
    assert verified.state == "verified" and verified.verified_at is not None
    service.smtp.sink.wait_for(2)

    again = http("POST", link, form={}, headers={"Origin": service.url})
    assert again.status == 200 and "already confirmed" in again.text and "awaits moderation" in again.text
    assert service.store.get(comment_id) == verified
    reopened = http("GET", link)
    assert "already confirmed" in reopened.text and "Confirm my comment" not in reopened.text
    assert len(service.smtp.sink.messages) == 2


@pytest.mark.parametrize("headers", [
    {"Origin": "https://elsewhere.example"},
    {"Origin": "null"},
    {"Referer": "https://elsewhere.example/page"},
])
def test_confirmation_from_another_page_is_refused(service, headers):
    comment_id, link = submit_and_get_link(service)
    answer = http("POST", link, form={}, headers=headers)
    assert answer.status == 403 and "Nothing changed" in answer.text
    assert service.store.get(comment_id).state == "unverified"


@pytest.mark.parametrize("from_the_page", [False, True])
def test_confirmation_naming_no_other_page_is_taken(service, from_the_page):
    comment_id, link = submit_and_get_link(service)
    answer = http("POST", link, form={}, headers={"Referer": link} if from_the_page else {})
    assert answer.status == 200 and "awaits moderation" in answer.text
    assert service.store.get(comment_id).state == "verified"


def test_broken_expired_and_unknown_links(service):
    old_tokens = Tokens(SECRET, form_max_age=1, min_fill_seconds=0, verify_max_age=1,
                        clock=lambda: time.time() - service.config.verify_link_seconds - 60)
    comment_id, link = submit_and_get_link(service)
    fresh_tokens = Tokens(SECRET, form_max_age=1, min_fill_seconds=0, verify_max_age=1)
    links = {
        "broken": link[:-3],
        "expired": f"{service.url}/verify/{old_tokens.verify_token(comment_id)}",
        "unknown": f"{service.url}/verify/{fresh_tokens.verify_token('c-20240101-0000-000000')}",
    }

    for method in ("GET", "POST"):
        broken, expired, unknown = (
            http(method, url, form={} if method == "POST" else None, headers={"Origin": service.url})
            for url in links.values()
        )
        assert broken.status == 400 and "not valid" in broken.text
        assert expired.status == 410 and "send your comment again" in expired.text
        assert unknown.status == 404 and "removed" in unknown.text
        assert service.store.get(comment_id).state == "unverified"
        assert broken.headers["Referrer-Policy"] == "no-referrer"  # the token never leaks to the next site


def test_link_of_a_rejected_comment(service):
    comment_id, link = submit_and_get_link(service)
    reject(service.store, [comment_id], "spam", utc_now())
    page = http("GET", link)
    assert page.status == 200 and "not published" in page.text
    assert "Confirm my comment" not in page.text
    pressed = http("POST", link, form={}, headers={"Origin": service.url})
    assert pressed.status == 200 and "not published" in pressed.text
    assert service.store.get(comment_id).state == "rejected"


def test_known_commenters_skip_moderation_when_the_owner_says_so(start_service):
    service = start_service(service={"approve_known_commenters": True})
    first_id, first_link = submit_and_get_link(service)
    confirm_link(first_link, service.store)
    assert service.store.get(first_id).state == "verified"
    approve(service.store, [first_id], utc_now())

    # The 2nd email is the live notice of the first comment (commenter_mail.py), in either order
    # with the 3rd, the second comment's link; the 5th is the second comment's live notice.
    answer = service.submit_json(service.fields(email="ZOE@example.org", body="Me again."))
    service.smtp.sink.wait_for(3)
    (second_link,) = [m for m in service.smtp.sink.messages if m["Subject"].startswith("Please confirm")][1:]
    page = confirm_link(verification_link(second_link), service.store)
    assert "your comment is approved" in page.text
    assert service.store.get(answer.json()["id"]).state == "approved"
    service.smtp.sink.wait_for(4)

    stranger_id, stranger_link = submit_and_get_link(service, 5, email="ada@example.org", name="Ada Lovelace")
    confirm_link(stranger_link, service.store)
    assert service.store.get(stranger_id).state == "verified"


def test_without_moderation_a_verified_comment_is_approved(start_service):
    service = start_service(comments={"moderation": False})
    comment_id, link = submit_and_get_link(service)
    confirm_link(link, service.store)
    assert service.store.get(comment_id).state == "approved"


def test_owner_is_told_when_a_verified_comment_waits(start_service):
    service = start_service(service={"notify_owner": True, "owner_email": "dana@site.example"})
    comment_id, link = submit_and_get_link(service)

    confirm_link(link, service.store)

    notice = service.smtp.sink.wait_for(2)
    assert notice["To"] == "dana@site.example"
    assert "awaits moderation" in notice["Subject"]
    assert "Approve: " + service.config.public_url + "/moderate/link/" in notice.get_content()
    eventually(lambda: service.store.get(comment_id).owner_mail == "sent", what="the notice recorded as sent")
    http("POST", link, form={}, headers={"Origin": service.url})  # confirming again sends no second notice
    assert len(service.smtp.sink.messages) == 2
