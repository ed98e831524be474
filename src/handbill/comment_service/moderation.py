"""The owner's side: list waiting comments, approve, reject, reply, edit, export records, resend mail.

These functions do the work of the ``invoke comments.*`` tasks (tasks.py only
parses arguments and prints), of the moderation page and of the links in the
owner's notices (views/moderate.py), so that all three decide alike. Each
returns what happened, per comment, in words the owner can act on; each
decision is written to the audit (who: the owner, via a link, the page's
session or a task), and every approval or reply ends with one call of the
moderator's PublishHook (publish_hook.py).
"""

import logging
import re
from dataclasses import dataclass, field, replace

from handbill.core.bodies import body_problem
from handbill.core.records import (
    RecordError,
    new_comment_id,
    read_record,
    record_path,
    validate_record,
    write_record,
)

from .mailer import excerpt
from .privacy import remove_records
from .publish_hook import PublishHook
from .store import StoredComment, timestamp

logger = logging.getLogger(__name__)

REJECTED_HELD_REASON = "rejected by the site owner"
# What the audit keeps of an edited comment's former body.
EDIT_DETAIL_CHARS = 200
# Addresses a reader could follow: in the text, as a Markdown link, or a bare www. name.
LINK_IN_TEXT = re.compile(r"https?://|\bwww\.|\]\(", re.IGNORECASE)
VIAS = ("link", "session", "task")


@dataclass(frozen=True)
class Moderator:
    """Who decides: the owner, ``via`` a notice's link, the page's session or a task (the
    audit's who), and the PublishHook told of what they approve."""

    via: str
    hook: object = field(default_factory=PublishHook)

    def __post_init__(self):
        if self.via not in VIAS:
            raise ValueError(f"via must be one of {VIAS}, not {self.via!r}")


# The tasks' moderator: the owner at the terminal, publishing nothing by themselves.
TASK = Moderator("task")


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


def approve(store, ids, now, by=TASK):
    """Approve verified comments (also ones rejected before); a line per id."""
    lines, approved = [], []
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
            approved.append(comment_id)
        else:
            lines.append(f"{comment_id}: changed while approving; run the command again")
    for comment_id in approved:
        store.record_audit(now, by.via, "approve", comment_id)
    _tell_publisher(by, approved)
    return lines


def reject(store, ids, reason, now, by=TASK):
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
            store.record_audit(now, by.via, "reject", comment_id, _one_line(reason))
        else:
            lines.append(f"{comment_id}: changed while rejecting; run the command again")
    return lines


def _decided(before, expected):
    """Did Store.decide change the comment, i.e. was it still as the owner saw it?"""
    return before is not None and before.state == expected.state


def _tell_publisher(by, ids):
    """Hand approved ``ids`` to the hook; its failure is the publisher's to report: the
    decisions are stored, and the owner's answer must say so."""
    if not ids:
        return
    try:
        by.hook.comments_approved(list(ids))
    except Exception:
        logger.exception("The publish hook failed for %s; the comments stay approved", ", ".join(ids))


def approve_and_reply(store, parent_id, text, *, owner_name, comments_dir, now, by=TASK):
    """Reply to a comment, approving it first if it awaits the owner (a notice's Reply link):
    answering a comment publishes it."""
    if not text.strip():
        raise ModerationError("the reply is empty")
    parent = store.get(parent_id)
    if parent is not None and parent.state == "verified":
        approve(store, [parent_id], now, by)
    return reply(store, parent_id, text, owner_name=owner_name, comments_dir=comments_dir, now=now, by=by)


def reply(store, parent_id, text, *, owner_name, comments_dir, now, by=TASK):
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
    store.record_audit(now, by.via, "reply", parent_id, comment.id)
    _tell_publisher(by, [comment.id])
    return comment


def edit(store, comment_id, text, *, body_min_chars, body_max_chars, now, by=TASK):
    """Replace the body of an approved comment (a typo) with ``text``, which must pass the checks
    a new comment's body passes, and is stored as its record will hold it (email addresses
    redacted). Recorded in the audit with the former body; the comment as it was."""
    comment = store.get(comment_id)
    if comment is None or comment.state != "approved":
        raise ModerationError(f"{comment_id}: only an approved comment of the service can be edited")
    record = replace(comment, body=text).as_record()  # normalized and redacted as published
    if not body_min_chars <= len(record.body) <= body_max_chars:
        raise ModerationError(f"the text must be {body_min_chars} to {body_max_chars} characters long")
    problem = body_problem(record.body)
    if problem is None:
        try:
            validate_record(record)
        except RecordError as error:
            problem = error.reason
    if problem:
        raise ModerationError(f"the text cannot be published: {problem}")
    if record.body == comment.body:
        raise ModerationError(f"{comment_id}: the text is unchanged")
    before = store.edit_body(comment_id, record.body, now, by.via, f"was: {excerpt(comment.body, EDIT_DETAIL_CHARS)}")
    if before is None:
        raise ModerationError(f"{comment_id}: changed while editing; try again")
    _tell_publisher(by, [comment_id])
    return before


def comment_flags(comment, *, known_address, parent_author):
    """What the owner should notice about a waiting comment, in words."""
    flags = []
    if comment.email and not known_address:
        flags.append("first comment from this address")
    if LINK_IN_TEXT.search(comment.body):
        flags.append("contains links")
    if comment.website:
        flags.append(f"gives a website: {comment.website}")
    if comment.reply_to:
        flags.append(f"reply to {parent_author or comment.reply_to}")
    return flags


def flags_of(store, comments):
    """{comment id: comment_flags} for ``comments``."""
    known = store.approved_addresses(comment.email for comment in comments)
    parents = {comment.reply_to: store.get(comment.reply_to) for comment in comments if comment.reply_to}
    return {
        comment.id: comment_flags(
            comment,
            known_address=comment.email.lower() in known,
            parent_author=parents[comment.reply_to].author if parents.get(comment.reply_to) else "",
        )
        for comment in comments
    }


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
    removed: list = field(default_factory=list)  # record files of comments their authors deleted


def decided_record(comment):
    """The record an approved or rejected comment becomes: published, or held with the reason
    it was rejected for (export writes it; the sync API hands it to another machine)."""
    record = comment.as_record()
    if comment.state == "rejected":
        record = replace(record, status="held", held_reason=_one_line(comment.reason) or REJECTED_HELD_REASON)
    return record


def export(store, comments_dir, now):
    """Write approved comments as records (and hold the records of published comments rejected
    since); re-running writes nothing new. A record edited by hand is left alone and reported."""
    result = ExportResult()
    # First, so that the records of replies to a deleted comment are re-pointed before they are compared.
    result.removed = remove_records(store, comments_dir)
    edited = store.edited_since_export()
    for comment in store.in_states("approved", "rejected"):
        if comment.state == "rejected" and not comment.exported_at:
            continue
        record = decided_record(comment)
        try:
            # A record the owner edited on the moderation page is theirs to overwrite.
            changed = write_record(comments_dir, record, overwrite=comment.state == "rejected" or comment.id in edited)
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
