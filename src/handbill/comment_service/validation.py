"""Checks of one comment submission: pure functions, no I/O, no Flask.

Each check returns None when all is well or a ``Refusal`` carrying the error
code, the HTTP status, a message the visitor can act on and the form field at
fault. The codes and statuses are documented in README.md ("Refusals").
"""

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

from email_validator import EmailNotValidError, validate_email

from handbill.core.bodies import body_problem
from handbill.core.identity import name_problem

from .config import origin_of

FORM_FIELDS = ("post", "reply_to", "name", "email", "website", "body", "token", "nickname", "notify_replies")
HONEYPOT_FIELD = "nickname"
MAX_FIELD_CHARS = {
    "post": 200, "reply_to": 100, "name": 200, "email": 320, "website": 300, "token": 500, "notify_replies": 10,
}
# Checkboxes: a form sends "on" when ticked and nothing otherwise; JSON may send true or false.
CHECKBOX_FIELDS = ("notify_replies",)
_TICKED = ("on", "1", "true", "yes")
# Filled in by the form or its script, never typed: a post's slug, a comment id, a signed token.
MACHINE_FIELDS = ("post", "reply_to", "token")
# Line and paragraph separators would break a record's one-line metadata.
_CONTROL_CATEGORIES = ("Cc", "Zl", "Zp")
# Characters a reader does not see, or that rearrange the text around them: controls; formats,
# among them zero-width spaces and joiners, the bidirectional marks (U+200E, U+200F, U+061C) and
# embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069: after U+202E,
# "moc.elpmaxe" reads "example.com"); spaces and separators; surrogates, private-use and
# unassigned code points.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
# Invisible characters of other categories: fillers drawn as blanks, the combining grapheme
# joiner and the variation selectors, which draw nothing.
_INVISIBLE_OTHERS = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
# The embeddings, overrides and isolates: nothing a name needs, and they would turn the text
# shown after the name on the site around. (Names may keep the marks and joiners that
# right-to-left and Indic scripts use.)
_BIDI_FORMATTING = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# One label of a host name in ASCII (after IDNA): letters, digits and inner hyphens.
_HOST_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", re.IGNORECASE)
MAX_HOST_CHARS = 253


@dataclass(frozen=True)
class Refusal:
    code: str
    status: int
    message: str
    field: str = ""
    retry_after: int | None = None

    def as_json(self):
        return {"error": self.code, "message": self.message, "field": self.field or None}


@dataclass(frozen=True)
class Submission:
    post: str
    reply_to: str
    name: str
    email: str
    website: str
    body: str
    notify_replies: bool = False  # email me when someone replies


def malformed(message, field=""):
    return Refusal("malformed", 400, message, field)


def read_fields(data):
    """The form fields of a parsed request body (a mapping), as stripped strings, or a Refusal.

    Missing fields read as empty; the checks below name the ones that may not be.
    """
    if not isinstance(data, dict):
        return malformed("The request body must be a JSON object of the comment form's fields.")
    fields = {}
    for name in FORM_FIELDS:
        value = data.get(name, "")
        if value is None or (value is False and name in CHECKBOX_FIELDS):
            value = ""
        if value is True and name in CHECKBOX_FIELDS:
            value = "on"
        if not isinstance(value, str):
            return malformed(f"The field '{name}' must be text.", name)
        limit = MAX_FIELD_CHARS.get(name)
        if limit and len(value) > limit:
            return Refusal("field_too_long", 422, f"The field '{name}' is longer than {limit} characters.", name)
        # JSON's \ud800 escapes make lone surrogates, which no page, email or database can hold.
        if any(unicodedata.category(ch) == "Cs" for ch in value):
            return malformed(f"The field '{name}' is not valid text (it holds a lone UTF-16 surrogate).", name)
        value = value if name == "body" else value.strip()
        hidden = first_invisible(value) if name in MACHINE_FIELDS else None
        if hidden:
            return malformed(
                f"The field '{name}' holds a character that cannot be part of it ({code_point(hidden)}).", name
            )
        fields[name] = value
    if not fields["post"]:
        return malformed("The form does not say which post the comment is for (field 'post').", "post")
    return fields


def check_honeypot(fields):
    if fields[HONEYPOT_FIELD]:
        return Refusal(
            "honeypot",
            422,
            "The hidden field 'nickname' must stay empty (it is there to catch automatic spam). "
            "If your browser filled it in by itself, clear it and send the comment again.",
            HONEYPOT_FIELD,
        )
    return None


def check_origin(origin_header, referer_header, allowed_origins):
    """The request must come from one of ``allowed_origins`` (Origin, else Referer)."""
    claimed = origin_header if origin_header and origin_header != "null" else referer_header
    if not claimed:
        return Refusal(
            "foreign_origin",
            403,
            "This request did not say which site it came from (no Origin or Referer header). "
            "Send your comment from the form on the post.",
        )
    if origin_of(claimed) not in allowed_origins:
        return Refusal(
            "foreign_origin",
            403,
            "Comments are only accepted from the form on this site's own pages; this request "
            "came from another site. Open the post on the site itself and comment there.",
        )
    return None


def came_from_or_unsaid(origin_header, referer_header, expected_origin):
    """False if the request's Origin (else Referer) names another origin than ``expected_origin``.

    For requests a page of the service itself sends (its own pages set a
    Referrer-Policy that keeps the real Origin on them); unlike check_origin, a
    request that names no origin at all passes, and an opaque "null" Origin
    (a sandboxed or no-referrer page elsewhere) does not.
    """
    claimed = origin_header or referer_header
    return not claimed or origin_of(claimed) == expected_origin


def check_submission(fields, *, body_min_chars, body_max_chars, require_full_name):
    """The Submission the visitor meant, or a Refusal naming the first field at fault."""
    name = " ".join(unicodedata.normalize("NFC", fields["name"]).split())
    if not name:
        return Refusal("name_missing", 422, "Please give your full name.", "name")
    if _has_control_characters(name) or not _BIDI_FORMATTING.isdisjoint(name):
        return Refusal("name_invalid", 422, "Your name contains characters that cannot be shown.", "name")
    if require_full_name:
        problem = name_problem(name)
        if problem:
            return Refusal(
                "name_not_real",
                422,
                f"Comments here are signed with a real full name: {problem}.",
                "name",
            )

    if not fields["email"]:
        return Refusal(
            "email_missing",
            422,
            "Please give your email address: we send you a link to confirm it (it is never published).",
            "email",
        )
    try:
        email = validate_email(fields["email"], check_deliverability=False).normalized
    except EmailNotValidError as error:
        return Refusal("email_invalid", 422, f"Please check your email address: {error}", "email")

    website = fields["website"]
    if website:
        problem = website_problem(website)
        if problem:
            return Refusal("website_invalid", 422, f"Please check your website address: {problem}", "website")

    body = _normalize_body(fields["body"])
    if len(body) < body_min_chars:
        return Refusal(
            "body_too_short",
            422,
            "Please write your comment." if not body else
            f"Your comment is too short: write at least {body_min_chars} characters.",
            "body",
        )
    if len(body) > body_max_chars:
        return Refusal(
            "body_too_long",
            422,
            f"Your comment is {len(body)} characters long; the limit is {body_max_chars}. "
            "Please shorten it.",
            "body",
        )
    problem = body_problem(body)
    if problem:
        return Refusal("body_invalid", 422, f"Your comment cannot be published as it is: {problem}.", "body")
    return Submission(
        post=fields["post"],
        reply_to=fields["reply_to"],
        name=name,
        email=email,
        website=website,
        body=body,
        notify_replies=fields["notify_replies"].lower() in _TICKED,
    )


def website_problem(url):
    """None for an http(s) address a reader can follow and see for what it is, else what is wrong with it."""
    if any(ch.isspace() for ch in url):
        return "a web address has no spaces."
    hidden = first_invisible(url)
    if hidden:
        return (
            f"it holds a character that does not show ({code_point(hidden)}) and could disguise where the "
            "link leads. Type the address again by hand."
        )
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- raises ValueError for a port that is not a number
    except ValueError:
        return f"{url!r} is not a web address."
    if parts.scheme.lower() not in ("http", "https"):
        return "start it with https:// (or http://), e.g. https://example.com/"
    if parts.username is not None or parts.password is not None:
        return "a website address cannot contain a user name or password."
    return host_problem(parts.hostname or "")


def host_problem(host):
    """None for the domain name of a site (in any script), else what is wrong with it.

    The name is checked in the ASCII form browsers look it up by (IDNA): labels of letters,
    digits and inner hyphens, a top-level domain that is not a number (no IP addresses).
    """
    not_a_name = f"{host!r} is not a domain name a browser can open; check its spelling."
    try:
        ascii_host = host.encode("idna").decode("ascii")
        ascii_host.encode().decode("idna")  # an "xn--" label must be valid Punycode
    except UnicodeError:
        return not_a_name
    labels = ascii_host.removesuffix(".").split(".")
    if len(labels) < 2 or labels[-1].isdigit():
        return "give the whole address of your site, e.g. https://example.com/"
    if len(ascii_host) > MAX_HOST_CHARS or not all(_HOST_LABEL.fullmatch(label) for label in labels):
        return not_a_name
    return None


def check_post(post, state, reply_to):
    """The post (a manifest PostState, None if unknown) must be open in its CommentsState
    (see comments.policy); a reply must answer a comment published on it."""
    if post is None:
        return Refusal(
            "unknown_post",
            404,
            "There is no post on this site that takes comments under that address. "
            "It may have been renamed or removed; open it again from the site.",
            "post",
        )
    if state.mode != "open":
        return Refusal("comments_closed", 403, "Comments on this post are closed.", "post")
    if reply_to and reply_to not in post.comment_ids:
        return Refusal(
            "unknown_parent",
            422,
            "The comment you are replying to is not published on this post (it may have been "
            "removed). Send your comment without replying to it, or reload the post.",
            "reply_to",
        )
    return None


def first_invisible(text):
    """The first character of ``text`` a reader would not see (or that rearranges the text), else None."""
    return next(
        (ch for ch in text if ch in _INVISIBLE_OTHERS or unicodedata.category(ch) in _INVISIBLE_CATEGORIES), None
    )


def code_point(character):
    return f"U+{ord(character):04X}"


def _has_control_characters(text):
    return any(unicodedata.category(ch) in _CONTROL_CATEGORIES for ch in text if ch not in "\n\t")


def _normalize_body(body):
    body = unicodedata.normalize("NFC", body.replace("\r\n", "\n").replace("\r", "\n"))
    # Strip invisible control characters but keep line breaks and tabs of the visitor's text.
    body = "".join(ch for ch in body if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return body.strip()
