"""Arrange one post's comments into threads, pure (no Pelican, no I/O).

Top-level comments and the replies under each comment are in date order
(then id, so equal dates are stable). A reply is only shown under a shown
parent: a reply to a held comment is held with it, and a reply whose parent
does not exist on the post (or whose chain of parents loops) is broken.

Nothing here recurses: a chain of replies thousands deep is threaded, walked
and explained with explicit stacks, in time linear in the number of records.
"""

from dataclasses import dataclass, field


@dataclass
class ThreadNode:
    record: object  # CommentRecord
    depth: int  # 0 for a top-level comment, however deep the chain below it
    replies: list = field(default_factory=list)


@dataclass
class Thread:
    roots: list  # ThreadNode, in date order
    count: int  # comments shown
    held_replies: list  # (record, reason): replies under a held comment
    broken: list  # (record, reason): parent missing, replies loop, or an id used twice


def _order(record):
    return (record.date, record.id)


def build_thread(shown, held_ids=()):
    """Thread the records in ``shown``; ``held_ids`` are ids on the post that are held."""
    held_ids = set(held_ids)
    by_id, duplicates = {}, []
    for record in sorted(shown, key=_order):
        if record.id in by_id:
            duplicates.append((record, f"Id: {record.id!r} is also the id of another comment on post {record.post!r}"))
        else:
            by_id[record.id] = record
    children = {}
    for record in by_id.values():  # in date order, so every list of replies is too
        children.setdefault(record.reply_to, []).append(record)

    roots = [ThreadNode(record=record, depth=0) for record in children.get("", ())]
    # Depth first; a node's replies are attached when it is taken off the stack.
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        node.replies = [ThreadNode(record=child, depth=node.depth + 1) for child in children.get(node.record.id, ())]
        stack.extend(reversed(node.replies))

    attached = {node.record.id for node in walk(roots)}
    unreached = [record for record in by_id.values() if record.id not in attached]
    held_replies, broken = [], list(duplicates)
    for record, (parent_held, reason) in zip(unreached, _unreached_reasons(unreached, by_id, held_ids), strict=True):
        (held_replies if parent_held else broken).append((record, reason))
    broken.sort(key=lambda item: _order(item[0]))
    return Thread(roots=roots, count=len(attached), held_replies=held_replies, broken=broken)


def _unreached_reasons(unreached, by_id, held_ids):
    """(parent is held, reason) for each record under no top-level comment.

    Such a record has a parent, so walking up ends at a held parent, a
    missing one, or a loop. What a walk finds is kept for every record it
    passed, so each record is walked over once, however long the chains.
    """
    cause = {}  # id -> ("held" | "missing" | "loop", the id that ends the walk)
    for record in unreached:
        path, on_path = [], set()
        current = record
        while current.id not in cause:
            path.append(current.id)
            on_path.add(current.id)
            parent_id = current.reply_to
            if parent_id in held_ids:
                found = ("held", parent_id)
                break
            if parent_id not in by_id:
                found = ("missing", parent_id)
                break
            if parent_id in on_path:
                found = ("loop", parent_id)
                break
            current = by_id[parent_id]
        else:
            found = cause[current.id]
        for walked in path:
            cause[walked] = found

    reasons = []
    for record in unreached:
        kind, end = cause[record.id]
        via = "" if end == record.reply_to else f" (via {record.reply_to!r})"
        if kind == "held":
            reasons.append((True, f"replies to held comment {end!r}{via}"))
        elif kind == "missing":
            reasons.append((False, f"Reply-To: no comment {end!r} on post {record.post!r}{via}"))
        else:
            reasons.append((False, f"Reply-To: the chain of replies loops back to {end!r}"))
    return reasons


def walk(nodes):
    """Every node under ``nodes``, depth first, in display order."""
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.replies))
