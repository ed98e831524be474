"""Read a WordPress export (WXR 1.0 to 1.2, Tools → Export in WordPress).

An export is an RSS document whose ``<item>`` elements are posts, pages,
attachments, menu entries and so on, with ``wp:`` elements for what RSS has
no word for: the slug, the status, the dates, and the comments of each post
with their approval state and the comment each one replies to.
"""

import html
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import unquote

from .model import Export, ImportedComment, ImportedPost
from .xmlsource import ExportError

WXR_NAMESPACE_PREFIX = "{http://wordpress.org/export/"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"

# wp:status of an item → the post's Status here. Private posts were visible
# only to logged-in users, so they are imported as drafts, never published.
POST_STATUSES = {
    "publish": "published",
    "future": "published",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
    "trash": "draft",
}
POST_TYPES = {"post": "article", "page": "page"}

# wp:comment_approved → why the comment is held ("" when it was published).
COMMENT_HELD_REASONS = {
    "1": "",
    "0": "pending moderation on WordPress",
    "spam": "marked as spam on WordPress",
    "trash": "in the trash on WordPress",
    "post-trashed": "its post was in the trash on WordPress",
}
PINGBACK_TYPES = {
    "pingback": "a pingback from another site, not a comment",
    "trackback": "a trackback from another site, not a comment",
}
NO_DATE = "0000-00-00 00:00:00"
# The wp:commentmeta key under which the Disqus plugin keeps the Disqus id of a comment it synced.
DISQUS_ID_META = "dsq_post_id"


@dataclass(frozen=True)
class WordPressComment(ImportedComment):
    # The Disqus post id of the comment this one is a copy of ("" for WordPress's own comments),
    # so that a Disqus export imported alongside does not bring it twice.
    disqus_post_id: str = ""


def is_wxr(root):
    channel = root.find("channel")
    return (
        root.tag == "rss"
        and channel is not None
        and any(child.tag.startswith(WXR_NAMESPACE_PREFIX) for child in channel)
    )


def _namespace(channel, local_name):
    """The WXR namespace of this export (its version is part of the URI)."""
    for element in channel.iter():
        if element.tag.startswith(WXR_NAMESPACE_PREFIX) and element.tag.endswith("}" + local_name):
            return element.tag[: -len(local_name)]
    return WXR_NAMESPACE_PREFIX + "1.2/}"


def _text(element, tag):
    found = element.find(tag)
    return (found.text or "") if found is not None else ""


def _parse_local(value):
    if not value or value == NO_DATE:
        return None
    try:
        # Naive on purpose: WXR gives wall-clock times without an offset; date() attaches one.
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")  # noqa: DTZ007
    except ValueError:
        return None


class _Reader:
    def __init__(self, root, path):
        self.path = path
        self.channel = root.find("channel")
        self.wp = _namespace(self.channel, "wxr_version")
        self.excerpt = "{" + self.wp[1:-1] + "excerpt/}"
        self.authors = self._read_authors()
        self.owner_ids = {author["id"] for author in self.authors.values() if author["id"]}
        self.owner_emails = {author["email"] for author in self.authors.values() if author["email"]}
        self.site_offset = self._usual_offset()

    def fail(self, reason):
        raise ExportError(self.path, reason)

    def _read_authors(self):
        authors = {}
        for element in self.channel.findall(self.wp + "author"):
            login = _text(element, self.wp + "author_login").strip()
            full_name = " ".join(
                part
                for part in (
                    _text(element, self.wp + "author_first_name").strip(),
                    _text(element, self.wp + "author_last_name").strip(),
                )
                if part
            )
            authors[login] = {
                "id": _text(element, self.wp + "author_id").strip(),
                "email": _text(element, self.wp + "author_email").strip().lower(),
                "name": html.unescape(
                    _text(element, self.wp + "author_display_name").strip() or full_name or login
                ),
            }
        return authors

    def _usual_offset(self):
        """The blog's UTC offset, from items that give both local and UTC times.

        Drafts carry only a local time; they are dated with the offset most
        other items had.
        """
        offsets = Counter()
        for item in self.channel.iter("item"):
            local = _parse_local(_text(item, self.wp + "post_date"))
            utc = _parse_local(_text(item, self.wp + "post_date_gmt"))
            if local and utc:
                offsets[_rounded(local - utc)] += 1
        return offsets.most_common(1)[0][0] if offsets else timedelta(0)

    def date(self, local_text, utc_text, what):
        local, utc = _parse_local(local_text), _parse_local(utc_text)
        if local and utc:
            return local.replace(tzinfo=timezone(_rounded(local - utc)))
        if utc:
            return utc.replace(tzinfo=UTC).astimezone(timezone(self.site_offset))
        if local:
            return local.replace(tzinfo=timezone(self.site_offset))
        raise ExportError(self.path, f"{what} has no date (wp:post_date or wp:comment_date)")

    def read(self):
        export = Export(
            platform="WordPress",
            path=str(self.path),
            site_url=(
                _text(self.channel, self.wp + "base_blog_url") or _text(self.channel, "link")
            ).strip(),
        )
        for item in self.channel.findall("item"):
            post_type = _text(item, self.wp + "post_type").strip() or "post"
            status = _text(item, self.wp + "status").strip()
            if post_type not in POST_TYPES:
                export.skip(f"{post_type} entries")
            elif status not in POST_STATUSES:
                export.skip(f"{post_type}s with status {status or 'none'}")
            else:
                export.posts.append(self.post(item, post_type, status))
        return export

    def post(self, item, post_type, status):
        wp = self.wp
        post_id = _text(item, wp + "post_id").strip()
        what = f"item wp:post_id {post_id or '?'} ({_text(item, 'title').strip()!r})"
        categories = [
            html.unescape((element.text or "").strip())
            for element in item.findall("category")
            if element.get("domain") == "category" and (element.text or "").strip()
        ]
        tags = [
            html.unescape((element.text or "").strip())
            for element in item.findall("category")
            if element.get("domain") == "post_tag" and (element.text or "").strip()
        ]
        login = _text(item, DC + "creator").strip()
        link = _text(item, "link").strip()
        return ImportedPost(
            source_id=f"wordpress:{post_id}",
            kind=POST_TYPES[post_type],
            title=html.unescape(_text(item, "title")).strip(),
            slug=unquote(_text(item, wp + "post_name").strip()),
            date=self.date(_text(item, wp + "post_date"), _text(item, wp + "post_date_gmt"), what),
            author=self.authors.get(login, {}).get("name", login),
            body_html=_text(item, CONTENT + "encoded"),
            status=POST_STATUSES[status],
            category=categories[0] if categories else "",
            # WordPress allows several categories; Pelican one. The others become tags.
            tags=tuple(dict.fromkeys([*categories[1:], *tags])),
            summary_html=_text(item, self.excerpt + "encoded"),
            comments_open=_text(item, wp + "comment_status").strip() != "closed",
            old_urls=(link,) if link else (),
            comments=tuple(
                self.comment(element, post_id) for element in item.findall(wp + "comment")
            ),
        )

    def comment(self, element, post_id):
        wp = self.wp
        comment_id = _text(element, wp + "comment_id").strip()
        what = f"comment wp:comment_id {comment_id or '?'} of post {post_id}"
        if not comment_id:
            self.fail(f"a comment of post {post_id} has no wp:comment_id")
        approved = _text(element, wp + "comment_approved").strip()
        comment_type = _text(element, wp + "comment_type").strip()
        held_reason = COMMENT_HELD_REASONS.get(approved, f"status {approved!r} on WordPress")
        if not held_reason:
            held_reason = PINGBACK_TYPES.get(comment_type, "")
        email = _text(element, wp + "comment_author_email").strip().lower()
        user_id = _text(element, wp + "comment_user_id").strip()
        parent = _text(element, wp + "comment_parent").strip()
        return WordPressComment(
            source_id=f"wordpress:{comment_id}",
            author=html.unescape(_text(element, wp + "comment_author")).strip(),
            email=email,
            website=_text(element, wp + "comment_author_url").strip(),
            date=self.date(
                _text(element, wp + "comment_date"), _text(element, wp + "comment_date_gmt"), what
            ),
            body_html=_text(element, wp + "comment_content"),
            parent_source_id=f"wordpress:{parent}" if parent not in ("", "0") else "",
            held_reason=held_reason,
            by_owner=(user_id not in ("", "0") and user_id in self.owner_ids)
            or (bool(email) and email in self.owner_emails),
            disqus_post_id=self.comment_meta(element).get(DISQUS_ID_META, ""),
        )

    def comment_meta(self, element):
        """{key: value} of a comment's wp:commentmeta (WXR 1.1 and later)."""
        return {
            _text(meta, self.wp + "meta_key").strip(): _text(meta, self.wp + "meta_value").strip()
            for meta in element.findall(self.wp + "commentmeta")
        }


def _rounded(offset):
    """A UTC offset to the minute (local and UTC times can straddle a second)."""
    return timedelta(minutes=round(offset.total_seconds() / 60))


def read_wordpress(root, path):
    """The Export in a parsed WXR document."""
    return _Reader(root, path).read()
