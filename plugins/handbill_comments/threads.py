"""Arrange one post's comments into threads, pure (no Pelican, no I/O).

Top-level comments and the replies under each comment are in date order
(then id, so equal dates are stable). A reply is only shown under a shown
parent: a reply to a held comment is held with it, and a reply whose parent
does not exist on the post (or whose chain of parents loops) is broken.
"""

from dataclasses import dataclass, field


@dataclass
class ThreadNode:
    record: object  # CommentRecord
    depth: int
    replies: list = field(default_factory=list)


@dataclass
class Thread:
    roots: list  # ThreadNode, in date order
    count: int  # comments shown
    held_replies: list  # (record, reason): replies under a held comment
    broken: list  # (record, reason): parent missing, or replies loop


def _order(record):
    return (record.date, record.id)


def build_thread(shown, held_ids=()):
    """Thread the records in ``shown``; ``held_ids`` are ids on the post that are held."""
    held_ids = set(held_ids)
    by_id = {record.id: record for record in shown}
    children = {}
    for record in shown:
        children.setdefault(record.reply_to, []).append(record)

    roots = []
    reached = set()

    def attach(record, depth):
        node = ThreadNode(record=record, depth=depth)
        reached.add(record.id)
        for child in sorted(children.get(record.id, ()), key=_order):
            node.replies.append(attach(child, depth + 1))
        return node

    for record in sorted(children.get("", ()), key=_order):
        roots.append(attach(record, 0))

    held_replies, broken = [], []
    for record in sorted(shown, key=_order):
        if record.id not in reached:
            parent_held, reason = _unreached_reason(record, by_id, held_ids)
            (held_replies if parent_held else broken).append((record, reason))
    return Thread(roots=roots, count=len(reached), held_replies=held_replies, broken=broken)


def _unreached_reason(record, by_id, held_ids):
    """(parent is held, reason) for a record under no top-level comment.

    Such a record has a parent, so walking up ends at a held parent, a
    missing one, or a loop.
    """
    seen = {record.id}
    current = record
    while True:
        parent_id = current.reply_to
        via = "" if current is record else f" (via {record.reply_to!r})"
        if parent_id in held_ids:
            return True, f"replies to held comment {parent_id!r}{via}"
        if parent_id not in by_id:
            return False, f"Reply-To: no comment {parent_id!r} on post {record.post!r}{via}"
        if parent_id in seen:
            return False, f"Reply-To: the chain of replies loops back to {parent_id!r}"
        seen.add(parent_id)
        current = by_id[parent_id]


def walk(nodes):
    """Every node under ``nodes``, depth first, in display order."""
    for node in nodes:
        yield node
        yield from walk(node.replies)
