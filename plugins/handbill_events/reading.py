"""Event descriptions read by Pelican's own readers, checked into ``Event``s."""

from pathlib import Path

from pelican.contents import Page
from pelican.readers import Readers

from .model import EventError, event_from_metadata

_DATE_ERROR = "is not a valid date"  # Pelican's words when it cannot read Date:


def description_files(content_path, options):
    """The event descriptions' paths, relative to the content folder, in order of name."""
    folder = Path(content_path) / options.path.strip("/")
    if not folder.is_dir():
        return []
    return sorted(path.relative_to(content_path).as_posix() for path in folder.iterdir() if path.suffix == ".md")


def read_event(readers, content_path, source, options, known_posts=None):
    """One description → ``Event``; raises ``EventError`` naming the file and field."""
    try:
        page = readers.read_file(base_path=str(content_path), path=source, content_class=Page)
    except ValueError as error:
        field = "Date: " if _DATE_ERROR in str(error) else ""
        raise EventError([f"{source}: {field}{error}"]) from None
    except OSError as error:
        raise EventError([f"{source}: cannot be read: {error.strerror or error}"]) from None
    return event_from_metadata(
        page.metadata,
        source=source,
        slug=Path(source).stem,
        url_pattern=options.url,
        description=page.content,
        known_posts=known_posts,
    )


def read_events(settings, options, known_posts=None, readers=None):
    """``(events, problems)`` of every description: the good events, newest first,
    and one message per problem; a bad description leaves the others alone.

    ``settings`` are Pelican's; ``readers`` a generator's (else new ones), so
    that tasks outside a build read the events exactly as the build does."""
    readers = readers or Readers(settings)
    content_path = settings["PATH"]
    events, problems, seen = [], [], {}
    for source in description_files(content_path, options):
        try:
            event = read_event(readers, content_path, source, options, known_posts)
        except EventError as error:
            problems.extend(error.problems)
            continue
        if event.slug in seen:
            problems.append(f"{source}: Slug: {event.slug!r} is already the slug of {seen[event.slug]}")
            continue
        seen[event.slug] = source
        events.append(event)
    return sorted(events, key=lambda event: (event.date, event.slug), reverse=True), problems
