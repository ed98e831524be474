"""The ``COMMENTS`` setting, read once, with documented defaults (see
plugins/handbill_comments/README.md, whose table is generated from this class).

The comment service imports ``load_comment_settings`` too, so both sides of
the site apply the same policy.
"""

from dataclasses import dataclass, replace

from handbill.core.settings import SettingsError, collect_settings, matches, one_of, setting

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

_URL = r"https?://[^\s/?#]+(?:/[^\s?#]*)?"
_EMAIL = r"[^\s@]+@[^\s@]+\.[^\s@]+"


def _folder_under_content(value):
    if not value or value.startswith("/"):
        return f"must be a folder under the content folder, not {value!r}"
    return None


# Scheme and host compare case-insensitively, so "HTTPS://…" is an address too.
_url = matches(f"(?i:{_URL})", "an http:// or https:// address without query", allow_empty=True)


@dataclass(frozen=True)
class CommentSettings:
    policy: str = setting(
        "identified",
        "Who may comment: `identified` (a real full name and a confirmed email address), `anyone` "
        "(any name), `closed` (no one; posts with `Comments: open` are still open, to identified people).",
        one_of(*POLICIES),
        example="anyone",
    )
    moderation: bool = setting(
        True,
        "New comments wait for the owner: the comment service stores them `held` (\"awaiting "
        "moderation\") until you set `Status: published`. With `False` the service publishes what "
        "passes the policy. The build always honours `Status: held`.",
        example=False,
    )
    close_after_days: int | None = setting(
        None,
        "Close comments this many days after a post's date (at build time; the service enforces the "
        "exact moment from the manifest). Later comments are held, except the site owner's. `None` "
        "never closes.",
        lambda days: None if days >= 0 else f"must be None or a whole number of days (0 or more), not {days!r}",
        expect="None or a whole number of days (0 or more)",
        example=90,
    )
    notice: str | None = setting(
        None,
        "Text shown above the form. `None` gives the policy's default (see below).",
        example="Be kind; I read every comment.",
    )
    imported_count_as_identified: bool = setting(
        True,
        "Whether `Identity: imported` comments count as identified under the `identified` policy.",
        example=False,
    )
    service_url: str = setting(
        "",
        "The comment service, e.g. `\"https://comments.example.com\"`. When set, open posts show a "
        "form that posts to `<service_url>/comments`. When empty, they offer an email link instead.",
        _url,
        expect="an http:// or https:// address without query",
        example="https://comments.example.com",
    )
    contact_email: str = setting(
        "",
        "Your address, for the email link when there is no service (subject `Comment on "
        "<post-slug>`). It is the only address the comments plugin writes to the site (handouts "
        "print `BRAND[\"email\"]`, your own choice).",
        matches(_EMAIL, "an email address", allow_empty=True),
        expect="an email address",
        example="dana@example.com",
    )
    owner_names: tuple[str, ...] | None = setting(
        None,
        "Names only your own comments (`Identity: site-owner`) may carry: anyone else's comment under "
        "one is held, and the service refuses it. Names that read alike count as the same (case, "
        "spacing, accents, styled and look-alike letters aside). `None`: Pelican's `AUTHOR`.",
        shown="`AUTHOR`",
        example=["Dana Whitfield", "Dana W."],
    )
    path: str = setting(
        "comments",
        "The records' folder, under the content folder.",
        _folder_under_content,
        expect="a folder under the content folder",
        example="discussion",
    )

    def notice_for(self, policy):
        """The notice shown above the form of a post judged by ``policy`` (identified | anyone)."""
        if self.notice is not None:
            return self.notice
        return DEFAULT_NOTICES[policy] + (_MODERATION_NOTE if self.moderation else "")


class CommentSettingsError(SettingsError):
    """COMMENTS has bad values; ``settings`` keeps the good ones and defaults the rest."""


def load_comment_settings(settings_dict):
    """CommentSettings from a Pelican settings dict (its ``COMMENTS`` entry, and
    ``AUTHOR`` for the owner's name unless ``COMMENTS["owner_names"]`` gives them).

    Raises CommentSettingsError listing every bad key, so one build reports
    them all; the error carries the settings with the good values kept.
    """
    settings, problems = collect_settings(CommentSettings, settings_dict.get("COMMENTS"), "COMMENTS")
    owner_names = settings.owner_names
    if owner_names is None and settings_dict.get("AUTHOR"):
        owner_names = (str(settings_dict["AUTHOR"]),)
    settings = replace(settings, service_url=settings.service_url.rstrip("/"), owner_names=owner_names)
    if problems:
        raise CommentSettingsError(problems, settings)
    return settings
