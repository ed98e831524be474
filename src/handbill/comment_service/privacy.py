"""Commenters' data rights: delete one comment, forget a person, tell them what is held, back up.

- ``delete_comment``: the commenter's own "delete my comment" link (views/subscriptions.py).
  The comment, its emails and its opt-outs leave the database in one transaction; replies
  to it move up to its parent, so that the thread still holds together. If an export wrote
  its record, a ``removed_records`` row (no personal data) says that the file must go.
- ``remove_records``: removes those files (the next export does, and ``forget``), re-pointing
  the records that replied to a removed one; the next build drops the comment from its page.
- ``forget``: every comment of an address, and its opt-outs, then the files.
- ``person``: everything held about an address, as a dict ready for JSON.
- ``backup``: a consistent copy of the live database (SQLite's backup API), readable by its
  owner only.
"""

import logging
import os
import sqlite3
from contextlib import closing
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from handbill.core.records import RecordError, read_record, write_record

from .store import STATES, timestamp

logger = logging.getLogger(__name__)

# The outbox rows of what was mailed to an address: its own comments' emails (the verification
# link, its live notices), the owner's notices about them, and notices of replies to them.
_MAILS_QUERY = """
    SELECT o.comment_id, o.kind, o.state, o.queued_at, o.sent_at, o.attempts,
           CASE o.kind WHEN 'owner' THEN 'the site owner' ELSE 'you' END
    FROM outbox o JOIN comments c ON c.id = o.comment_id
    WHERE (lower(c.email) = ? AND o.kind != 'reply')
       OR (o.kind = 'reply' AND c.reply_to IN (SELECT id FROM comments WHERE lower(email) = ?))
    ORDER BY o.queued_at, o.id
"""


def _delete(connection, comment, now):
    if comment.exported_at:
        connection.execute(
            "INSERT OR REPLACE INTO removed_records (comment_id, post, requested_at) VALUES (?, ?, ?)",
            (comment.id, comment.post, timestamp(now)),
        )
    # A queued notice of a reply to this comment would go to the parent's author once moved up.
    connection.execute(
        "UPDATE outbox SET state = 'cancelled' WHERE kind = 'reply' AND state = 'queued'"
        " AND comment_id IN (SELECT id FROM comments WHERE reply_to = ?)",
        (comment.id,),
    )
    connection.execute("UPDATE comments SET reply_to = ? WHERE reply_to = ?", (comment.reply_to, comment.id))
    connection.execute("DELETE FROM outbox WHERE comment_id = ?", (comment.id,))
    connection.execute("DELETE FROM mail_optouts WHERE comment_id = ?", (comment.id,))
    connection.execute("DELETE FROM comments WHERE id = ?", (comment.id,))


def delete_comment(store, comment_id, now):
    """Delete one comment (see above); the comment as it was, or None if there was none."""
    comment = store.get(comment_id)
    if comment is not None:
        store.run(lambda connection: _delete(connection, comment, now), write=True)
        logger.info("Comment %s deleted at its author's request", comment_id)
    return comment


def remove_records(store, comments_dir):
    """Remove the record files of deleted comments; the paths removed."""
    comments_dir = Path(comments_dir)
    pending = store.run(
        lambda connection: connection.execute("SELECT comment_id, post FROM removed_records").fetchall(), write=False
    )
    removed = []
    for comment_id, post in pending:
        path = comments_dir / post / f"{comment_id}.md"
        if path.exists():
            _move_replies_up(comments_dir / post, comment_id, path)
            path.unlink()
            removed.append(path)
        store.run(
            lambda connection, done=comment_id: connection.execute(
                "DELETE FROM removed_records WHERE comment_id = ?", (done,)
            ),
            write=True,
        )
    return removed


def _move_replies_up(post_dir, comment_id, path):
    """Records replying to the record at ``path`` answer its parent from now on."""
    try:
        parent = read_record(path).reply_to
    except RecordError:
        parent = ""
    for other in sorted(post_dir.glob("*.md")):
        try:
            record = read_record(other)
        except RecordError:
            continue  # the build reports it
        if record.reply_to == comment_id:
            write_record(post_dir.parent, replace(record, reply_to=parent), overwrite=True)


@dataclass
class Forgotten:
    comment_ids: list = field(default_factory=list)
    removed: list = field(default_factory=list)  # record files


def forget(store, email, comments_dir, now):
    """Delete every comment of ``email`` and its opt-outs, then the record files: a Forgotten."""
    address = email.lower()
    # Newest first: a reply goes before the comment it answers, never moved under it.
    comments = sorted(_comments_of(store, address), key=lambda comment: comment.created_at, reverse=True)

    def forget_all(connection):
        for comment in comments:
            _delete(connection, comment, now)
        connection.execute("DELETE FROM mail_optouts WHERE email = ?", (address,))

    store.run(forget_all, write=True)
    return Forgotten([comment.id for comment in comments], remove_records(store, comments_dir))


def _comments_of(store, address):
    return [comment for comment in store.in_states(*STATES) if comment.email.lower() == address]


def person(store, email):
    """Everything the service holds about ``email``, as a dict for JSON."""
    address = email.lower()

    def read(connection):
        mails = [
            dict(zip(("comment_id", "kind", "state", "queued_at", "sent_at", "attempts", "to"), row, strict=True))
            for row in connection.execute(_MAILS_QUERY, (address, address))
        ]
        opt_outs = [
            {"scope": "all" if comment_id == "" else "replies", "comment_id": comment_id, "at": at}
            for comment_id, at in connection.execute(
                "SELECT comment_id, at FROM mail_optouts WHERE email = ? ORDER BY at", (address,)
            )
        ]
        return mails, opt_outs

    mails, opt_outs = store.run(read, write=False)
    comments = [asdict(comment) for comment in _comments_of(store, address)]
    return {"email": email, "comments": comments, "mails": mails, "opt_outs": opt_outs}


def backup(db_path, destination):
    """Copy the database at ``db_path`` to ``destination`` (mode 0600) while it is in use."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial")
    partial.unlink(missing_ok=True)
    # Created 0600 before a byte is written: the copy holds every commenter's address.
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    uri = f"{Path(db_path).absolute().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as source, closing(sqlite3.connect(partial)) as target:
        source.backup(target)
    os.replace(partial, destination)
    return destination
