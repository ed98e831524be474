"""Threading one post's comments."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

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


def test_duplicate_ids_are_broken_not_shown_twice():
    thread = build_thread([record("a", 1), record("a", 2), record("b", 3, "a")])
    assert shape(thread.roots) == [("a", 0), ("b", 1)]
    assert [(r.id, r.date) for r, _ in thread.broken] == [("a", START + timedelta(minutes=2))]
    assert "also the id of another comment" in thread.broken[0][1]


def test_a_reply_chain_thousands_deep_is_threaded_without_recursion():
    depth = 5000  # Python's recursion limit is 1000
    chain = [record("c-0", 0)] + [record(f"c-{n}", n, f"c-{n - 1}") for n in range(1, depth)]
    thread = build_thread(chain)
    assert shape(thread.roots) == [(f"c-{n}", n) for n in range(depth)]
    assert thread.count == depth

    held_at_top = build_thread(chain[1:], held_ids={"c-0"})
    assert held_at_top.roots == [] and len(held_at_top.held_replies) == depth - 1
    assert held_at_top.held_replies[-1][1] == f"replies to held comment 'c-0' (via 'c-{depth - 2}')"


# A random forest of replies: each record answers nothing, another record (which
# may come later, making loops), a held comment, or a comment that is not there.
IDS = [f"c-{n}" for n in range(12)]
forests = st.lists(
    st.tuples(
        st.sampled_from(IDS),
        st.integers(0, 50),
        st.one_of(st.just(""), st.sampled_from(IDS), st.sampled_from(["h-1", "h-2", "gone"])),
    ),
    max_size=25,
)


@given(forests, st.sets(st.sampled_from(["h-1", "h-2", *IDS])))
def test_every_record_is_shown_once_or_reported(entries, held_ids):
    records = [record(id, minutes, reply_to) for id, minutes, reply_to in entries]
    thread = build_thread(records, held_ids)
    nodes = list(walk(thread.roots))
    shown = [node.record for node in nodes]
    reported = [r for r, _ in thread.held_replies + thread.broken]
    assert sorted(map(id, shown + reported)) == sorted(map(id, records))  # each record object exactly once
    assert thread.count == len(nodes) == len({r.id for r in shown})
    for node in nodes:
        for reply in node.replies:
            assert (reply.record.reply_to, reply.depth) == (node.record.id, node.depth + 1)
    for root in thread.roots:
        assert (root.record.reply_to, root.depth) == ("", 0)
    for _, reason in thread.held_replies:
        assert reason.startswith("replies to held comment")
