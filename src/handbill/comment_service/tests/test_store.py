import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest

from handbill.comment_service.outbox import MAIL_WINDOW, UNUSED_EMAILS_PER_ADDRESS
from handbill.comment_service.store import (
    DuplicateId,
    EmailQuotaFull,
    Store,
    StoreBusy,
    StoredComment,
    StoreUnavailable,
    TokenAlreadyUsed,
    timestamp,
    utc_now,
)

NOW = utc_now()


def comment(number=1, email="zoe@example.org", created=NOW, **overrides):
    values = {
        "id": f"c-{number}", "post": "first-coffee", "reply_to": "", "author": "Zoë de la Cruz", "email": email,
        "website": "", "body": "Nice.", "identity": "email-verified", "state": "unverified",
        "created_at": timestamp(created),
    }
    return StoredComment(**{**values, **overrides})


def confirmed(number, when, email="zoe@example.org"):
    return comment(number, email=email, created=when, state="verified", verified_at=timestamp(when))


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "db" / "comments.sqlite3").initialize()


def outbox(store):
    with closing(sqlite3.connect(store.path)) as connection:
        return connection.execute("SELECT comment_id, kind, state, next_attempt_at FROM outbox ORDER BY id").fetchall()


def test_database_and_its_companions_are_for_their_owner_only(store):
    store.add_comment(comment(1))
    with closing(sqlite3.connect(store.path)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        # Held open, so that the -wal and -shm files exist while we look.
        assert store.get("c-1") is not None
        for path in (store.path, *store._companions()):
            assert path.stat().st_mode & 0o777 == 0o600, path


def test_initialize_makes_an_older_loose_database_private(tmp_path):
    path = tmp_path / "comments.sqlite3"
    sqlite3.connect(path).close()
    path.chmod(0o644)
    Store(path).initialize()
    assert path.stat().st_mode & 0o777 == 0o600


def test_a_token_nonce_stores_one_comment_only(store):
    store.add_comment(comment(1), nonce="n1")
    with pytest.raises(TokenAlreadyUsed):
        store.add_comment(comment(2), nonce="n1")
    with pytest.raises(DuplicateId):
        store.add_comment(comment(1), nonce="n2")
    assert store.ids() == {"c-1"}
    store.add_comment(comment(3), nonce="n2")  # the refused attempt did not use up n2
    assert store.ids() == {"c-1", "c-3"}
    assert [row[0] for row in outbox(store)] == ["c-1", "c-3"]  # a refused comment queued no mail


def test_an_unverified_comment_is_stored_with_its_email_queued(store):
    assert store.add_comment(comment(1)) == NOW
    assert store.add_comment(comment(2, state="approved", email="")) is None  # the owner's reply: no email
    assert outbox(store) == [("c-1", "verify", "queued", timestamp(NOW))]
    assert (store.get("c-1").verify_mail, store.get("c-2").verify_mail) == ("queued", "none")


@pytest.mark.parametrize(
    ("auto_approve", "expected"), [("none", "verified"), ("known", "approved"), ("all", "approved")]
)
def test_verification_and_automatic_approval(store, auto_approve, expected):
    store.add_comment(comment(1, state="approved", email="Zoe@Example.org"))
    store.add_comment(comment(2))
    assert store.verify("c-2", NOW, auto_approve, notify_owner=True).state == expected
    assert store.verify("c-2", NOW, auto_approve, notify_owner=True).state == expected  # again: nothing changes
    # The owner hears of a comment that waits for them, once; not of one approved without them.
    assert store.get("c-2").owner_mail == ("queued" if expected == "verified" else "none")


def test_known_means_approved_before(store):
    store.add_comment(comment(1, state="rejected"))
    store.add_comment(comment(2))
    assert store.verify("c-2", NOW, "known").state == "verified"
    assert store.get("c-2").owner_mail == "none"  # notices off


def test_email_quota_counts_confirmed_comments_only(store):
    """Anyone can write in someone else's name: comments nobody confirmed use up nothing."""
    day = (2, NOW - timedelta(days=1))
    store.add_comment(confirmed(1, NOW - timedelta(hours=30)))
    store.add_comment(confirmed(2, NOW - timedelta(hours=2)))
    for number in range(3, 8):
        store.add_comment(comment(number, email="ZOE@example.org"), email_quota=day)  # unconfirmed: room stays
    store.verify("c-3", NOW - timedelta(hours=1))

    with pytest.raises(EmailQuotaFull) as full:
        store.add_comment(comment(8), nonce="n8", email_quota=day)
    assert full.value.oldest == NOW - timedelta(hours=2)
    with pytest.raises(EmailQuotaFull):
        store.verify("c-4", NOW, email_quota=day)  # confirming counts too, in its own transaction
    assert store.get("c-4").state == "unverified"
    store.add_comment(comment(8), nonce="n8", email_quota=(3, NOW - timedelta(days=1)))  # n8 was not used up
    store.add_comment(comment(9, email="other@example.org"), email_quota=(1, NOW - timedelta(days=1)))
    assert store.ids() == {f"c-{number}" for number in range(1, 10)}


def test_an_address_without_room_gets_its_email_later(store):
    """The stored answer to "when may this comment's email go" follows outbox.address_ready_at."""
    sent_at = NOW - timedelta(hours=5)
    numbers = range(1, UNUSED_EMAILS_PER_ADDRESS + 1)
    for number in numbers:
        store.add_comment(comment(number, created=sent_at))
    with closing(sqlite3.connect(store.path)) as connection, connection:
        connection.executemany(
            "UPDATE outbox SET state = 'sent', sent_at = ?, batch = ? WHERE comment_id = ?",
            [(timestamp(sent_at + timedelta(minutes=n)), f"b{n}", f"c-{n}") for n in numbers],
        )
    assert store.add_comment(comment(10)) == sent_at + timedelta(minutes=1) + MAIL_WINDOW
    assert store.add_comment(comment(11, email="ada@example.org")) == NOW


def test_busy_database_raises_store_busy_after_retries(tmp_path):
    store = Store(tmp_path / "c.sqlite3", busy_timeout=0.02, attempts=3).initialize()
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy, match="stayed locked after 3 attempts"):
            store.add_comment(comment(1), nonce="n")
        with pytest.raises(StoreBusy):
            store.health(NOW)
    finally:
        locker.execute("ROLLBACK")
    store.add_comment(comment(1), nonce="n")
    assert store.ids() == {"c-1"}


def test_a_deleted_database_is_unavailable_and_not_made_again(store):
    store.add_comment(comment(1))
    for path in (store.path, *store._companions()):
        path.unlink(missing_ok=True)

    with pytest.raises(StoreUnavailable, match="unable to open"):
        store.add_comment(comment(2))
    with pytest.raises(StoreUnavailable):
        store.get("c-1")
    assert not store.path.exists()


def test_a_corrupt_database_is_unavailable(store):
    store.add_comment(comment(1))
    for path in store._companions():
        path.unlink(missing_ok=True)
    store.path.write_bytes(b"this is not a database " * 500)

    with pytest.raises(StoreUnavailable, match="not a database"):
        store.get("c-1")
    with pytest.raises(StoreUnavailable):
        store.health(NOW)


# The tables as the version before the outbox made them, with each comment's mail states.
OLD_COMMENTS_TABLE = """
CREATE TABLE comments (
    id TEXT PRIMARY KEY, post TEXT NOT NULL, reply_to TEXT NOT NULL DEFAULT '', author TEXT NOT NULL,
    email TEXT NOT NULL, website TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, identity TEXT NOT NULL,
    state TEXT NOT NULL, created_at TEXT NOT NULL, verified_at TEXT, decided_at TEXT,
    reason TEXT NOT NULL DEFAULT '', verify_mail TEXT NOT NULL DEFAULT 'none',
    owner_mail TEXT NOT NULL DEFAULT 'none', exported_at TEXT
);
CREATE TABLE used_tokens (nonce TEXT PRIMARY KEY, used_at TEXT NOT NULL);
"""


def test_a_database_from_before_the_outbox_keeps_working(tmp_path):
    path = tmp_path / "old.sqlite3"
    old = [
        # id, state, verified_at, verify_mail, owner_mail
        ("c-1", "unverified", None, "failed", "none"),  # its link never went: queued now
        ("c-2", "unverified", None, "pending", "none"),  # the process stopped before sending
        ("c-3", "unverified", None, "sent", "none"),
        ("c-4", "verified", timestamp(NOW), "sent", "failed"),  # the owner's notice: queued now
        ("c-5", "approved", timestamp(NOW), "failed", "pending"),  # decided: nothing left to send
    ]
    with closing(sqlite3.connect(path)) as connection, connection:
        connection.executescript(OLD_COMMENTS_TABLE)
        connection.executemany(
            "INSERT INTO comments (id, post, author, email, body, identity, state, created_at, verified_at,"
            " verify_mail, owner_mail) VALUES (?, 'first-coffee', 'Zoë de la Cruz', 'zoe@example.org', 'Nice.',"
            " 'email-verified', ?, ?, ?, ?, ?)",
            [(id_, state, timestamp(NOW), *rest) for id_, state, *rest in old],
        )

    store = Store(path).initialize()
    Store(path).initialize()  # once migrated, again changes nothing

    mails = {c.id: (c.verify_mail, c.owner_mail) for c in store.in_states("unverified", "verified", "approved")}
    assert mails == {
        "c-1": ("queued", "none"), "c-2": ("queued", "none"), "c-3": ("sent", "none"),
        "c-4": ("sent", "queued"), "c-5": ("none", "none"),
    }
    store.add_comment(comment(6))
    assert store.get("c-6").verify_mail == "queued"
    with closing(sqlite3.connect(path)) as connection:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(comments)")}
    assert "verify_mail" not in columns and "owner_mail" not in columns


def test_record_of_a_comment_never_carries_the_email(store):
    record = comment(1, website="https://zoe.example.org/").as_record()
    assert record.author == "Zoë de la Cruz" and record.website == "https://zoe.example.org/"
    assert record.date == NOW and record.identity == "email-verified"
    assert "example.org" not in repr(record).replace("zoe.example.org", "")
