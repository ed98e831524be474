from datetime import timedelta

import pytest

from handbill.comment_service.moderation import (
    ModerationError,
    approve,
    export,
    format_pending,
    pending,
    reject,
    reply,
    split_ids,
)
from handbill.comment_service.store import Store, timestamp, utc_now
from handbill.core.records import CommentRecord, read_record, write_record

from .test_store import comment

NOW = utc_now()


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "comments.sqlite3").initialize()
    store.add_comment(comment(1, created=NOW - timedelta(hours=2)))
    store.add_comment(comment(2, state="verified", verified_at=timestamp(NOW), body="Verified words " * 30))
    return store


def test_pending_lists_waiting_comments_without_emails(store):
    text = format_pending(pending(store))
    assert text.index("c-1  unverified") < text.index("c-2  verified")
    assert "Zoë de la Cruz" in text and "first-coffee" in text and "Verified words" in text
    assert "…" in text  # long bodies are cut to an excerpt
    assert "@" not in text
    assert "2 waiting: 1 verified (ready to approve), 1 unverified." in text


def test_approve_only_verified_comments(store):
    lines = approve(store, ["c-1", "c-2", "c-2", "c-9"], NOW)
    assert lines[0] == "c-1: not approved: the commenter has not confirmed their email address yet"
    assert lines[1].startswith("c-2: approved")
    assert lines[2] == "c-2: already approved"
    assert lines[3] == "c-9: no such comment"
    assert store.get("c-1").state == "unverified" and store.get("c-2").state == "approved"


def test_reject_keeps_the_reason_and_can_be_undone(store):
    assert reject(store, ["c-2"], "off topic", NOW) == ["c-2: rejected"]
    assert store.get("c-2").reason == "off topic"
    assert reject(store, ["c-2"], "", NOW) == ["c-2: already rejected"]
    assert approve(store, ["c-2"], NOW)[0].startswith("c-2: approved")


def test_export_writes_approved_records_once(store, tmp_path):
    approve(store, ["c-2"], NOW)
    first = export(store, tmp_path / "comments", NOW)
    second = export(store, tmp_path / "comments", NOW)

    assert first.written == [tmp_path / "comments" / "first-coffee" / "c-2.md"]
    assert (second.written, second.unchanged) == ([], 1)
    record = read_record(first.written[0])
    assert (record.author, record.identity, record.status) == ("Zoë de la Cruz", "email-verified", "published")
    assert "zoe@example.org" not in first.written[0].read_text(encoding="utf-8")
    assert store.get("c-2").exported_at is not None


def test_a_hand_edited_record_is_left_alone_and_reported(store, tmp_path):
    approve(store, ["c-2"], NOW)
    path = export(store, tmp_path / "comments", NOW).written[0]
    path.write_text(path.read_text(encoding="utf-8").replace("Verified words", "Edited words"), encoding="utf-8")

    result = export(store, tmp_path / "comments", NOW)

    assert result.written == [] and "a different comment record" in result.problems[0]
    assert "Edited words" in path.read_text(encoding="utf-8")


def test_rejecting_a_published_comment_holds_its_record(store, tmp_path):
    approve(store, ["c-2"], NOW)
    path = export(store, tmp_path / "comments", NOW).written[0]
    assert reject(store, ["c-2"], "asked to be removed", NOW) == [
        "c-2: rejected (its published record is held at the next export)"
    ]

    export(store, tmp_path / "comments", NOW)

    record = read_record(path)
    assert (record.status, record.held_reason) == ("held", "asked to be removed")


def test_reply_as_site_owner(store, tmp_path):
    approve(store, ["c-2"], NOW)
    answer = reply(store, "c-2", "Thank you!", owner_name="Dana Whitfield", comments_dir=tmp_path, now=NOW)
    assert (answer.identity, answer.state, answer.reply_to, answer.post) == (
        "site-owner", "approved", "c-2", "first-coffee"
    )
    assert answer.author == "Dana Whitfield" and answer.email == ""
    assert export(store, tmp_path / "out", NOW).written[-1].name == f"{answer.id}.md"


def test_reply_to_a_published_record_that_the_service_never_saw(store, tmp_path):
    imported = CommentRecord(id="c-20200101-0000-abc123", post="old-post", author="Ada Lovelace",
                             date=NOW, body="From the old blog.", identity="imported", source="wordpress:7")
    write_record(tmp_path, imported)
    answer = reply(store, imported.id, "Still true.", owner_name="Dana Whitfield", comments_dir=tmp_path, now=NOW)
    assert answer.post == "old-post"


@pytest.mark.parametrize(
    ("parent", "text", "message"),
    [
        ("c-1", "Hi", "c-1 is unverified, not approved: approve it first"),
        ("c-9", "Hi", "c-9: no such comment"),
        ("c-2", "   ", "the reply is empty"),
    ],
)
def test_reply_refusals(store, tmp_path, parent, text, message):
    with pytest.raises(ModerationError, match=message):
        reply(store, parent, text, owner_name="Dana Whitfield", comments_dir=tmp_path, now=NOW)


def test_split_ids():
    assert split_ids("c-1, c-2 c-3,,") == ["c-1", "c-2", "c-3"]
    with pytest.raises(ModerationError):
        split_ids(" , ")
