"""The emailed link: every outcome has its page and status; automatic approval; the owner's notice."""

import time

from comments.service.moderation import approve, reject
from comments.service.store import utc_now
from comments.service.tokens import Tokens

from .support import SECRET, http, verification_link


def submit_and_get_link(service, number=1, **fields):
    answer = service.submit_json(service.fields(**fields))
    assert answer.status == 202, answer.text
    return answer.json()["id"], verification_link(service.smtp.sink.wait_for(number))


def test_broken_expired_and_unknown_links(service):
    old_tokens = Tokens(SECRET, form_max_age=1, min_fill_seconds=0, verify_max_age=1,
                        clock=lambda: time.time() - service.config.verify_link_seconds - 60)
    comment_id, link = submit_and_get_link(service)
    fresh_tokens = Tokens(SECRET, form_max_age=1, min_fill_seconds=0, verify_max_age=1)

    broken = http("GET", link[:-3])
    expired = http("GET", f"{service.url}/verify/{old_tokens.verify_token(comment_id)}")
    unknown = http("GET", f"{service.url}/verify/{fresh_tokens.verify_token('c-20240101-0000-000000')}")

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
    assert service.store.get(comment_id).state == "rejected"


def test_known_commenters_skip_moderation_when_the_owner_says_so(start_service):
    service = start_service(service={"approve_known_commenters": True})
    first_id, first_link = submit_and_get_link(service)
    http("GET", first_link)
    assert service.store.get(first_id).state == "verified"
    approve(service.store, [first_id], utc_now())

    second_id, second_link = submit_and_get_link(service, 2, email="ZOE@example.org", body="Me again.")
    page = http("GET", second_link)
    assert "your comment is approved" in page.text
    assert service.store.get(second_id).state == "approved"

    stranger_id, stranger_link = submit_and_get_link(service, 3, email="ada@example.org", name="Ada Lovelace")
    http("GET", stranger_link)
    assert service.store.get(stranger_id).state == "verified"


def test_without_moderation_a_verified_comment_is_approved(start_service):
    service = start_service(comments={"moderation": False})
    comment_id, link = submit_and_get_link(service)
    http("GET", link)
    assert service.store.get(comment_id).state == "approved"


def test_owner_is_told_when_a_verified_comment_waits(start_service):
    service = start_service(service={"notify_owner": True, "owner_email": "dana@site.example"})
    comment_id, link = submit_and_get_link(service)

    http("GET", link)

    notice = service.smtp.sink.wait_for(2)
    assert notice["To"] == "dana@site.example"
    assert "awaits moderation" in notice["Subject"]
    assert f"invoke comments.approve {comment_id}" in notice.get_content()
    assert service.store.get(comment_id).owner_mail == "sent"
    http("GET", link)  # opening the link again sends no second notice
    assert len(service.smtp.sink.messages) == 2
