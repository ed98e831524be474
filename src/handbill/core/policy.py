"""Who may comment where: the policy decisions, pure (no Pelican, no I/O).

Per post, ``comments_state`` combines the site's policy, the post's
``Comments:`` override and the automatic closing date. Per record,
``hold_reason`` says why a record must not be published, or None, worded for
the site owner (the build logs it, the importer writes it as Held-Reason).
The build, the comment service and the importer all decide through these
functions.

Precedence for a post: ``Comments: hidden`` shows nothing; ``Comments:
closed`` closes it; ``Comments: open`` opens it even when the site's policy is
``closed`` (then identified commenters only); without an override the site's
policy applies. Any post that is open closes ``close_after_days`` after its
date. Closing keeps the published comments on show; only hiding removes them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

MODES = ("open", "closed", "hidden")


@dataclass(frozen=True)
class CommentsState:
    mode: str  # open | closed | hidden
    policy: str  # the policy records on this post are judged by: identified | anyone
    closes_at: datetime | None  # when an open post stops taking comments


def parse_override(value):
    """The post's ``Comments:`` metadata as a mode, None when absent; ValueError if unknown."""
    if value is None or str(value).strip() == "":
        return None
    mode = str(value).strip().lower()
    if mode not in MODES:
        raise ValueError(f"Comments: {value!r} is not one of {', '.join(MODES)}")
    return mode


def comments_state(settings, post_date, override, now):
    """The CommentsState of a post dated ``post_date`` at time ``now``."""
    policy = "identified" if settings.policy == "closed" else settings.policy
    mode = override or ("closed" if settings.policy == "closed" else "open")
    closes_at = None
    if settings.close_after_days is not None and mode != "hidden":
        closes_at = post_date + timedelta(days=settings.close_after_days)
    if mode == "open" and closes_at is not None and now >= closes_at:
        mode = "closed"
    return CommentsState(mode=mode, policy=policy, closes_at=closes_at)


@dataclass(frozen=True)
class NameVerdict:
    """What the policy asks of a commenter's name, whatever else the record says."""

    reads_as_owner: bool  # it reads as one of the site owner's names
    issue: str | None  # why it is not a real full name, worded for the owner; None if it is one


# identity is imported where a name is judged, not with this module: it loads Unicode's
# confusables data (6 MB, about 60 ms), and a build takes the verdicts of names it has judged
# before from its cache (handbill_comments' kept name verdicts).


def judge_name(name, owner_names):
    """The NameVerdict of ``name`` on a site whose owner signs as ``owner_names`` (None: no names)."""
    from .identity import name_issue

    issue = name_issue(name)
    return NameVerdict(is_owner_name(name, owner_names), issue.for_owner if issue else None)


def hold_reason(record, settings, state, judged_name=judge_name):
    """Why ``record`` may not be published on a post in ``state``, or None.

    A record held in its file stays held. The site owner's replies are
    trusted; nobody else may sign with the owner's name (``settings.owner_names``,
    compared as names that read alike); everyone is judged by the post's policy
    and closing date. ``judged_name(name, owner_names)`` gives the name's
    NameVerdict (``judge_name``, or a verdict kept from an earlier judgement).
    """
    if record.status == "held":
        return record.held_reason or "held by the site owner"
    if record.identity == "site-owner":
        return None
    verdict = judged_name(record.author, settings.owner_names)
    if verdict.reads_as_owner:
        return f"name {record.author!r} is the site owner's, reserved for the owner's own comments"
    if state.policy == "identified":
        if record.identity == "imported" and not settings.imported_count_as_identified:
            return "imported comments do not count as identified (imported_count_as_identified is off)"
        if verdict.issue:
            return f"name {record.author!r} is not a real full name: {verdict.issue}"
    if state.closes_at is not None and record.date > state.closes_at:
        return f"arrived after comments closed on {state.closes_at.isoformat()}"
    return None


def is_owner_name(name, owner_names):
    """Whether ``name`` reads as one of ``owner_names`` (None: there are none)."""
    from .identity import names_read_alike

    return any(names_read_alike(name, owner) for owner in owner_names or ())
