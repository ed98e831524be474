"""Quotas a stranger cannot spend: anyone can write a comment with anyone's email address, so
only confirmed comments count against an address's quota, and an address gets only a few
verification emails nobody used; the person it belongs to can still comment and confirm."""

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

from handbill.comment_service.outbox import UNUSED_EMAILS_PER_ADDRESS

from .support import confirm_link, http, verification_link


def post(service, body, email="zoe@example.org"):
    answer = service.submit_json(service.fields(email=email, body=body))
    assert answer.status in (202, 429), answer.text
    return answer


def test_comments_nobody_confirmed_use_up_no_quota(start_service):
    service = start_service(service={"rate_limit_email": "1/day"})
    for number in range(UNUSED_EMAILS_PER_ADDRESS - 1):
        assert post(service, f"A stranger, in Zoë's name ({number}).").status == 202
        service.smtp.sink.wait_for(number + 1)  # an email each, rather than one carrying both

    own = post(service, "Zoë's own comment.")
    assert own.status == 202
    message = service.smtp.sink.wait_for(UNUSED_EMAILS_PER_ADDRESS)
    assert "Zoë's own comment." in message.get_content()
    assert confirm_link(verification_link(message), service.store).status == 200

    again = post(service, "Zoë, once more.", email="ZOE@example.org")  # her confirmed one counts
    assert (again.status, again.json()["error"]) == (429, "rate_limited")
    assert "email address" in again.json()["message"] and int(again.headers["Retry-After"]) > 80000
    assert len(service.store.ids()) == UNUSED_EMAILS_PER_ADDRESS


def test_a_stranger_cannot_make_the_service_mail_someone_repeatedly(start_service):
    service = start_service()
    answers = []
    for number in range(UNUSED_EMAILS_PER_ADDRESS + 2):
        answers.append(post(service, f"A stranger, in Zoë's name ({number})."))
        if number < UNUSED_EMAILS_PER_ADDRESS:
            service.smtp.sink.wait_for(number + 1)

    assert [answer.json()["mail"] for answer in answers] == ["queued"] * 3 + ["deferred"] * 2
    deferred = answers[-1].json()["message"]
    assert "follows in the next one, within 24 hours" in deferred and "not need to send" in deferred
    # Kept, their links waiting for the next email the address may get, a day after the first.
    with closing(sqlite3.connect(service.store.path)) as connection:
        waiting = connection.execute(
            "SELECT count(*) FROM outbox WHERE state = 'queued' AND next_attempt_at > datetime('now', '+23 hours')"
        ).fetchone()[0]
    assert waiting == 2 and len(service.store.ids()) == UNUSED_EMAILS_PER_ADDRESS + 2

    page = service.submit_form(service.fields(body="From the form, too."))
    assert page.status == 202 and "Your comment is saved" in page.text and "within 24 hours" in page.text
    assert len(service.smtp.sink.messages) == UNUSED_EMAILS_PER_ADDRESS


def signed_link(service, comment_id):
    tokens = service.server.app.extensions["handbill_comments"].tokens
    return f"{service.url}/verify/{tokens.verify_token(comment_id)}"


def test_confirming_past_the_quota_waits_and_changes_nothing(start_service):
    service = start_service(service={"rate_limit_email": "1/day"})
    first, second = (post(service, f"Thought {n}.").json()["id"] for n in (1, 2))

    assert confirm_link(signed_link(service, first), service.store).status == 200
    page = http("POST", signed_link(service, second), form={}, headers={"Origin": service.url})

    assert page.status == 429 and "Please confirm this comment later" in page.text
    assert "open this link again in 24 hours" in page.text
    assert service.store.get(second).state == "unverified"


def test_simultaneous_confirmations_stay_within_the_quota(start_service):
    # The count and the update are one transaction: simultaneous confirmations cannot all see room.
    service = start_service(service={"rate_limit_email": "2/day"})
    links = [signed_link(service, post(service, f"Thought number {n}.").json()["id"]) for n in range(8)]
    all_ready = threading.Barrier(len(links))

    def press(link):
        all_ready.wait()
        return http("POST", link, form={}, headers={"Origin": service.url}).status

    with ThreadPoolExecutor(len(links)) as pool:
        statuses = sorted(pool.map(press, links))

    assert statuses == [200] * 2 + [429] * 6
    assert len(service.store.in_states("verified")) == 2
