import sqlite3
from datetime import timedelta

import pytest

from handbill.comment_service.store import (
    DuplicateId,
    EmailQuotaFull,
    Store,
    StoreBusy,
    StoredComment,
    TokenAlreadyUsed,
    timestamp,
    utc_now,
)

NOW = utc_now()


def comment(number=1, email="zoe@example.org", created=NOW, **overrides):
    values = {
        "id": f"c-{number}", "post": "first-coffee", "reply_to": "", "author": "Zoë de la Cruz", "email": email,
        "website": "", "body": "Nice.", "identity": "email-verified", "state": "unverified",
        "created_at": timestamp(created), "verify_mail": "pending",
    }
    return StoredComment(**{**values, **overrides})


@pytest.fixture
def store(tmp_path):
    return Store(tmp_path / "db" / "comments.sqlite3").initialize()


def test_database_is_created_in_wal_mode_for_its_owner_only(store):
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.get("nothing") is None
    assert store.path.stat().st_mode & 0o777 == 0o600


def test_a_token_nonce_stores_one_comment_only(store):
    store.add_comment(comment(1), nonce="n1")
    with pytest.raises(TokenAlreadyUsed):
        store.add_comment(comment(2), nonce="n1")
    with pytest.raises(DuplicateId):
        store.add_comment(comment(1), nonce="n2")
    assert store.ids() == {"c-1"}
    store.add_comment(comment(3), nonce="n2")  # the refused attempt did not use up n2
    assert store.ids() == {"c-1", "c-3"}


@pytest.mark.parametrize(
    ("auto_approve", "expected"), [("none", "verified"), ("known", "approved"), ("all", "approved")]
)
def test_verification_and_automatic_approval(store, auto_approve, expected):
    store.add_comment(comment(1, state="approved", email="Zoe@Example.org"))
    store.add_comment(comment(2))
    assert store.verify("c-2", NOW, auto_approve).state == expected
    assert store.verify("c-2", NOW, auto_approve).state == expected  # again: nothing changes


def test_known_means_approved_before(store):
    store.add_comment(comment(1, state="rejected"))
    store.add_comment(comment(2))
    assert store.verify("c-2", NOW, "known").state == "verified"


def test_email_quota_refuses_when_full_and_uses_up_nothing(store):
    store.add_comment(comment(1, created=NOW - timedelta(hours=30)))
    store.add_comment(comment(2, created=NOW - timedelta(hours=2)))
    store.add_comment(comment(3, email="ZOE@example.org", created=NOW - timedelta(hours=1)))
    with pytest.raises(EmailQuotaFull) as full:
        store.add_comment(comment(4), nonce="n4", email_quota=(2, NOW - timedelta(days=1)))
    assert full.value.oldest == NOW - timedelta(hours=2)
    assert store.ids() == {"c-1", "c-2", "c-3"}
    store.add_comment(comment(4), nonce="n4", email_quota=(3, NOW - timedelta(days=1)))  # n4 was not used up
    store.add_comment(comment(5, email="other@example.org"), email_quota=(1, NOW - timedelta(days=1)))
    assert store.ids() == {"c-1", "c-2", "c-3", "c-4", "c-5"}


def test_mail_due(store):
    store.add_comment(comment(1, verify_mail="failed"))
    store.add_comment(comment(2, verify_mail="pending", created=NOW - timedelta(minutes=5)))
    store.add_comment(comment(3, verify_mail="pending"))  # may still be on its way
    store.add_comment(comment(4, verify_mail="sent"))
    store.add_comment(comment(5, state="verified", verified_at=timestamp(NOW), owner_mail="failed"))
    store.add_comment(comment(6, state="approved", verify_mail="failed"))  # nothing to confirm any more
    assert [c.id for c in store.mail_due(NOW - timedelta(minutes=1))] == ["c-2", "c-1", "c-5"]  # oldest first


def test_busy_database_raises_store_busy_after_retries(tmp_path):
    store = Store(tmp_path / "c.sqlite3", busy_timeout=0.02, attempts=3).initialize()
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreBusy, match="stayed locked after 3 attempts"):
            store.add_comment(comment(1), nonce="n")
    finally:
        locker.execute("ROLLBACK")
    store.add_comment(comment(1), nonce="n")
    assert store.ids() == {"c-1"}


def test_record_of_a_comment_never_carries_the_email(store):
    record = comment(1, website="https://zoe.example.org/").as_record()
    assert record.author == "Zoë de la Cruz" and record.website == "https://zoe.example.org/"
    assert record.date == NOW and record.identity == "email-verified"
    assert "example.org" not in repr(record).replace("zoe.example.org", "")
