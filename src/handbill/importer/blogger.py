"""Read a Blogger export: an Atom feed of posts, pages and comments.

Two generations exist and both are read:

- Google Takeout (2018 on; ``feed.atom``): entries carry ``blogger:type``
  (POST, PAGE, COMMENT), ``blogger:status`` (LIVE, DRAFT, SCHEDULED,
  SOFT_TRASHED; for comments also PENDING, SPAM, EMPTIED), ``blogger:filename``
  (the post's path), ``blogger:parent`` (a comment's post) and
  ``blogger:inReplyTo`` (the comment it answers); authors say whether they
  were ANONYMOUS.
- Settings → "Back up content" (before 2018; ``blog-*.xml``): the kind is a
  ``<category scheme="…#kind">``, drafts have ``<app:draft>yes</app:draft>``,
  a comment names its post in ``<thr:in-reply-to ref=…>`` and its parent
  comment in a ``<link rel="related">``.
"""

import html
import re
from datetime import datetime
from urllib.parse import urlsplit

from handbill.core.feeds import ATOM_NAMESPACE

from .model import Export, ImportedComment, ImportedPost
from .xmlsource import ExportError

ATOM = ATOM_NAMESPACE
BLOGGER = "{http://schemas.google.com/blogger/2018}"
APP = "{http://purl.org/atom/app#}"
THR = "{http://purl.org/syndication/thread/1.0}"
KIND_SCHEME = "http://schemas.google.com/g/2005#kind"
KIND_PREFIX = "http://schemas.google.com/blogger/2008/kind#"

POST_KINDS = {"post": "article", "page": "page"}
POST_STATUSES = {
    "LIVE": "published",
    "SCHEDULED": "published",
    "DRAFT": "draft",
    "SOFT_TRASHED": "draft",
}
COMMENT_HELD_REASONS = {
    "LIVE": "",
    "PENDING": "pending moderation on Blogger",
    "SPAM": "marked as spam on Blogger",
    "SPAM_COMMENT": "marked as spam on Blogger",
    "EMPTIED": "deleted on Blogger",
    "DELETED": "deleted on Blogger",
    "SOFT_TRASHED": "in the trash on Blogger",
}
ANONYMOUS_REASON = "anonymous: posted without a name on Blogger"
# Blogger ids look like "tag:blogger.com,1999:blog-<blog>.post-<id>".
_ENTRY_ID = re.compile(r"\.post-(\d+)$")


def is_blogger(root):
    if root.tag != ATOM + "feed":
        return False
    blog_id = (root.findtext(ATOM + "id") or "").strip()
    return blog_id.startswith("tag:blogger.com,") or root.find(f"{ATOM}entry/{BLOGGER}type") is not None


def _short_id(entry_id):
    match = _ENTRY_ID.search(entry_id.strip())
    return match.group(1) if match else entry_id.strip()


def _link(entry, rel):
    for link in entry.findall(ATOM + "link"):
        if link.get("rel") == rel and link.get("href"):
            return link.get("href")
    return ""


class _Reader:
    def __init__(self, root, path):
        self.root = root
        self.path = path
        self.takeout = root.find(f"{ATOM}entry/{BLOGGER}type") is not None

    def fail(self, reason):
        raise ExportError(self.path, reason)

    def kind(self, entry):
        if self.takeout:
            return (entry.findtext(BLOGGER + "type") or "").strip().lower()
        for category in entry.findall(ATOM + "category"):
            if category.get("scheme") == KIND_SCHEME:
                return (category.get("term") or "").removeprefix(KIND_PREFIX)
        return ""

    def date(self, entry, what):
        text = (entry.findtext(ATOM + "published") or "").strip()
        try:
            date = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{what}: <published> {text!r} is not an ISO 8601 date")
        if date.tzinfo is None:
            self.fail(f"{what}: <published> {text!r} has no UTC offset")
        return date.replace(microsecond=0)

    def read(self):
        export = Export(platform="Blogger", path=str(self.path), site_url=_link(self.root, "alternate"))
        posts, comments = [], {}
        for entry in self.root.findall(ATOM + "entry"):
            kind = self.kind(entry)
            if kind in POST_KINDS:
                posts.append(entry)
            elif kind == "comment":
                comment = self.comment(entry)
                comments.setdefault(self.commented_post(entry), []).append(comment)
            else:
                export.skip(f"{kind or 'unknown'} entries")
        for entry in posts:
            export.posts.append(
                self.post(entry, comments.pop(_short_id(entry.findtext(ATOM + "id") or ""), []))
            )
        for post_id, orphans in comments.items():
            ids = ", ".join(fields["source_id"] for _, fields in orphans)
            self.fail(f"comments {ids} belong to post {post_id}, which is not in the export")
        return export

    def owner_uris(self, entry):
        return {
            (author.findtext(ATOM + "uri") or "").strip()
            for author in (*self.root.findall(ATOM + "author"), *entry.findall(ATOM + "author"))
        } - {""}

    def post(self, entry, comments):
        entry_id = (entry.findtext(ATOM + "id") or "").strip()
        title = html.unescape((entry.findtext(ATOM + "title") or "").strip())
        what = f"entry {entry_id} ({title!r})"
        if self.takeout:
            # An unknown status is imported as a draft: kept, never published.
            status = POST_STATUSES.get((entry.findtext(BLOGGER + "status") or "LIVE").strip(), "draft")
            path = (entry.findtext(BLOGGER + "filename") or "").strip()
        else:
            draft = (entry.findtext(f"{APP}control/{APP}draft") or "").strip() == "yes"
            status = "draft" if draft else "published"
            path = urlsplit(_link(entry, "alternate")).path
        categories = [
            category.get("term", "").strip()
            for category in entry.findall(ATOM + "category")
            if category.get("scheme") != KIND_SCHEME and category.get("term", "").strip()
        ]
        author = entry.find(ATOM + "author")
        owners = self.owner_uris(entry)
        return ImportedPost(
            source_id=f"blogger:{_short_id(entry_id)}",
            kind=POST_KINDS[self.kind(entry)],
            title=title,
            # Blogger's address ends in "<slug>.html"; that slug is the one readers know.
            slug=path.rsplit("/", 1)[-1].removesuffix(".html") if path else "",
            date=self.date(entry, what),
            author=(author.findtext(ATOM + "name") or "").strip() if author is not None else "",
            body_html=entry.findtext(ATOM + "content") or "",
            status=status,
            # Blogger has labels only: the first is the category, all are tags.
            category=categories[0] if categories else "",
            tags=tuple(categories),
            old_urls=(path,) if path else (),
            comments=tuple(
                ImportedComment(**fields, by_owner=author_uri in owners)
                for author_uri, fields in comments
            ),
        )

    def commented_post(self, entry):
        if self.takeout:
            return _short_id(entry.findtext(BLOGGER + "parent") or "")
        reply_to = entry.find(THR + "in-reply-to")
        return _short_id(reply_to.get("ref", "")) if reply_to is not None else ""

    def comment(self, entry):
        entry_id = (entry.findtext(ATOM + "id") or "").strip()
        what = f"comment entry {entry_id}"
        author = entry.find(ATOM + "author")
        name = (author.findtext(ATOM + "name") or "").strip() if author is not None else ""
        uri = (author.findtext(ATOM + "uri") or "").strip() if author is not None else ""
        if self.takeout:
            status = (entry.findtext(BLOGGER + "status") or "LIVE").strip()
            held_reason = COMMENT_HELD_REASONS.get(status, f"status {status!r} on Blogger")
            if (entry.findtext(BLOGGER + "trashed") or "").strip() and not held_reason:
                held_reason = COMMENT_HELD_REASONS["SOFT_TRASHED"]
            anonymous = (
                author is not None and (author.findtext(BLOGGER + "type") or "").strip() == "ANONYMOUS"
            )
            parent = (entry.findtext(BLOGGER + "inReplyTo") or "").strip()
        else:
            held_reason = ""
            anonymous = name == "Anonymous" and not uri
            related = _link(entry, "related")
            parent = related.rstrip("/").rsplit("/", 1)[-1] if related else ""
        if anonymous and not held_reason:
            held_reason = ANONYMOUS_REASON
        # The author's profile address, and the comment's fields: whether it is
        # the owner's is known once its post (and the post's author) is read.
        return uri, {
            "source_id": f"blogger:{_short_id(entry_id)}",
            "author": "" if anonymous and name == "Anonymous" else name,
            "website": uri,
            "date": self.date(entry, what),
            "body_html": entry.findtext(ATOM + "content") or "",
            "parent_source_id": f"blogger:{_short_id(parent)}" if parent else "",
            "held_reason": held_reason,
        }


def read_blogger(root, path):
    """The Export in a parsed Blogger Atom document."""
    return _Reader(root, path).read()
