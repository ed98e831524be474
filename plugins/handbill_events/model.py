"""What an event is: one description in ``content/events/<slug>.md``, checked.

Pure: no Pelican, no I/O. ``reading.py`` gets the metadata from Pelican's
readers; the handouts plugin, the event pages and the print-shop tasks all
use the ``Event`` made here.
"""

import datetime as dt
import re
from dataclasses import dataclass

QR_TARGETS = ("post", "event")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class EventError(ValueError):
    """An event description that cannot be used: ``problems`` name the file and field of each."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class Event:
    slug: str  # from the file name (or `Slug:`); also the campaign of its handouts
    name: str  # `Title:`
    date: dt.date  # `Date:`
    place: str  # `Place:`
    posts: tuple[str, ...]  # `Posts:` slugs of the posts handed out there, in that order
    welcome: str  # `Welcome:` one line for the people who were there
    qr_target: str  # `QR-Target:` "post" (the default) or "event": where its handouts' QR codes lead
    url: str  # of its page, relative to the site root, e.g. "events/chamber-breakfast/"
    source: str  # the description's file, relative to the content folder, for messages
    description: str = ""  # the file's body, as HTML

    @property
    def campaign(self):
        """The ``utm_campaign`` of its handouts' QR addresses."""
        return self.slug

    def qr_page(self, post_url):
        """Where the QR code of a post's handout given here leads, relative to the
        site root: the post, or this event's page (``qr_target``). The handouts
        plugin makes it absolute and adds ``utm_source=handout&utm_campaign=<slug>``."""
        return post_url if self.qr_target == "post" else self.url


def _text(metadata, key):
    value = metadata.get(key, "")
    if isinstance(value, (list, tuple)):
        value = " ".join(str(part) for part in value)
    return str(value).strip()


def _slugs(value):
    if isinstance(value, str):
        value = value.split(",")
    return tuple(part.strip() for part in value if str(part).strip())


def _day(value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip())


def event_from_metadata(metadata, *, source, slug, url_pattern, description="", known_posts=None):
    """An ``Event`` from a description's metadata (Pelican's, keys in lower case).

    ``slug`` is the file's (``Slug:`` wins); ``url_pattern`` such as
    ``"events/{slug}/"``; ``known_posts``, when given, the slugs of the
    published posts, each listed post must be one of. Raises ``EventError``
    listing every problem as ``<source>: <Field>: …``.
    """
    problems = []

    def problem(field, message):
        problems.append(f"{source}: {field}: {message}")

    slug = _text(metadata, "slug") or slug
    if not _SLUG.fullmatch(slug):
        problem("Slug", f"must be lower-case letters, digits and dashes (the file name or Slug:), not {slug!r}")
    name = _text(metadata, "title")
    if not name:
        problem("Title", "the event's name is required")
    date = None
    if "date" not in metadata:
        problem("Date", "the event's day is required, as YYYY-MM-DD")
    else:
        try:
            date = _day(metadata["date"])
        except ValueError:
            problem("Date", f"must be a day as YYYY-MM-DD, not {metadata['date']!r}")
    posts = _slugs(metadata.get("posts", ""))
    if not posts:
        problem("Posts", "list the slugs of the posts handed out there, separated by commas")
    elif known_posts is not None:
        for post in posts:
            if post not in known_posts:
                problem("Posts", f"no published post has the slug {post!r}")
    if len(set(posts)) != len(posts):
        problem("Posts", "a post is listed twice")
    qr_target = _text(metadata, "qr-target").lower() or "post"
    if qr_target not in QR_TARGETS:
        problem("QR-Target", f"must be one of {', '.join(QR_TARGETS)}, not {qr_target!r}")
    if problems:
        raise EventError(problems)
    return Event(
        slug=slug,
        name=name,
        date=date,
        place=_text(metadata, "place"),
        posts=posts,
        welcome=_text(metadata, "welcome"),
        qr_target=qr_target,
        url=url_pattern.format(slug=slug),
        source=source,
        description=description,
    )
