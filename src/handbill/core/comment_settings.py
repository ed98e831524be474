"""The ``COMMENTS`` setting, read once, with documented defaults (see README.md).

The comment service imports ``load_comment_settings`` too, so both sides of
the site apply the same policy.
"""

import re
from dataclasses import dataclass, fields, replace

POLICIES = ("identified", "anyone", "closed")

_MODERATION_NOTE = " Comments appear once the site owner has approved them."
DEFAULT_NOTICES = {
    "identified": (
        "Comments are open to people who give their real full name and confirm their "
        "email address, which is never published. Handles and screen names count as "
        "pseudonyms, so comments under them are not published."
    ),
    "anyone": "Anyone may comment. Your email address is never published.",
}
CLOSED_NOTICE = "Comments are closed."


@dataclass(frozen=True)
class CommentSettings:
    policy: str = "identified"
    moderation: bool = True
    close_after_days: int | None = None
    notice: str | None = None
    imported_count_as_identified: bool = True
    service_url: str = ""
    contact_email: str = ""
    path: str = "comments"

    def notice_for(self, policy):
        """The notice shown above the form of a post judged by ``policy`` (identified | anyone)."""
        if self.notice is not None:
            return self.notice
        return DEFAULT_NOTICES[policy] + (_MODERATION_NOTE if self.moderation else "")


class CommentSettingsError(ValueError):
    """COMMENTS has bad values; ``settings`` keeps the good ones and defaults the rest."""

    def __init__(self, problems, settings):
        self.problems = list(problems)
        self.settings = settings
        super().__init__("; ".join(self.problems))


_DEFAULTS = CommentSettings()
_URL = re.compile(r"https?://[^\s/?#]+(?:/[^\s?#]*)?", re.I)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def _check(key, value):
    """A problem with ``COMMENTS[key]``, or None."""
    if key == "policy" and value not in POLICIES:
        return f"must be one of {', '.join(POLICIES)}, not {value!r}"
    if key in ("moderation", "imported_count_as_identified") and not isinstance(value, bool):
        return f"must be True or False, not {value!r}"
    if key == "close_after_days" and value is not None and (
        isinstance(value, bool) or not isinstance(value, int) or value < 0
    ):
        return f"must be None or a whole number of days (0 or more), not {value!r}"
    if key == "notice" and value is not None and not isinstance(value, str):
        return f"must be None or text, not {value!r}"
    if key == "service_url" and value and not (isinstance(value, str) and _URL.fullmatch(value)):
        return f"must be an http:// or https:// address without query, not {value!r}"
    if key == "contact_email" and value and not (isinstance(value, str) and _EMAIL.fullmatch(value)):
        return f"must be an email address, not {value!r}"
    if key == "path" and not (isinstance(value, str) and value and not value.startswith("/")):
        return f"must be a folder under the content folder, not {value!r}"
    return None


def load_comment_settings(settings_dict):
    """CommentSettings from a Pelican settings dict (its ``COMMENTS`` entry).

    Raises CommentSettingsError listing every bad key, so one build reports
    them all; the error carries the settings with the good values kept.
    """
    given = settings_dict.get("COMMENTS") or {}
    if not isinstance(given, dict):
        raise CommentSettingsError([f"COMMENTS must be a dict, not {given!r}"], _DEFAULTS)
    known = {field.name for field in fields(CommentSettings)}
    problems, values = [], {}
    for key, value in given.items():
        if key not in known:
            problems.append(f'COMMENTS["{key}"] is not a setting (known: {", ".join(sorted(known))})')
            continue
        problem = _check(key, value)
        if problem:
            problems.append(f'COMMENTS["{key}"] {problem}')
            continue
        values[key] = value.rstrip("/") if key == "service_url" else value
    settings = replace(_DEFAULTS, **values)
    if problems:
        raise CommentSettingsError(problems, settings)
    return settings
