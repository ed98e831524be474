"""Comment records: one human-readable, diff-friendly file per comment.

``content/comments/<post-slug>/<comment-id>.md`` holds Pelican-style
``Key: value`` metadata lines, a blank line, then the Markdown body::

    Id: c-20240305-1422-7f3a
    Post: first-coffee
    Author: Zoë de la Cruz
    Website: https://example.org/
    Date: 2024-03-05T14:22:00+00:00
    Reply-To: c-20240304-0910-1b2c
    Identity: email-verified
    Status: published

    Thanks, this helped.

The comments plugin, the comment service and the importer all read and write
records through this module, so its checks are the contract: a record that
breaks them is rejected with a ``RecordError`` naming the file and the field.
An email address is never stored in a record (they may live in a public
repository): bodies, held reasons and sources have theirs redacted (as a
reader would see them, see redaction.py); an author or website holding one is
refused. A value can never smuggle in a second metadata line.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import redaction
from .atomic import atomic_write_text

IDENTITIES = ("email-verified", "site-owner", "imported")
STATUSES = ("published", "held")

# (file key, CommentRecord field, required) in the order records are written.
FIELDS = (
    ("Id", "id", True),
    ("Post", "post", True),
    ("Author", "author", True),
    ("Website", "website", False),
    ("Date", "date", True),
    ("Reply-To", "reply_to", False),
    ("Identity", "identity", True),
    ("Status", "status", False),
    ("Held-Reason", "held_reason", False),
    ("Source", "source", False),
)
_FIELD_BY_KEY = {key.lower(): (key, name) for key, name, _ in FIELDS}
_KEY_BY_FIELD = {name: key for key, name, _ in FIELDS}

_COMMENT_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# Pelican slugs are word characters and hyphens (explicit `Slug:` values may
# add dots); never a path separator, never a leading dot.
_POST_SLUG = re.compile(r"\w[\w.-]*")
_METADATA_LINE = re.compile(r"([A-Za-z][A-Za-z-]*)\s*:\s?(.*)")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
# Email addresses: what records never keep (redaction.py). Callers know these from here.
EMAIL_ADDRESS = redaction.EMAIL_ADDRESS
EMAIL_REMOVED = redaction.EMAIL_REMOVED
redact_emails = redaction.redact_emails
contains_email_address = redaction.contains_email_address
# The only websites a record keeps and the site links to: http(s) addresses.
WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+[^\s]*", re.I)


class RecordError(ValueError):
    """A comment record that cannot be used; the message names the file and field."""

    def __init__(self, path, reason):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


@dataclass(frozen=True)
class CommentRecord:
    id: str
    post: str
    author: str
    date: datetime
    body: str
    identity: str
    status: str = "published"
    website: str = ""
    reply_to: str = ""
    held_reason: str = ""
    source: str = ""

    def __post_init__(self):
        # Records may live in a public repository, so a body never keeps an
        # email address, whoever wrote it (service export, import, by hand).
        # Bodies are stored without surrounding blank lines or trailing spaces,
        # so that format_record and parse_record round-trip exactly.
        object.__setattr__(self, "body", _normalize_body(redact_emails(self.body)))
        # A held reason or source is the site's own note: it is cleaned, never
        # refused, so that holding a comment (a rejection, say) always takes effect.
        for name in ("held_reason", "source"):
            object.__setattr__(self, name, _clean_note(getattr(self, name)))

    @property
    def is_published(self):
        return self.status == "published"


def _clean_note(value):
    """``value`` on one line, without control characters or email addresses."""
    return " ".join(_CONTROL.sub(" ", redact_emails(value)).split())


def _normalize_body(body):
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def validate_record(record, path="<record>"):
    """Raise RecordError unless every field of ``record`` keeps the contract."""

    def fail(field, reason):
        raise RecordError(path, f"{_KEY_BY_FIELD.get(field, field)}: {reason}")

    for _, name, _required in FIELDS:
        value = getattr(record, name)
        if isinstance(value, str) and _CONTROL.search(value):
            fail(name, "must be a single line without control characters")
    if not _COMMENT_ID.fullmatch(record.id):
        fail("id", f"{record.id!r} is not an id of lowercase letters, digits and hyphens")
    if not _POST_SLUG.fullmatch(record.post):
        fail("post", f"{record.post!r} is not a post slug")
    if not record.author.strip():
        fail("author", "is empty")
    if record.website and not WEB_ADDRESS.fullmatch(record.website):
        fail("website", f"{record.website!r} is not an http:// or https:// address")
    for name in ("author", "website"):
        if contains_email_address(getattr(record, name)) or "mailto:" in getattr(record, name).lower():
            fail(name, "contains an email address, which a comment record never stores")
    if not isinstance(record.date, datetime) or record.date.tzinfo is None:
        fail("date", "must be a date and time with a UTC offset, e.g. 2024-03-05T14:22:00+00:00")
    if record.reply_to and not _COMMENT_ID.fullmatch(record.reply_to):
        fail("reply_to", f"{record.reply_to!r} is not a comment id")
    if record.reply_to == record.id:
        fail("reply_to", "a comment cannot reply to itself")
    if record.identity not in IDENTITIES:
        fail("identity", f"{record.identity!r} is not one of {', '.join(IDENTITIES)}")
    if record.status not in STATUSES:
        fail("status", f"{record.status!r} is not one of {', '.join(STATUSES)}")
    if record.held_reason and record.status != "held":
        fail("held_reason", "is only allowed when Status is held")
    if not record.body:
        fail("body", "the comment has no text")


def parse_record(text, path="<string>"):
    """The CommentRecord in ``text``; RecordError (naming ``path``) if it is broken."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    header, separator, body = text.partition("\n\n")
    if not separator:
        raise RecordError(path, "no blank line between the metadata and the comment text")
    values = {}
    for number, line in enumerate(header.split("\n"), start=1):
        match = _METADATA_LINE.fullmatch(line)
        if not match:
            raise RecordError(path, f"line {number} is not a 'Key: value' metadata line: {line!r}")
        key, value = match.group(1).lower(), match.group(2).strip()
        if key not in _FIELD_BY_KEY:
            known = ", ".join(k for k, _, _ in FIELDS)
            raise RecordError(path, f"unknown metadata key {match.group(1)!r} (known: {known})")
        display_key, name = _FIELD_BY_KEY[key]
        if name in values:
            raise RecordError(path, f"{display_key}: given twice")
        values[name] = value
    for key, name, required in FIELDS:
        if required and not values.get(name):
            raise RecordError(path, f"{key}: missing")
    try:
        values["date"] = datetime.fromisoformat(values["date"])
    except ValueError:
        raise RecordError(
            path, f"Date: {values['date']!r} is not an ISO 8601 date, e.g. 2024-03-05T14:22:00+00:00"
        ) from None
    record = CommentRecord(body=body, **values)
    validate_record(record, path)
    return record


def read_record(path):
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise RecordError(path, f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise RecordError(path, f"cannot be read ({error.strerror})") from None
    return parse_record(text, path)


def read_comment_files(comments_dir):
    """[(path, CommentRecord or RecordError)] for every ``*.md`` under ``comments_dir``.

    Records live at ``<comments_dir>/<post-slug>/<id>.md``; a Markdown file
    anywhere else there is reported, not skipped. Hidden files (the
    temporary files of an interrupted write) are ignored.
    """
    comments_dir = Path(comments_dir)
    results = []
    for path in sorted(comments_dir.rglob("*.md")):
        relative = path.relative_to(comments_dir)
        if any(part.startswith(".") for part in relative.parts):
            continue
        if len(relative.parts) != 2:
            results.append((path, RecordError(path, "not in a post folder (content/comments/<post-slug>/<id>.md)")))
            continue
        try:
            results.append((path, read_record(path)))
        except RecordError as error:
            results.append((path, error))
    return results


def format_record(record):
    """The file text of ``record`` (parse_record gives the same record back)."""
    validate_record(record)
    lines = []
    for key, name, required in FIELDS:
        value = getattr(record, name)
        if name == "date":
            value = value.isoformat()
        if required or value:
            lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n\n" + record.body + "\n"


def record_path(comments_dir, record):
    validate_record(record)
    return Path(comments_dir) / record.post / f"{record.id}.md"


def write_record(comments_dir, record, overwrite=False):
    """Write ``record`` atomically under ``comments_dir``; True if the file changed.

    Writing the same record again writes nothing and returns False, so exports
    and imports can be re-run. A different record already stored under the
    same id raises FileExistsError unless ``overwrite`` is true.
    """
    path = record_path(comments_dir, record)
    text = format_record(record)
    if path.exists():
        existing = path.read_text(encoding="utf-8")
        if existing == text:
            return False
        if not overwrite:
            raise FileExistsError(
                f"{path}: a different comment record with id {record.id!r} already exists"
            )
    atomic_write_text(path, text)
    return True


def new_comment_id(date, seed):
    """A short id that is the same for the same date and seed: ``c-20240305-1422-7f3a9c``."""
    if date.tzinfo is not None:
        date = date.astimezone(UTC)
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:6]
    return f"c-{date:%Y%m%d-%H%M}-{digest}"
