"""Which posts get a handout, on what paper, and the addresses printed on it.

Pure functions: no Pelican, no I/O, so the rules are tested directly.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PAGE_SIZES = {"a4": "A4", "letter": "Letter"}
PAGE_DIMENSIONS_MM = {"A4": (210, 297), "Letter": (215.9, 279.4)}

_YES = {"yes", "true", "on", "1"}
_NO = {"no", "false", "off", "0"}


class SelectionError(ValueError):
    """A post's handout metadata cannot be understood."""


def parse_handout_flag(value):
    """``Handout:`` metadata → True, False, or None when the post says nothing."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise SelectionError(f"Handout: {value!r} is not yes or no")


def is_selected(flag, status, *, tags, category, select_tags, select_categories):
    """Does a post get a handout?

    Drafts never do. An explicit ``Handout: yes/no`` wins; otherwise the post
    is selected when one of its tags or its category is listed in the settings
    (names compared without regard to case).
    """
    if status == "draft":
        return False
    if flag is not None:
        return flag
    wanted_tags = {name.casefold() for name in select_tags}
    wanted_categories = {name.casefold() for name in select_categories}
    return any(tag.casefold() in wanted_tags for tag in tags) or (
        category is not None and category.casefold() in wanted_categories
    )


def parse_page_size(value):
    """``"a4"``, ``"Letter"`` … → the canonical name used in CSS; ValueError otherwise."""
    canonical = PAGE_SIZES.get(str(value).strip().lower())
    if canonical is None:
        choices = " or ".join(PAGE_SIZES.values())
        raise ValueError(f"unknown page size {value!r} (use {choices})")
    return canonical


def absolute_post_url(site_url, post_url):
    """The address of a post online, from the site's absolute address and the post's URL."""
    return f"{site_url.rstrip('/')}/{post_url.lstrip('/')}"


def readable_address(url):
    """A URL as a person would type it: no scheme, no query."""
    parts = urlsplit(url)
    return parts.netloc + parts.path


def with_campaign(url, campaign):
    """The post's address tagged for an event, so the owner's analytics show
    which event brought a reader; without a campaign the address is unchanged."""
    if not campaign:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query += [("utm_source", "handout"), ("utm_campaign", campaign)]
    return urlunsplit(parts._replace(query=urlencode(query)))


def handed_out_line(event_name, date_text):
    """What every page of an event edition says about where it was handed out."""
    if not date_text:
        return f"Handed out at {event_name}"
    return f"Handed out at {event_name}, {date_text}"


def size_text(size_in_bytes):
    """A file size as a reader sees it on the index page: ``"84 KB"``, ``"1.2 MB"``."""
    if size_in_bytes < 1000:
        return f"{size_in_bytes} bytes"
    if size_in_bytes < 1_000_000:
        return f"{round(size_in_bytes / 1000)} KB"
    return f"{size_in_bytes / 1_000_000:.1f} MB"


def preview_height(page_size, width):
    """Height in pixels of a first-page preview ``width`` pixels wide."""
    page_width, page_height = PAGE_DIMENSIONS_MM[page_size]
    return round(width * page_height / page_width)


def pages_text(pages):
    return f"{pages} page" if pages == 1 else f"{pages} pages"
