"""The comment store: one SQLite database in WAL mode, the only place commenters' emails are kept.

Durability: every write is one ``BEGIN IMMEDIATE`` transaction committed with
``synchronous=FULL`` before the caller answers the visitor, so a process
killed right after a success answer has already got the comment on disk. A
locked or busy database is waited for (SQLite's busy timeout) and the whole
transaction retried a few times before giving up with ``StoreBusy``, which
the service turns into a "try again" answer with nothing stored.

Each operation opens its own short connection: waitress runs requests on a
pool of threads, and SQLite connections are cheap to open next to a file.
"""

import logging
import random
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from handbill.core.records import CommentRecord

logger = logging.getLogger(__name__)

# unverified: the commenter has not opened the emailed link yet; verified: they
# have, and the comment awaits the owner; approved / rejected: the owner decided.
STATES = ("unverified", "verified", "approved", "rejected")
# How the email to the commenter (verify_mail) or to the owner (owner_mail) went.
MAIL_STATES = ("none", "pending", "sent", "failed")

# The tables, in a file of its own so that it reads (and diffs) as SQL; shipped in the package.
SCHEMA = resources.files(__package__).joinpath("schema.sql").read_text(encoding="utf-8")
_BUSY_CODES = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class StoreBusy(Exception):
    """The database stayed locked through every retry; nothing was written."""


class TokenAlreadyUsed(Exception):
    """The form token's nonce produced a comment before."""


class DuplicateId(Exception):
    """A comment with this id exists already."""


class EmailQuotaFull(Exception):
    """The comment's email address sent its quota of comments already; ``oldest`` is the first
    of them in the window (when it leaves the window, there is room again)."""

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
    verify_mail: str = "none"
    owner_mail: str = "none"
    exported_at: str | None = None

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


_COLUMNS = tuple(f.name for f in fields(StoredComment))


class Store:
    def __init__(self, path, *, busy_timeout=5.0, attempts=5):
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.attempts = attempts

    def initialize(self):
        """Create the database (and its folder) if needed, in WAL mode, readable by its owner only."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self.path.exists():
            # It holds commenters' emails; SQLite gives its -wal and -shm files the same mode.
            self.path.touch(mode=0o600)

        def create(connection):
            mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise sqlite3.OperationalError(f"{self.path}: SQLite refused WAL mode (got {mode!r})")
            connection.executescript(SCHEMA)

        self._run(create, write=False)
        return self

    # -- the service's writes ------------------------------------------------------

    def add_comment(self, comment, nonce=None, email_quota=None):
        """Store ``comment`` and, in the same transaction, mark its form token's ``nonce`` as used.

        ``email_quota`` = (most, since): refuse with EmailQuotaFull if the comment's email sent
        ``most`` comments since ``since`` already. Counting inside the write transaction (which
        BEGIN IMMEDIATE makes one writer at a time) is what keeps simultaneous posts from one
        address from all seeing room left.
        """

        def add(connection):
            if email_quota is not None:
                most, since = email_quota
                count, oldest = _sent_since(connection, comment.email, since)
                if count >= most:
                    raise EmailQuotaFull(comment.email, oldest)
            if nonce is not None:
                if connection.execute("SELECT 1 FROM used_tokens WHERE nonce = ?", (nonce,)).fetchone():
                    raise TokenAlreadyUsed(nonce)
                connection.execute(
                    "INSERT INTO used_tokens (nonce, used_at) VALUES (?, ?)", (nonce, comment.created_at)
                )
            if connection.execute("SELECT 1 FROM comments WHERE id = ?", (comment.id,)).fetchone():
                raise DuplicateId(comment.id)
            connection.execute(
                f"INSERT INTO comments ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                [getattr(comment, name) for name in _COLUMNS],
            )

        self._run(add, write=True)

    def verify(self, comment_id, now, auto_approve="none"):
        """Mark an unverified comment verified, or approved when ``auto_approve`` is "all"
        (no moderation) or "known" and the same address had a comment approved before.
        Returns the comment as it is now, or None if there is no such comment."""

        def verify(connection):
            comment = _get(connection, comment_id)
            if comment is None or comment.state != "unverified":
                return comment
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
            return _get(connection, comment_id)

        return self._run(verify, write=True)

    def set_mail_state(self, comment_id, *, verify_mail=None, owner_mail=None):
        updates = {"verify_mail": verify_mail, "owner_mail": owner_mail}
        updates = {column: value for column, value in updates.items() if value is not None}
        for value in updates.values():
            if value not in MAIL_STATES:
                raise ValueError(f"mail state {value!r} is not one of {MAIL_STATES}")
        assignments = ", ".join(f"{column} = ?" for column in updates)
        self._run(
            lambda connection: connection.execute(
                f"UPDATE comments SET {assignments} WHERE id = ?", [*updates.values(), comment_id]
            ),
            write=True,
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
        return self._select(f"WHERE state IN ({marks}) ORDER BY created_at, id", states)

    def mail_due(self, before):
        """Comments whose email to the commenter or the owner failed, or was left pending
        (the process stopped before sending) since before ``before``."""
        cutoff = timestamp(before)
        return self._select(
            "WHERE (state = 'unverified' AND (verify_mail = 'failed' OR (verify_mail = 'pending' AND created_at < ?)))"
            " OR (state = 'verified' AND (owner_mail = 'failed' OR (owner_mail = 'pending' AND verified_at < ?)))"
            " ORDER BY created_at, id",
            (cutoff, cutoff),
        )

    def ids(self):
        return self._run(
            lambda connection: {row[0] for row in connection.execute("SELECT id FROM comments")}, write=False
        )

    def _select(self, where, parameters):
        query = f"SELECT {', '.join(_COLUMNS)} FROM comments {where}"
        return self._run(
            lambda connection: [StoredComment(*row) for row in connection.execute(query, parameters)],
            write=False,
        )

    # -- transactions with retries -------------------------------------------------

    def _connect(self):
        connection = sqlite3.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        connection.execute("PRAGMA synchronous=FULL")
        return connection

    def _run(self, operation, write):
        """Run ``operation(connection)`` (in one immediate transaction if ``write``), retrying while busy."""
        for attempt in range(1, self.attempts + 1):
            try:
                with closing(self._connect()) as connection:
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
            except sqlite3.OperationalError as error:
                if getattr(error, "sqlite_errorcode", 0) & 0xFF not in _BUSY_CODES:
                    raise
                logger.warning("%s is busy (%s); attempt %d of %d", self.path, error, attempt, self.attempts)
                if attempt < self.attempts:
                    time.sleep(random.uniform(0.05, 0.2) * attempt)
        raise StoreBusy(f"{self.path} stayed locked after {self.attempts} attempts")


def _get(connection, comment_id):
    row = connection.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM comments WHERE id = ?", (comment_id,)
    ).fetchone()
    return StoredComment(*row) if row else None


def _sent_since(connection, email, since):
    count, oldest = connection.execute(
        "SELECT count(*), min(created_at) FROM comments WHERE email = ? COLLATE NOCASE AND created_at >= ?",
        (email, timestamp(since)),
    ).fetchone()
    return count, datetime.fromisoformat(oldest) if oldest else None
