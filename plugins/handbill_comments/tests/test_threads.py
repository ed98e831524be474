"""Threading one post's comments."""

from datetime import UTC, datetime, timedelta

from handbill.core.records import CommentRecord
from handbill_comments.threads import build_thread, walk

START = datetime(2024, 1, 1, tzinfo=UTC)


def record(id, minutes, reply_to=""):
    return CommentRecord(id=id, post="p", author="Dana Whitfield", date=START + timedelta(minutes=minutes),
                         body="x", identity="email-verified", reply_to=reply_to)


def shape(nodes):
    return [(node.record.id, node.depth) for node in walk(nodes)]


def test_threads_in_date_order_with_replies_nested():
    records = [
        record("b", 5), record("a", 1), record("a2", 9, "a"), record("a1", 3, "a"),
        record("a1x", 4, "a1"), record("c", 5),
    ]
    thread = build_thread(records)
    assert shape(thread.roots) == [("a", 0), ("a1", 1), ("a1x", 2), ("a2", 1), ("b", 0), ("c", 0)]
    assert thread.count == 6 and thread.held_replies == [] and thread.broken == []


def test_replies_under_held_comments_are_held():
    thread = build_thread([record("a", 1), record("b", 2, "h"), record("c", 3, "b")], held_ids={"h"})
    assert shape(thread.roots) == [("a", 0)]
    assert [(r.id, reason) for r, reason in thread.held_replies] == [
        ("b", "replies to held comment 'h'"),
        ("c", "replies to held comment 'h' (via 'b')"),
    ]
    assert thread.count == 1


def test_missing_parents_and_loops_are_broken():
    thread = build_thread([record("a", 1, "gone"), record("x", 2, "y"), record("y", 3, "x"), record("ok", 4)])
    assert shape(thread.roots) == [("ok", 0)]
    reasons = {r.id: reason for r, reason in thread.broken}
    assert reasons["a"] == "Reply-To: no comment 'gone' on post 'p'"
    assert "loops" in reasons["x"] and "loops" in reasons["y"]
