"""The outbox's rules, as plain functions: when a queued email goes, and with what.

Every email the service sends is a row of the ``outbox`` table (schema.sql),
written in the same transaction as the change that calls for it; the sender
thread (sender.py) delivers them. These rules decide, per round of the sender:

- **Retries**: a failed attempt is tried again after 30 s, then twice as long
  each time up to 2 hours apart; after MAX_ATTEMPTS (about 18 hours) the
  mail is ``failed`` and waits for ``invoke comments.retry-mail``.
- **A stranger cannot mail someone repeatedly**: anyone can post a comment with
  anyone's address, so an address gets at most UNUSED_EMAILS_PER_ADDRESS more
  verification emails than it confirmed comments in MAIL_WINDOW. Further
  comments are kept, and their links wait for the next email the address may
  get, which carries all of them (up to COMMENTS_PER_EMAIL): the person the
  address belongs to can still comment and confirm.
- **The owner's digest**: when the owner asked for one (``owner_digest_hours``),
  notices of verified comments wait until that long after the last notice
  email, then go together in one email (up to COMMENTS_PER_EMAIL).
- **Nothing stale is sent**: a link for a comment that is no longer unverified,
  or a notice for one that is no longer waiting for the owner, is cancelled.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

RETRY_FIRST = timedelta(seconds=30)
RETRY_LONGEST = timedelta(hours=2)
MAX_ATTEMPTS = 16
# A sender that took a mail and then went silent (killed) for this long has let it go; longer
# than any one SMTP conversation can take.
SENDING_LEASE = timedelta(minutes=10)
UNUSED_EMAILS_PER_ADDRESS = 3
MAIL_WINDOW = timedelta(days=1)
COMMENTS_PER_EMAIL = 10
# Due mails one round takes on; the rest wait for the next round, a moment later.
ROUND_SIZE = 200


@dataclass(frozen=True)
class QueuedMail:
    """An outbox row that is due, with its comment (a store.StoredComment)."""

    id: int
    kind: str  # verify | owner | live | reply (commenter_mail.py)
    address: str  # the comment's email, lower-cased as SQLite's NOCASE compares it
    attempts: int
    comment: object


@dataclass(frozen=True)
class Email:
    """Mails a sender took to send as one email; ``batch`` names it in the outbox."""

    batch: str
    mails: tuple

    @property
    def kind(self):
        return self.mails[0].kind


@dataclass(frozen=True)
class AddressUsage:
    """What an address had in MAIL_WINDOW: comments it confirmed, and verification emails sent
    (or being sent) to it, the oldest at ``oldest_email``."""

    confirmed: int = 0
    emails: int = 0
    oldest_email: datetime | None = None


@dataclass(frozen=True)
class Plan:
    """One round: ``emails`` to send (each a tuple of the mails one email carries), mails
    ``cancelled``, and ``deferred`` mails ({id: when their address may get an email})."""

    emails: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)
    deferred: dict = field(default_factory=dict)


def retry_delay(attempts):
    """How long to wait after the ``attempts``-th failed attempt."""
    return min(RETRY_FIRST * 2 ** (max(attempts, 1) - 1), RETRY_LONGEST)


def after_failure(attempts, now):
    """(state, next_attempt_at) of a mail whose ``attempts``-th attempt just failed."""
    if attempts >= MAX_ATTEMPTS:
        return "failed", now
    return "queued", now + retry_delay(attempts)


def address_ready_at(usage, now):
    """When the next verification email to an address may go: ``now`` if it has room, else
    when the oldest email of the window leaves it (the sender looks again then)."""
    if usage.emails < UNUSED_EMAILS_PER_ADDRESS + usage.confirmed:
        return now
    return max(usage.oldest_email + MAIL_WINDOW, now)


def still_wanted(mail, owner_notices):
    if mail.kind == "verify":
        return mail.comment.state == "unverified"
    if mail.kind in ("live", "reply"):
        return mail.comment.state == "approved"
    return owner_notices and mail.comment.state == "verified"


def digest_ready_at(last_owner_email, digest, now):
    """When the owner's next digest may go: ``now`` if none went within ``digest``."""
    if last_owner_email is None:
        return now
    return max(last_owner_email + digest, now)


def plan_round(mails, usage, now, *, owner_notices, owner_digest=None, last_owner_email=None):
    """The Plan for the due ``mails`` (oldest first), given each verification address's
    AddressUsage in ``usage`` ({address: AddressUsage}); ``owner_notices``: are they on?
    ``owner_digest``: the timedelta between the owner's digests, None for a notice per comment;
    ``last_owner_email``: when the owner's last notice email went."""
    plan = Plan()
    waiting_by_address, owner_digest_notices = {}, []
    for mail in mails:
        if not still_wanted(mail, owner_notices):
            plan.cancelled.append(mail.id)
        elif mail.kind == "owner" and owner_digest is not None:
            owner_digest_notices.append(mail)
        elif mail.kind != "verify":
            plan.emails.append((mail,))
        else:
            waiting_by_address.setdefault(mail.address, []).append(mail)
    if owner_digest_notices:
        ready_at = digest_ready_at(last_owner_email, owner_digest, now)
        if ready_at > now:
            plan.deferred.update((mail.id, ready_at) for mail in owner_digest_notices)
        else:
            plan.emails.append(tuple(owner_digest_notices[:COMMENTS_PER_EMAIL]))
    for address, waiting in waiting_by_address.items():
        ready_at = address_ready_at(usage.get(address, AddressUsage()), now)
        if ready_at > now:
            plan.deferred.update((mail.id, ready_at) for mail in waiting)
        else:
            # One email per address and round: the next round counts it before sending more.
            plan.emails.append(tuple(waiting[:COMMENTS_PER_EMAIL]))
    return plan
