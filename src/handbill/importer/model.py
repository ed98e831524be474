"""What an export holds, as the readers (wordpress.py, blogger.py) hand it on.

Bodies stay HTML here; staging.py converts them to Markdown. Email addresses
are kept in memory only, to recognise the blog owner and to remove them from
anything that is written; they never reach ``content/``.
"""

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ImportedComment:
    source_id: str  # platform and the comment's id there, e.g. "wordpress:41"
    author: str
    date: datetime  # aware
    body_html: str
    email: str = ""
    website: str = ""
    parent_source_id: str = ""  # the comment this one replies to, "" for a top-level comment
    held_reason: str = ""  # why it must not be published ("" when it was published there)
    by_owner: bool = False  # written by the blog's owner (or another of its authors)


@dataclass(frozen=True)
class ImportedPost:
    source_id: str  # e.g. "wordpress:12"
    kind: str  # "article" or "page"
    title: str
    slug: str
    date: datetime  # aware
    author: str
    body_html: str
    status: str  # "published" or "draft"
    category: str = ""
    tags: tuple[str, ...] = ()
    summary_html: str = ""
    comments_open: bool = True
    old_urls: tuple[str, ...] = ()  # the post's addresses on the old site
    comments: tuple[ImportedComment, ...] = ()


@dataclass
class Export:
    platform: str  # "WordPress" or "Blogger"
    path: str
    site_url: str  # the old site's address
    posts: list[ImportedPost] = field(default_factory=list)
    # Entries that are not posts, pages or comments (attachments, menus, settings...), by kind.
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, kind):
        self.skipped[kind] = self.skipped.get(kind, 0) + 1


@dataclass(frozen=True)
class ImportedThread:
    """The comments a comment service (Disqus) kept for one page of the old site."""

    source_id: str  # e.g. "disqus:7001"
    title: str
    link: str  # the page's address as the service recorded it
    # How the blog named the page to the service: WordPress's plugin sends "<post id> <address>".
    identifiers: tuple[str, ...] = ()
    comments: tuple[ImportedComment, ...] = ()


@dataclass
class ThreadExport:
    """A comment service's export: threads of comments, to attach to posts by their addresses."""

    platform: str  # "Disqus"
    path: str
    site_url: str  # the service's address for the old site (its forum), part of every comment id
    threads: list[ImportedThread] = field(default_factory=list)
    # What could not be read, each naming the element at fault; the rest is imported.
    problems: list[str] = field(default_factory=list)
