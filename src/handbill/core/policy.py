"""Who may comment where: the policy decisions, pure (no Pelican, no I/O).

Per post, ``comments_state`` combines the site's policy, the post's
``Comments:`` override and the automatic closing date. Per record,
``hold_reason`` says why a record must not be published, or None. The build
and the comment service both decide through these functions.

Precedence for a post: ``Comments: hidden`` shows nothing; ``Comments:
closed`` closes it; ``Comments: open`` opens it even when the site's policy is
``closed`` (then identified commenters only); without an override the site's
policy applies. Any post that is open closes ``close_after_days`` after its
date. Closing keeps the published comments on show; only hiding removes them.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from .identity import name_problem

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


def hold_reason(record, settings, state):
    """Why ``record`` may not be published on a post in ``state``, or None.

    A record held in its file stays held. The site owner's replies are
    trusted; everyone else is judged by the post's policy and closing date.
    """
    if record.status == "held":
        return record.held_reason or "held by the site owner"
    if record.identity == "site-owner":
        return None
    if state.policy == "identified":
        if record.identity == "imported" and not settings.imported_count_as_identified:
            return "imported comments do not count as identified (imported_count_as_identified is off)"
        problem = name_problem(record.author)
        if problem:
            return f"name {record.author!r} is not a real full name: {problem}"
    if state.closes_at is not None and record.date > state.closes_at:
        return f"arrived after comments closed on {state.closes_at.isoformat()}"
    return None
