"""The owner's side: list waiting comments, approve, reject, reply, export records, resend mail.

These functions do the work of the ``invoke comments.*`` tasks (tasks.py only
parses arguments and prints). Each returns what happened, per comment, in
words the owner can act on.
"""

import logging
from dataclasses import dataclass, field, replace

from handbill.core.records import (
    RecordError,
    new_comment_id,
    read_record,
    record_path,
    validate_record,
    write_record,
)

from .mailer import excerpt
from .store import StoredComment, timestamp

logger = logging.getLogger(__name__)

REJECTED_HELD_REASON = "rejected by the site owner"


class ModerationError(Exception):
    """A request the owner has to change (unknown id, empty reply, ...)."""


def split_ids(text):
    """Comment ids given as one argument, separated by commas and/or spaces."""
    ids = [part for part in text.replace(",", " ").split() if part]
    if not ids:
        raise ModerationError("give at least one comment id (see `invoke comments.pending`)")
    return ids


def pending(store):
    """Comments awaiting the commenter (unverified) or the owner (verified), oldest first."""
    return store.in_states("unverified", "verified")


def format_pending(comments):
    if not comments:
        return "No comments are waiting."
    lines = []
    for comment in comments:
        state = comment.state
        if state == "unverified" and comment.verify_mail == "failed":
            state += " (email not sent yet: run comments.retry-mail)"
        lines.append(
            f"{comment.id}  {state}  {comment.created:%Y-%m-%d %H:%M} UTC  post: {comment.post}"
            f"{'  reply to ' + comment.reply_to if comment.reply_to else ''}\n"
            f"    {comment.author}{'  <' + comment.website + '>' if comment.website else ''}\n"
            f"    {excerpt(comment.body, 160)}"
        )
    waiting = sum(comment.state == "verified" for comment in comments)
    unverified = len(comments) - waiting
    lines.append(f"{len(comments)} waiting: {waiting} verified (ready to approve), {unverified} unverified.")
    return "\n".join(lines)


def approve(store, ids, now):
    """Approve verified comments (also ones rejected before); a line per id."""
    lines = []
    for comment_id in ids:
        comment = store.get(comment_id)
        if comment is None:
            lines.append(f"{comment_id}: no such comment")
        elif comment.state == "approved":
            lines.append(f"{comment_id}: already approved")
        elif comment.verified_at is None:
            lines.append(f"{comment_id}: not approved: the commenter has not confirmed their email address yet")
        elif _decided(store.decide(comment_id, "approved", now, from_states=(comment.state,)), comment):
            lines.append(f"{comment_id}: approved ({comment.author} on {comment.post})")
        else:
            lines.append(f"{comment_id}: changed while approving; run the command again")
    return lines


def reject(store, ids, reason, now):
    """Reject comments, keeping the (private) reason; a line per id."""
    lines = []
    for comment_id in ids:
        comment = store.get(comment_id)
        if comment is None:
            lines.append(f"{comment_id}: no such comment")
        elif comment.state == "rejected":
            lines.append(f"{comment_id}: already rejected")
        elif _decided(store.decide(comment_id, "rejected", now, reason, from_states=(comment.state,)), comment):
            note = " (its published record is held at the next export)" if comment.exported_at else ""
            lines.append(f"{comment_id}: rejected{note}")
        else:
            lines.append(f"{comment_id}: changed while rejecting; run the command again")
    return lines


def _decided(before, expected):
    """Did Store.decide change the comment, i.e. was it still as the owner saw it?"""
    return before is not None and before.state == expected.state


def reply(store, parent_id, text, *, owner_name, comments_dir, now):
    """Store the owner's reply to a published comment (approved here, or any record on disk)."""
    text = text.strip()
    if not text:
        raise ModerationError("the reply is empty")
    parent = store.get(parent_id)
    if parent is not None and parent.state != "approved":
        raise ModerationError(
            f"{parent_id} is {parent.state}, not approved: approve it first "
            f"(invoke comments.approve {parent_id}), then reply"
        )
    post = parent.post if parent else _published_record(comments_dir, parent_id).post
    comment = StoredComment(
        id=new_comment_id(now, f"reply:{parent_id}:{text}"),
        post=post,
        reply_to=parent_id,
        author=owner_name,
        email="",
        website="",
        body=text,
        identity="site-owner",
        state="approved",
        created_at=timestamp(now),
        verified_at=timestamp(now),
        decided_at=timestamp(now),
    )
    try:
        validate_record(comment.as_record())  # the reply must make a valid record before it is stored
    except RecordError as error:
        raise ModerationError(f"the reply cannot be published: {error.reason}") from None
    store.add_comment(comment)
    return comment


def _published_record(comments_dir, comment_id):
    for path in sorted(comments_dir.glob(f"*/{comment_id}.md")):
        try:
            record = read_record(path)
        except RecordError as error:
            raise ModerationError(f"cannot reply to {comment_id}: {error}") from None
        if record.is_published:
            return record
    raise ModerationError(f"{comment_id}: no such comment (neither in the service nor published in {comments_dir})")


@dataclass
class ExportResult:
    written: list = field(default_factory=list)
    unchanged: int = 0
    problems: list = field(default_factory=list)


def export(store, comments_dir, now):
    """Write approved comments as records (and hold the records of published comments rejected
    since); re-running writes nothing new. A record edited by hand is left alone and reported."""
    result = ExportResult()
    for comment in store.in_states("approved", "rejected"):
        if comment.state == "rejected" and not comment.exported_at:
            continue
        record = comment.as_record()
        if comment.state == "rejected":
            record = replace(record, status="held", held_reason=_one_line(comment.reason) or REJECTED_HELD_REASON)
        try:
            changed = write_record(comments_dir, record, overwrite=comment.state == "rejected")
        except (FileExistsError, RecordError) as error:
            result.problems.append(str(error))
            logger.error("Export of comment %s skipped: %s", comment.id, error)
            continue
        if changed:
            result.written.append(record_path(comments_dir, record))
        else:
            result.unchanged += 1
        if not comment.exported_at:
            store.mark_exported(comment.id, now)
    return result


def retry_mail(sender, now):
    """Queue every email that failed again, make every one waiting for a retry due now, and
    send them with ``sender`` (a MailSender, not started): its DeliveryReport. Emails to an
    address that had its emails for now still wait (outbox.py)."""
    sender.store.requeue_mail(now)
    return sender.deliver_due()


def _one_line(text):
    return " ".join(text.split())
