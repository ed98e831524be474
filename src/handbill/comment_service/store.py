"""The comment store: one SQLite database in WAL mode, the only place commenters' emails are kept.

Durability: every write is one ``BEGIN IMMEDIATE`` transaction committed with
``synchronous=FULL`` before the caller answers the visitor, so a process
killed right after a success answer has already got the comment on disk. A
comment and the email it calls for (a row of the outbox, see outbox.py) are
written in the same transaction: a stored comment's email is never lost.

Waiting is bounded: a locked database is waited for about a second and a half
(SQLite's busy timeout, the transaction retried a few times) before giving up
with ``StoreBusy``; a database that is missing, corrupt, read-only or on a full
disk raises ``StoreUnavailable``. Either way nothing was written, and the
service turns both into a "try again" answer. After ``initialize`` the file is
opened read-write only (SQLite URI ``mode=rw``): a database deleted under the
running service is an error, never silently replaced by an empty one.

Each operation opens its own short connection: waitress runs requests on a
pool of threads, and SQLite connections are cheap to open next to a file.
"""

import logging
import random
import re
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from handbill.core.records import CommentRecord, redact_emails

from .commenter_mail import queue_publication_mail
from .outbox import (
    MAIL_WINDOW,
    ROUND_SIZE,
    SENDING_LEASE,
    AddressUsage,
    Email,
    QueuedMail,
    address_ready_at,
    after_failure,
    plan_round,
)

logger = logging.getLogger(__name__)
# Its own generator: the retry jitter of threads must not draw from (or disturb) the global one.
_JITTER = random.Random()

# unverified: the commenter has not opened the emailed link yet; verified: they
# have, and the comment awaits the owner; approved / rejected: the owner decided.
STATES = ("unverified", "verified", "approved", "rejected")
# How a comment's email to the commenter (verify_mail) or to the owner (owner_mail) stands:
# its outbox row's state, or "none" when the comment called for no such email.
MAIL_STATES = ("none", "queued", "sent", "failed", "cancelled")

# What save_publish_state may set (schema.sql, publish_state).
PUBLISH_STATE_COLUMNS = (
    "outcome", "last_attempt_at", "last_finished_at", "last_success_at", "error", "pending_ids", "attempts",
    "notice",
)
# The tables, in a file of its own so that it reads (and diffs) as SQL; shipped in the package.
SCHEMA = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
# Faults of the file or the disk, not of the request: the database cannot be used as it is.
_UNAVAILABLE_CODES = (
    sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB, sqlite3.SQLITE_IOERR,
    sqlite3.SQLITE_FULL, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_NOLFS,
)


class StoreBusy(Exception):
    """The database stayed locked through every retry; nothing was written."""


class StoreUnavailable(Exception):
    """The database cannot be used (missing, corrupt, unreadable, read-only, disk full);
    ``reason`` is SQLite's word for it. Nothing was written."""

    def __init__(self, path, reason):
        super().__init__(f"{path}: {reason}")
        self.reason = reason


class TokenAlreadyUsed(Exception):
    """The form token's nonce produced a comment before."""


class DuplicateId(Exception):
    """A comment with this id exists already."""


class EmailQuotaFull(Exception):
    """The comment's email address had its quota of comments confirmed already; ``oldest`` is
    the first confirmation in the window (when it leaves the window, there is room again)."""

    def __init__(self, email, oldest):
        super().__init__(email)
        self.oldest = oldest


def utc_now():
    return datetime.now(UTC).replace(microsecond=0)


def timestamp(moment):
    """The stored form of a time: ISO 8601 in UTC to the second, so text order is time order."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


@dataclass(frozen=True)
class StoredComment:
    id: str
    post: str
    reply_to: str
    author: str
    email: str
    website: str
    body: str
    identity: str
    state: str
    created_at: str
    verified_at: str | None = None
    decided_at: str | None = None
    reason: str = ""
    exported_at: str | None = None
    # Did the commenter ask for an email when a reply to this comment is published? (commenter_mail.py)
    notify_replies: bool = False
    # Read from the outbox (one of MAIL_STATES); storing a comment does not write them, and they
    # are not part of what the comment is (the sender changes them at its own pace).
    verify_mail: str = field(default="none", compare=False)
    owner_mail: str = field(default="none", compare=False)

    @property
    def created(self):
        return datetime.fromisoformat(self.created_at)

    def as_record(self):
        """The comment record the build publishes (never with the email address)."""
        return CommentRecord(
            id=self.id,
            post=self.post,
            author=self.author,
            date=self.created,
            body=self.body,
            identity=self.identity,
            website=self.website,
            reply_to=self.reply_to,
        )


@dataclass(frozen=True)
class AuditEntry:
    """A row of the audit: ``via`` is link | session | task; ``at`` as stored (ISO 8601, UTC)."""

    at: str
    actor: str
    via: str
    action: str
    comment_id: str
    detail: str


@dataclass(frozen=True)
class MailBacklog:
    queued: int
    failed: int
    oldest_queued_at: datetime | None
    earliest_due_at: datetime | None

    def summary(self, now):
        """For /health: counts, the age of the oldest queued mail (deferred ones included) and
        how long the most overdue one has waited past its time (a stuck or stalled sender)."""
        overdue = max((now - self.earliest_due_at).total_seconds(), 0) if self.earliest_due_at else 0
        return {
            "queued": self.queued,
            "failed": self.failed,
            "oldest_queued_seconds": (now - self.oldest_queued_at).total_seconds() if self.oldest_queued_at else None,
            "overdue_seconds": overdue,
        }


_STORED_COLUMNS = tuple(f.name for f in fields(StoredComment) if f.name not in ("verify_mail", "owner_mail"))
_COMMENT_SELECT = ", ".join(
    [f"c.{name}" for name in _STORED_COLUMNS]
    + [
        f"coalesce((SELECT state FROM outbox WHERE comment_id = c.id AND kind = '{kind}'), 'none')"
        for kind in ("verify", "owner")
    ]
)
_DUE = "o.state = 'queued' AND o.next_attempt_at <= ? AND (o.sending_since IS NULL OR o.sending_since < ?)"
_DUE_MAIL = f"""
    SELECT o.id, o.kind, lower(c.email), o.attempts, {_COMMENT_SELECT}
    FROM outbox o JOIN comments c ON c.id = o.comment_id
    WHERE {_DUE} ORDER BY o.queued_at, o.id LIMIT ?
"""


class Store:
    def __init__(self, path, *, busy_timeout=0.5, attempts=3):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.attempts = attempts

    def initialize(self):
        """Create the database (and its folder) if needed, in WAL mode, readable by its owner
        only, and bring one written by an earlier version up to date."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # It holds commenters' emails; SQLite gives its -wal and -shm files the same mode.
            self.path.touch(mode=0o600)
        for path in (self.path, *self._companions()):
            # One made by an earlier version may be readable by others.
            if path.exists() and path.stat().st_mode & 0o077:
                path.chmod(0o600)

        def create(connection):
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise sqlite3.OperationalError(f"{self.path}: SQLite refused WAL mode (got {mode!r})")
            connection.executescript(SCHEMA)

        self._run(create, write=False)
        self._run(lambda connection: _migrate(connection, utc_now()), write=True)
        return self

    def _companions(self):
        return [self.path.with_name(self.path.name + suffix) for suffix in ("-wal", "-shm")]

    # -- the service's writes ------------------------------------------------------

    def add_comment(self, comment, nonce=None, email_quota=None):
        """Store ``comment`` and, in the same transaction, mark its form token's ``nonce`` as used
        and, for an unverified comment, queue its verification email. Returns when that email
        may go (later than now when its address had its emails: see outbox.py), else None.

        ``email_quota`` = (most, since): refuse with EmailQuotaFull if comments from the
        comment's email were confirmed ``most`` times since ``since``. Only confirmed comments
        count, so that nobody can use up someone else's quota by writing in their name.
        """

        def add(connection):
            if email_quota is not None:
                _check_quota(connection, comment.email, email_quota)
            if nonce is not None:
                if connection.execute("SELECT 1 FROM used_tokens WHERE nonce = ?", (nonce,)).fetchone():
                    raise TokenAlreadyUsed(nonce)
                connection.execute(
                    "INSERT INTO used_tokens (nonce, used_at) VALUES (?, ?)", (nonce, comment.created_at)
                )
            if connection.execute("SELECT 1 FROM comments WHERE id = ?", (comment.id,)).fetchone():
                raise DuplicateId(comment.id)
            connection.execute(
                f"INSERT INTO comments ({', '.join(_STORED_COLUMNS)}) VALUES ({', '.join('?' * len(_STORED_COLUMNS))})",
                [getattr(comment, name) for name in _STORED_COLUMNS],
            )
            if comment.state == "approved":  # the owner's reply
                queue_publication_mail(connection, [comment.id], timestamp(comment.created))
            if comment.state != "unverified":
                return None
            now = comment.created
            ready_at = address_ready_at(_address_usage(connection, comment.email, now), now)
            _queue_mail(connection, comment.id, "verify", now, ready_at)
            return ready_at

        return self._run(add, write=True)

    def verify(self, comment_id, now, auto_approve="none", *, email_quota=None, notify_owner=False):
        """Mark an unverified comment verified, or approved when ``auto_approve`` is "all"
        (no moderation) or "known" and the same address had a comment approved before; queue
        the owner's notice of a verified comment if ``notify_owner``. ``email_quota`` as for
        add_comment. Returns the comment as it is now, or None if there is no such comment."""

        def verify(connection):
            comment = _get(connection, comment_id)
            if comment is None or comment.state != "unverified":
                return comment
            if email_quota is not None:
                _check_quota(connection, comment.email, email_quota)
            state, decided_at, reason = "verified", None, ""
            if auto_approve == "all":
                state, decided_at, reason = "approved", timestamp(now), "moderation is off"
            elif auto_approve == "known" and connection.execute(
                "SELECT 1 FROM comments WHERE email = ? COLLATE NOCASE AND state = 'approved' LIMIT 1",
                (comment.email,),
            ).fetchone():
                state, decided_at, reason = "approved", timestamp(now), "approved before from this address"
            connection.execute(
                "UPDATE comments SET state = ?, verified_at = ?, decided_at = ?, reason = ? WHERE id = ?",
                (state, timestamp(now), decided_at, reason, comment_id),
            )
            if state == "approved":
                queue_publication_mail(connection, [comment_id], timestamp(now))
            if state == "verified" and notify_owner:
                _queue_mail(connection, comment_id, "owner", now, now)
            return _get(connection, comment_id)

        return self._run(verify, write=True)

    def health(self, now):
        """Prove that the database takes a write (the heartbeat row) and read the MailBacklog."""

        def check(connection):
            connection.execute(
                "INSERT INTO heartbeat (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
                (timestamp(now),),
            )
            queued, oldest, earliest = connection.execute(
                "SELECT count(*), min(queued_at), min(next_attempt_at) FROM outbox WHERE state = 'queued'"
            ).fetchone()
            (failed,) = connection.execute("SELECT count(*) FROM outbox WHERE state = 'failed'").fetchone()
            return MailBacklog(queued, failed, _moment(oldest), _moment(earliest))

        return self._run(check, write=True)

    # -- the outbox (sender.py) ----------------------------------------------------

    def claim_mail(self, now, *, owner_notices, owner_digest=None):
        """Take the mails due at ``now`` for sending, as Emails, in one transaction: cancel
        stale ones and defer those of addresses without room (outbox.plan_round), and lease
        the rest to this sender for SENDING_LEASE, counting an attempt."""
        due = (timestamp(now), timestamp(now - SENDING_LEASE))
        # The sender is woken by every comment; most often there is nothing for it to do (an
        # address waiting for room, say), and finding that out takes no write lock from requests.
        if not self._run(lambda connection: connection.execute(f"SELECT 1 FROM outbox o WHERE {_DUE}", due).fetchone(),
                         write=False):
            return []

        def claim(connection):
            mails = [
                QueuedMail(row[0], row[1], row[2], row[3], StoredComment(*row[4:]))
                for row in connection.execute(_DUE_MAIL, (*due, ROUND_SIZE))
            ]
            usage = {
                mail.address: _address_usage(connection, mail.address, now) for mail in mails if mail.kind == "verify"
            }
            last_owner_email = None
            if owner_digest is not None and any(mail.kind == "owner" for mail in mails):
                (last,) = connection.execute(
                    "SELECT max(coalesce(sent_at, sending_since)) FROM outbox"
                    " WHERE kind = 'owner' AND batch IS NOT NULL"
                ).fetchone()
                last_owner_email = _moment(last)
            plan = plan_round(
                mails, usage, now, owner_notices=owner_notices, owner_digest=owner_digest,
                last_owner_email=last_owner_email,
            )
            connection.executemany(
                "UPDATE outbox SET state = 'cancelled', sending_since = NULL WHERE id = ?",
                [(mail_id,) for mail_id in plan.cancelled],
            )
            connection.executemany(
                "UPDATE outbox SET next_attempt_at = ? WHERE id = ?",
                [(timestamp(ready_at), mail_id) for mail_id, ready_at in plan.deferred.items()],
            )
            emails = []
            for taken in plan.emails:
                batch = secrets.token_hex(8)
                connection.executemany(
                    "UPDATE outbox SET sending_since = ?, batch = ?, attempts = attempts + 1 WHERE id = ?",
                    [(timestamp(now), batch, mail.id) for mail in taken],
                )
                emails.append(Email(batch, tuple(replace(mail, attempts=mail.attempts + 1) for mail in taken)))
            return emails

        return self._run(claim, write=True)

    def mark_sent(self, email, now):
        self._run(
            lambda connection: connection.execute(
                "UPDATE outbox SET state = 'sent', sent_at = ?, sending_since = NULL, last_error = '' WHERE batch = ?",
                (timestamp(now), email.batch),
            ),
            write=True,
        )

    def mark_failed(self, email, error, now):
        """Record a failed attempt: each mail is retried later (outbox.after_failure) or, after
        its last attempt, failed. ``error`` is kept without email addresses."""
        error = redact_emails(str(error))

        def fail(connection):
            for mail in email.mails:
                state, next_attempt_at = after_failure(mail.attempts, now)
                connection.execute(
                    "UPDATE outbox SET state = ?, next_attempt_at = ?, last_error = ?, sending_since = NULL,"
                    " batch = NULL WHERE id = ? AND batch = ?",
                    (state, timestamp(next_attempt_at), error, mail.id, email.batch),
                )

        self._run(fail, write=True)

    def requeue_mail(self, now):
        """Make every failed mail, and every queued one waiting for a retry or for its address,
        due now (``invoke comments.retry-mail``); mails being sent are left alone."""
        self._run(
            lambda connection: connection.execute(
                "UPDATE outbox SET state = 'queued', next_attempt_at = ?"
                " WHERE (state = 'failed' OR (state = 'queued' AND next_attempt_at > ?))"
                " AND (sending_since IS NULL OR sending_since < ?)",
                (timestamp(now), timestamp(now), timestamp(now - SENDING_LEASE)),
            ),
            write=True,
        )

    def next_mail_due(self):
        """When the earliest queued mail that no sender holds is due, or None."""
        return self._run(
            lambda connection: _moment(connection.execute(
                "SELECT min(next_attempt_at) FROM outbox WHERE state = 'queued' AND sending_since IS NULL"
            ).fetchone()[0]),
            write=False,
        )

    # -- the owner's decisions -----------------------------------------------------

    def decide(self, comment_id, state, now, reason="", from_states=()):
        """Set ``state`` if the comment is now in one of ``from_states``; the comment before, or None."""

        def decide(connection):
            comment = _get(connection, comment_id)
            if comment is not None and comment.state in from_states:
                connection.execute(
                    "UPDATE comments SET state = ?, decided_at = ?, reason = ? WHERE id = ?",
                    (state, timestamp(now), reason, comment_id),
                )
                if state == "approved":
                    queue_publication_mail(connection, [comment_id], timestamp(now))
            return comment

        return self._run(decide, write=True)

    def mark_exported(self, comment_id, now):
        self._run(
            lambda connection: connection.execute(
                "UPDATE comments SET exported_at = ? WHERE id = ?", (timestamp(now), comment_id)
            ),
            write=True,
        )

    # -- reads ---------------------------------------------------------------------

    def get(self, comment_id):
        return self._run(lambda connection: _get(connection, comment_id), write=False)

    def in_states(self, *states):
        """Comments in any of ``states``, oldest first."""
        marks = ", ".join("?" * len(states))
        query = f"SELECT {_COMMENT_SELECT} FROM comments c WHERE c.state IN ({marks}) ORDER BY c.created_at, c.id"
        return self._run(
            lambda connection: [StoredComment(*row) for row in connection.execute(query, states)], write=False
        )

    def ids(self):
        return self._run(
            lambda connection: {row[0] for row in connection.execute("SELECT id FROM comments")}, write=False
        )

    # -- moderating from a phone (moderator.py, moderation.py) ---------------------

    def use_owner_nonce(self, nonce, now):
        """Mark the nonce of an owner's link used; TokenAlreadyUsed if it was before."""

        def use(connection):
            if connection.execute("SELECT 1 FROM used_owner_nonces WHERE nonce = ?", (nonce,)).fetchone():
                raise TokenAlreadyUsed(nonce)
            connection.execute("INSERT INTO used_owner_nonces (nonce, used_at) VALUES (?, ?)", (nonce, timestamp(now)))

        self._run(use, write=True)

    def release_owner_nonce(self, nonce):
        """Forget that an owner's link was used (its action could not be stored)."""
        self._run(lambda connection: connection.execute("DELETE FROM used_owner_nonces WHERE nonce = ?", (nonce,)),
                  write=True)

    def owner_nonce_used(self, nonce):
        """Was this nonce of an owner's link or session used up (a link pressed, a session signed out)?"""
        return self._run(
            lambda connection: connection.execute(
                "SELECT 1 FROM used_owner_nonces WHERE nonce = ?", (nonce,)
            ).fetchone() is not None,
            write=False,
        )

    def record_audit(self, now, via, action, comment_id="", detail=""):
        self._run(
            lambda connection: _audit(connection, now, via, action, comment_id=comment_id, detail=detail), write=True
        )

    def recent_audit(self, limit):
        """The latest AuditEntries, newest first."""
        return self._run(
            lambda connection: [
                AuditEntry(*row) for row in connection.execute(
                    "SELECT at, actor, via, action, comment_id, detail FROM audit ORDER BY at DESC, id DESC LIMIT ?",
                    (limit,),
                )
            ],
            write=False,
        )

    def recently_decided(self, state, limit):
        """The ``limit`` comments most recently put in ``state``, newest first."""
        query = f"SELECT {_COMMENT_SELECT} FROM comments c WHERE c.state = ? ORDER BY c.decided_at DESC, c.id LIMIT ?"
        return self._run(
            lambda connection: [StoredComment(*row) for row in connection.execute(query, (state, limit))],
            write=False,
        )

    def approved_addresses(self, emails):
        """Those of ``emails`` (lower-cased) that had a comment approved."""
        emails = sorted({email.lower() for email in emails if email})
        if not emails:
            return set()
        query = (
            "SELECT DISTINCT lower(email) FROM comments WHERE state = 'approved'"
            f" AND lower(email) IN ({', '.join('?' * len(emails))})"
        )
        return self._run(lambda connection: {row[0] for row in connection.execute(query, emails)}, write=False)

    def edit_body(self, comment_id, body, now, via, detail):
        """Replace an approved comment's body, recorded in the audit in the same transaction; its
        record is written again at the next export. The comment before, or None if there is no
        approved comment ``comment_id``."""

        def edit(connection):
            comment = _get(connection, comment_id)
            if comment is None or comment.state != "approved":
                return None
            connection.execute("UPDATE comments SET body = ?, exported_at = NULL WHERE id = ?", (body, comment_id))
            _audit(connection, now, via, "edit", comment_id=comment_id, detail=detail)
            return comment

        return self._run(edit, write=True)

    def edited_since_export(self):
        """Ids of approved comments whose body was edited since their record was last written."""
        return self._run(
            lambda connection: {
                row[0] for row in connection.execute(
                    "SELECT DISTINCT c.id FROM comments c JOIN audit a ON a.comment_id = c.id"
                    " WHERE a.action = 'edit' AND c.state = 'approved' AND c.exported_at IS NULL"
                )
            },
            write=False,
        )

    # -- publishing on approval (publisher.py) ---------------------------------------

    def publish_state(self):
        """The publish_state row as a dict of its columns (their defaults before the first publish)."""

        def read(connection):
            connection.execute("INSERT OR IGNORE INTO publish_state (id) VALUES (1)")
            cursor = connection.execute("SELECT * FROM publish_state WHERE id = 1")
            return dict(zip((column[0] for column in cursor.description), cursor.fetchone(), strict=True))

        return self._run(read, write=True)

    def unexported_approved_ids(self):
        """Ids of approved comments no export has written yet (approved by another process, or
        automatically on confirmation), oldest first."""
        return self._run(
            lambda connection: [row[0] for row in connection.execute(
                "SELECT id FROM comments WHERE state = 'approved' AND exported_at IS NULL ORDER BY created_at, id"
            )],
            write=False,
        )

    def save_publish_state(self, **values):
        """Set columns of the publish_state row (PUBLISH_STATE_COLUMNS)."""
        unknown = set(values) - set(PUBLISH_STATE_COLUMNS)
        if unknown:
            raise ValueError(f"publish_state has no column {', '.join(sorted(unknown))}")
        assignments = ", ".join(f"{name} = ?" for name in values)

        def save(connection):
            connection.execute("INSERT OR IGNORE INTO publish_state (id) VALUES (1)")
            connection.execute(f"UPDATE publish_state SET {assignments} WHERE id = 1", tuple(values.values()))

        self._run(save, write=True)

    # -- emails to commenters and their data rights (commenter_mail.py, privacy.py) --

    def queue_publication_mail(self, comment_ids, now):
        """Queue the emails the approved comments among ``comment_ids`` call for (commenter_mail.py)."""
        self._run(lambda connection: queue_publication_mail(connection, comment_ids, timestamp(now)), write=True)

    def run(self, operation, *, write):
        """``operation(connection)``, in one immediate transaction if ``write``, with the store's
        bounded waits: for modules that keep their own queries (privacy.py)."""
        return self._run(operation, write)

    # -- transactions with bounded waits -------------------------------------------

    def _connect(self):
        # mode=rw: only initialize creates the file.
        uri = f"{self.path.absolute().as_uri()}?mode=rw"
        return sqlite3.connect(uri, uri=True, timeout=self.busy_timeout, isolation_level=None)

    def _run(self, operation, write):
        """Run ``operation(connection)`` (in one immediate transaction if ``write``), retrying while busy."""
        for attempt in range(1, self.attempts + 1):
            try:
                with closing(self._connect()) as connection:
                    connection.execute("PRAGMA synchronous=FULL")
                    if not write:
                        return operation(connection)
                    connection.execute("BEGIN IMMEDIATE")
                    try:
                        result = operation(connection)
                        connection.execute("COMMIT")
                    except BaseException:
                        if connection.in_transaction:
                            connection.execute("ROLLBACK")
                        raise
                    return result
            except sqlite3.DatabaseError as error:
                code = getattr(error, "sqlite_errorcode", 0) & 0xFF
                if code in _UNAVAILABLE_CODES:
                    raise StoreUnavailable(self.path, error) from error
                if code not in _BUSY_CODES:
                    raise
                logger.warning("%s is busy (%s); attempt %d of %d", self.path, error, attempt, self.attempts)
                if attempt < self.attempts:
                    time.sleep(_JITTER.uniform(0.02, 0.1))
        raise StoreBusy(f"{self.path} stayed locked after {self.attempts} attempts")


def _get(connection, comment_id):
    row = connection.execute(f"SELECT {_COMMENT_SELECT} FROM comments c WHERE c.id = ?", (comment_id,)).fetchone()
    return StoredComment(*row) if row else None


def _audit(connection, now, via, action, *, comment_id, detail):
    connection.execute(
        "INSERT INTO audit (at, actor, via, action, comment_id, detail) VALUES (?, 'owner', ?, ?, ?, ?)",
        (timestamp(now), via, action, comment_id, detail),
    )


def _moment(text):
    return datetime.fromisoformat(text) if text else None


def _check_quota(connection, email, email_quota):
    """Raise EmailQuotaFull if comments from ``email`` were confirmed ``most`` times since ``since``."""
    most, since = email_quota
    count, oldest = connection.execute(
        "SELECT count(*), min(verified_at) FROM comments WHERE email = ? COLLATE NOCASE AND verified_at > ?",
        (email, timestamp(since)),
    ).fetchone()
    if count >= most:
        raise EmailQuotaFull(email, _moment(oldest))


def _address_usage(connection, email, now):
    """The AddressUsage of ``email`` in the MAIL_WINDOW up to ``now`` (an email sent exactly
    a window ago has left it): emails are counted by batch, so that one carrying several
    comments counts once."""
    since = timestamp(now - MAIL_WINDOW)
    (confirmed,) = connection.execute(
        "SELECT count(*) FROM comments WHERE email = ? COLLATE NOCASE AND verified_at > ?", (email, since)
    ).fetchone()
    emails, oldest = connection.execute(
        "SELECT count(DISTINCT o.batch), min(coalesce(o.sent_at, o.sending_since))"
        " FROM outbox o JOIN comments c ON c.id = o.comment_id"
        " WHERE c.email = ? COLLATE NOCASE AND o.kind = 'verify' AND o.batch IS NOT NULL"
        " AND coalesce(o.sent_at, o.sending_since) > ?",
        (email, since),
    ).fetchone()
    return AddressUsage(confirmed, emails, _moment(oldest))


def _queue_mail(connection, comment_id, kind, now, due):
    connection.execute(
        "INSERT INTO outbox (comment_id, kind, state, queued_at, next_attempt_at) VALUES (?, ?, 'queued', ?, ?)",
        (comment_id, kind, timestamp(now), timestamp(due)),
    )


def _migrate(connection, now):
    """Bring a database written by an earlier version up to schema.sql (which has just run)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(comments)")}
    if "verify_mail" in columns:
        # Before the outbox, a comment kept the states of its emails ("none", "pending",
        # "sent", "failed"); those sent become sent rows, those not sent that still matter
        # are queued now, and the columns go.
        for kind, column, waiting_state, since in (
            ("verify", "verify_mail", "unverified", "created_at"),
            ("owner", "owner_mail", "verified", "coalesce(verified_at, created_at)"),
        ):
            connection.execute(
                "INSERT INTO outbox (comment_id, kind, state, queued_at, next_attempt_at, sent_at)"
                f" SELECT id, ?, CASE {column} WHEN 'sent' THEN 'sent' ELSE 'queued' END, {since}, ?,"
                f" CASE {column} WHEN 'sent' THEN {since} END FROM comments"
                f" WHERE {column} = 'sent' OR ({column} IN ('pending', 'failed') AND state = ?)",
                (kind, timestamp(now), waiting_state),
            )
            connection.execute(f"ALTER TABLE comments DROP COLUMN {column}")
    _migrate_commenter_mail(connection)


def _migrate_commenter_mail(connection):
    """Emails to commenters (commenter_mail.py): each comment says whether its author wants
    replies, and the outbox takes their kinds. A CHECK cannot be altered, so an outbox made
    before is copied into one made by schema.sql."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(comments)")}
    if "notify_replies" not in columns:
        connection.execute("ALTER TABLE comments ADD COLUMN notify_replies INTEGER NOT NULL DEFAULT 0")
    (outbox_sql,) = connection.execute("SELECT sql FROM sqlite_master WHERE name = 'outbox'").fetchone()
    if "'reply'" in outbox_sql:
        return
    create = re.search(r"CREATE TABLE IF NOT EXISTS outbox \(.*?\n\);", SCHEMA, re.DOTALL).group(0)
    index = re.search(r"CREATE INDEX IF NOT EXISTS outbox_due [^;]*;", SCHEMA).group(0)
    connection.execute("ALTER TABLE outbox RENAME TO outbox_before_commenter_mail")
    connection.execute(create)
    connection.execute("INSERT INTO outbox SELECT * FROM outbox_before_commenter_mail")
    connection.execute("DROP TABLE outbox_before_commenter_mail")
    connection.execute(index)
