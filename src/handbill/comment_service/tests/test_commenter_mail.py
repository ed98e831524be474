"""Emails to commenters, over real SMTP: "your comment is live", replies, unsubscribe, delete."""

import re
import sqlite3
import subprocess

from handbill.comment_service.commenter_mail import queue_live_notices
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now

from .support import SITE_ORIGIN, confirm_link, http, verification_link

LINK = re.compile(r"https?://\S+/(unsubscribe|delete)/\S+")


def links(message):
    return {match.group(1): match.group(0) for match in LINK.finditer(message.get_content())}


def outbox_kinds(store, comment_id):
    return store.run(
        lambda connection: {row[0]: row[1] for row in connection.execute(
            "SELECT kind, state FROM outbox WHERE comment_id = ?", (comment_id,))},
        write=False,
    )


def confirmed_comment(service, count, **fields):
    """A comment sent from the form and confirmed by its emailed link (the ``count``-th email)."""
    answer = service.submit_json(service.fields(**fields))
    assert answer.status == 202, answer.text
    confirm_link(verification_link(service.smtp.sink.wait_for(count)), service.store)
    return service.store.get(answer.json()["id"])


def approve(service, comment):
    """Approve as another process does (invoke comments.approve), then wake the service's sender
    rather than wait for its next round."""
    assert service.store.decide(comment.id, "approved", utc_now(), from_states=("verified",)).state == "verified"
    wake(service)


def wake(service):
    service.server.app.extensions["handbill_comments"].mail_sender.wake()


def owner_reply(store, parent, number, email=""):
    reply = StoredComment(
        id=f"c-20240302-0900-00000{number}", post=parent.post, reply_to=parent.id, author="Dana Whitfield",
        email=email, website="", body='Thank you -- "glad" it helped.', identity="site-owner", state="approved",
        created_at=timestamp(utc_now()), verified_at=timestamp(utc_now()), decided_at=timestamp(utc_now()),
    )
    store.add_comment(reply)
    return reply


def replied(service, parent, number):
    reply = owner_reply(service.store, parent, number)
    wake(service)
    return reply


def test_live_notice_and_reply_notification_with_one_click_unsubscribe(service):
    sink = service.smtp.sink
    zoe = confirmed_comment(service, 1, notify_replies="on")
    assert zoe.notify_replies
    approve(service, zoe)

    live = sink.wait_for(2)
    assert live["To"] == "zoe@example.org"
    assert live["Subject"] == "Your comment on First Coffee is live"
    assert f"posts/2024/first-coffee/#comment-{zoe.id}" in live.get_content()
    unsubscribe = links(live)["unsubscribe"]
    assert live["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert live["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    reply = replied(service, zoe, 1)
    notice = sink.wait_for(3)
    assert notice["To"] == "zoe@example.org"
    assert notice["Subject"] == "Dana Whitfield replied to your comment on First Coffee"
    assert "Thank you – “glad” it helped." not in notice.get_content()  # the text as written, not as shown
    assert f"#comment-{reply.id}" in notice.get_content()
    assert notice["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    replies_link = links(notice)["unsubscribe"]

    # Opening the link changes nothing; the mail program's one-click POST, with no cookie and
    # no Origin, unsubscribes from the replies to this comment.
    page = http("GET", replies_link)
    assert page.status == 200 and "Stop emails about replies to this comment" in page.text
    assert service.store.run(lambda c: c.execute("SELECT count(*) FROM mail_optouts").fetchone()[0], write=False) == 0
    answer = http("POST", replies_link, data=b"List-Unsubscribe=One-Click",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status == 200 and "no more emails about replies to this comment" in answer.text

    later = owner_reply(service.store, zoe, 2)
    assert "reply" not in outbox_kinds(service.store, later.id)


def test_reply_notifications_are_opt_in_and_only_to_confirmed_addresses(service):
    ada = confirmed_comment(service, 1, name="Ada Lovelace", email="ada@example.org")  # box not ticked
    approve(service, ada)
    service.smtp.sink.wait_for(2)  # her live notice
    reply = owner_reply(service.store, ada, 1)
    assert outbox_kinds(service.store, reply.id) == {}

    # Approved without confirming (only a bug or a hand-edited database could): no email at all.
    unconfirmed = StoredComment(
        id="c-20240302-0900-0000aa", post="first-coffee", reply_to="", author="Eve Example",
        email="eve@example.org", website="", body="Hello there.", identity="email-verified", state="approved",
        created_at=timestamp(utc_now()), notify_replies=True,
    )
    service.store.add_comment(unconfirmed)
    queue_live_notices(service.store, [unconfirmed.id], utc_now())
    assert outbox_kinds(service.store, unconfirmed.id) == {}
    assert outbox_kinds(service.store, owner_reply(service.store, unconfirmed, 2).id) == {}


def test_unsubscribing_from_everything_cancels_what_is_queued(service):
    zoe = confirmed_comment(service, 1, notify_replies="on")
    page = None
    approve(service, zoe)
    live = service.smtp.sink.wait_for(2)
    page = http("POST", links(live)["unsubscribe"], form={"scope": "all"})
    assert page.status == 200 and "This address gets no more emails" in page.text

    other = confirmed_comment(service, 3, body="A second thought on the same post.", notify_replies="on")
    approve(service, other)
    assert outbox_kinds(service.store, other.id) == {"verify": "sent"}  # no live notice
    assert "reply" not in outbox_kinds(service.store, owner_reply(service.store, zoe, 1).id)


def test_delete_link_is_signed_for_deleting_only(service):
    zoe = confirmed_comment(service, 1)
    approve(service, zoe)
    live = service.smtp.sink.wait_for(2)
    delete, unsubscribe = links(live)["delete"], links(live)["unsubscribe"]
    verify = verification_link(service.smtp.sink.wait_for(1))

    # Another kind of link under this address, or a changed one, is refused.
    token = lambda url: url.rsplit("/", 1)[1]  # noqa: E731
    for forged in (token(verify), token(unsubscribe), token(delete)[:-2] + "xx"):
        answer = http("POST", f"{service.url}/delete/{forged}", form={})
        assert answer.status == 400, answer.text
    assert http("POST", f"{service.url}/unsubscribe/{token(delete)}", form={}).status == 400

    page = http("GET", delete)
    assert page.status == 200 and "Delete my comment" in page.text and zoe.body in page.text
    assert page.headers["Referrer-Policy"] == "same-origin"
    assert service.store.get(zoe.id) is not None  # opening it changed nothing
    assert http("POST", delete, form={}, headers={"Origin": SITE_ORIGIN}).status == 403
    assert service.store.get(zoe.id) is not None

    done = http("POST", delete, form={}, headers={"Origin": service.url})
    assert done.status == 200 and "Your comment is deleted" in done.text
    assert service.store.get(zoe.id) is None
    assert outbox_kinds(service.store, zoe.id) == {}
    assert http("GET", delete).status == 404


def test_an_outbox_made_before_takes_the_new_kinds(tmp_path):
    old_schema = subprocess.run(
        ["git", "show", "HEAD:src/handbill/comment_service/schema.sql"], capture_output=True, text=True, check=True,
    ).stdout
    path = tmp_path / "comments.sqlite3"
    with sqlite3.connect(path) as connection:
        connection.executescript(old_schema)
        connection.execute(
            "INSERT INTO comments (id, post, author, email, body, identity, state, created_at, verified_at)"
            " VALUES ('c-1', 'p', 'Zoë', 'zoe@example.org', 'Hi', 'email-verified', 'verified', '2024-01-01', 'x')"
        )
        connection.execute(
            "INSERT INTO outbox (comment_id, kind, state, queued_at, next_attempt_at)"
            " VALUES ('c-1', 'verify', 'sent', 'a', 'a')"
        )
    connection.close()
    store = Store(path).initialize()
    assert not store.get("c-1").notify_replies
    store.decide("c-1", "approved", utc_now(), from_states=("verified",))
    assert outbox_kinds(store, "c-1") == {"verify": "sent", "live": "queued"}
