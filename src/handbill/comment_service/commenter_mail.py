"""Emails to commenters after their address is confirmed: "your comment is live" and replies.

Only a confirmed address (``verified_at`` set) is ever written to, and only with what it
asked for:

- ``live``: when a comment is approved (the store queues it in the transaction that approves
  it, ``queue_publication_mail``), its author gets the link to it. ``queue_live_notices`` queues
  them for given comments, for a caller that publishes later (queueing twice queues once).
- ``reply``: when a reply is approved (the owner's own replies too), the author of the comment
  it answers gets it, if they ticked "Email me when someone replies" (``notify_replies``).

Each such email carries a one-click unsubscribe link (RFC 8058: ``List-Unsubscribe`` and
``List-Unsubscribe-Post`` headers, the link also in the text) and a link to delete the
comment. Both links are signed, each kind with its own salt, and carry the comment id only:
the address never appears in a URL. An address that opted out (``mail_optouts``: from the
replies to one comment, or from everything) gets nothing more; opting out cancels what was
queued for it in the same transaction.
"""

import textwrap
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

from .mailer import _quoted, plain_message
from .manifest import ManifestError

UNSUBSCRIBE_SALT = "handbill.comment-unsubscribe"
DELETE_SALT = "handbill.comment-delete"
# The outbox kinds written here (outbox.py sends them one per email).
COMMENTER_KINDS = ("live", "reply")
# What an unsubscribe link stops: email about replies to its comment, or all email to the address.
SCOPES = ("replies", "all")
ONE_CLICK = "List-Unsubscribe=One-Click"

_OPTED_OUT = "EXISTS (SELECT 1 FROM mail_optouts o WHERE o.email = lower({who}.email) AND o.comment_id IN ({ids}))"
# A comment approved, from a confirmed address that did not opt out of everything.
_LIVE_SQL = f"""
    INSERT OR IGNORE INTO outbox (comment_id, kind, state, queued_at, next_attempt_at)
    SELECT c.id, 'live', 'queued', ?, ? FROM comments c
    WHERE c.id IN ({{marks}}) AND c.state = 'approved' AND c.email != '' AND c.verified_at IS NOT NULL
    AND NOT {_OPTED_OUT.format(who="c", ids="''")}
"""
# An approved reply to a comment whose confirmed author asked for replies (and is not its author).
_REPLY_SQL = f"""
    INSERT OR IGNORE INTO outbox (comment_id, kind, state, queued_at, next_attempt_at)
    SELECT r.id, 'reply', 'queued', ?, ? FROM comments r JOIN comments p ON p.id = r.reply_to
    WHERE r.id IN ({{marks}}) AND r.state = 'approved' AND p.notify_replies
    AND p.email != '' AND p.verified_at IS NOT NULL AND lower(p.email) != lower(r.email)
    AND NOT {_OPTED_OUT.format(who="p", ids="'', p.id")}
"""


def queue_publication_mail(connection, comment_ids, now_text):
    """Queue, in the caller's transaction, the live notices and reply notifications that the
    approved comments among ``comment_ids`` call for (``now_text``: a store timestamp)."""
    marks = ", ".join("?" * len(comment_ids))
    for query in (_LIVE_SQL, _REPLY_SQL):
        connection.execute(query.format(marks=marks), (now_text, now_text, *comment_ids))


def queue_live_notices(store, comment_ids, now):
    """Queue the emails of ``comment_ids`` now live (those approved; each comment's once ever)."""
    store.queue_publication_mail(list(comment_ids), now)


def opt_out(connection, comment, scope, now_text):
    """Record, in the caller's transaction, that ``comment``'s address wants no more email about
    replies to it (scope "replies") or at all ("all"), and cancel what was queued that it covers."""
    address = comment.email.lower()
    connection.execute(
        "INSERT OR IGNORE INTO mail_optouts (email, comment_id, at) VALUES (?, ?, ?)",
        (address, comment.id if scope == "replies" else "", now_text),
    )
    replies = "r.reply_to = ?" if scope == "replies" else "lower(p.email) = ?"
    connection.execute(
        "UPDATE outbox SET state = 'cancelled' WHERE state = 'queued' AND sending_since IS NULL AND ("
        f" (kind = 'reply' AND comment_id IN (SELECT r.id FROM comments r JOIN comments p ON p.id = r.reply_to"
        f" WHERE {replies}))"
        " OR (kind = 'live' AND ? = 'all' AND comment_id IN (SELECT id FROM comments WHERE lower(email) = ?)))",
        (comment.id if scope == "replies" else address, scope, address),
    )


class CommenterLinks:
    """The signed links of a commenter's emails: unsubscribe (with its scope) and delete."""

    def __init__(self, secret_key, public_url):
        self._unsubscribe = URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)
        self._delete = URLSafeSerializer(secret_key, salt=DELETE_SALT)
        self.public_url = public_url

    def unsubscribe_link(self, comment_id, scope):
        return f"{self.public_url}/unsubscribe/{self._unsubscribe.dumps({'c': comment_id, 's': scope})}"

    def delete_link(self, comment_id):
        return f"{self.public_url}/delete/{self._delete.dumps({'c': comment_id})}"

    def check_unsubscribe(self, token):
        """(comment id, scope) of an unsubscribe link's token, or None if it was not signed here."""
        try:
            payload = self._unsubscribe.loads(token)
            comment_id, scope = str(payload["c"]), payload["s"]
        except (BadSignature, KeyError, TypeError):
            return None
        return (comment_id, scope) if scope in SCOPES else None

    def check_delete(self, token):
        """The comment id of a delete link's token, or None if it was not signed here."""
        try:
            return str(self._delete.loads(token)["c"])
        except (BadSignature, KeyError, TypeError):
            return None


@dataclass(frozen=True)
class CommenterMail:
    """Writes the ``live`` and ``reply`` emails (Notifier.message hands them over)."""

    config: object  # ServiceConfig
    store: object
    links: CommenterLinks
    manifest_file: object

    def message(self, email):
        (mail,) = email.mails
        comment = mail.comment
        title, url = self._post(comment.post)
        link = f"{url}#comment-{comment.id}" if url else ""
        site_name = self.config.site_name or "the site"
        if email.kind == "live":
            recipient, about, scope = comment, comment, "all"
            subject = f"Your comment on {title} is live"
            text = (
                f"Hello {comment.author},\n\nyour comment on \"{title}\" is now published on {site_name}:\n\n"
                f"{link}\n\nYour comment:\n\n{_quoted(comment.body)}\n"
            )
        else:
            recipient = about = self.store.get(comment.reply_to)
            if recipient is None:
                raise LookupError(f"comment {comment.reply_to}, which {comment.id} answers, no longer exists")
            scope = "replies"
            subject = f"{comment.author} replied to your comment on {title}"
            text = (
                f"Hello {recipient.author},\n\n{comment.author} replied to your comment on \"{title}\" "
                f"on {site_name}:\n\n{_quoted(comment.body)}\n\nRead it on the site:\n\n{link}\n"
            )
        unsubscribe = self.links.unsubscribe_link(about.id, scope)
        what = "replies to this comment" if scope == "replies" else f"from {site_name}"
        text += textwrap.dedent(
            f"""
            You get this email because you confirmed this address when you commented.
            To get no more emails {what}, open:
            {unsubscribe}

            To delete your comment from the site, open:
            {self.links.delete_link(about.id)}
            """
        )
        message = plain_message(self.config.require_smtp().sender, recipient.email, subject, text)
        message["List-Unsubscribe"] = f"<{unsubscribe}>"
        message["List-Unsubscribe-Post"] = ONE_CLICK
        return message

    def _post(self, slug):
        try:
            manifest = self.manifest_file.load()
        except ManifestError:
            return slug, ""
        post = manifest.posts.get(slug)
        return (post.title, manifest.post_url(post, self.config.site_url)) if post else (slug, "")


def unsubscribe(store, comment_id, scope, now):
    """Opt the address of comment ``comment_id`` out (``scope``: SCOPES); the comment, or None
    if it no longer exists. Doing it again changes nothing."""
    from .store import timestamp  # the store imports this module

    comment = store.get(comment_id)
    if comment is not None and comment.email:
        store.run(lambda connection: opt_out(connection, comment, scope, timestamp(now)), write=True)
    return comment
