"""Turn an Export into the files of an import, all in memory (no I/O).

Everything is converted and checked here before writer.py touches the disk,
so a problem with any post or comment stops the import with nothing written.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from pelican.settings import DEFAULT_CONFIG
from pelican.utils import slugify

from handbill.core.comment_settings import CommentSettings
from handbill.core.paths import redirect_path_of_url
from handbill.core.policy import comments_state, hold_reason
from handbill.core.records import (
    EMAIL_REMOVED,
    WEB_ADDRESS,
    CommentRecord,
    RecordError,
    contains_email_address,
    format_record,
    new_comment_id,
    record_path,
    redact_emails,
)

from .convert import html_to_line, html_to_markdown
from .links import ReferenceRewriter, link_index
from .xmlsource import ExportError

POSTS_FOLDER = "posts/imported"
PAGES_FOLDER = "pages/imported"

ANONYMOUS_NAMES = {"", "anonymous", "anon", "guest", "unknown"}
ANONYMOUS_REASON = "anonymous: posted without a name"
EMAIL_AS_NAME_REASON = "anonymous: gave an email address instead of a name"
EMPTY_REASON = "the comment has no text"
EMPTY_BODY = "(This comment had no text.)"

# A Pelican slug (and comment-record folder): word characters, dots and hyphens.
_SLUG = re.compile(r"\w[\w.-]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
_OLD_HOST_IMAGE = re.compile(r"!\[[^\]]*\]\((https?://[^)\s]+)")


@dataclass(frozen=True)
class StagedFile:
    path: Path
    text: str


@dataclass
class StagedImport:
    files: list  # [StagedFile] posts and pages
    records: list  # [CommentRecord]
    comments_dir: Path
    counts: Counter = field(default_factory=Counter)
    held_reasons: Counter = field(default_factory=Counter)
    notes: list = field(default_factory=list)
    slugs: dict = field(default_factory=dict)  # post source id → the slug it is imported under
    media_references: list = field(default_factory=list)  # [(url, year)] images and uploads, in order
    old_site_links: list = field(default_factory=list)  # [(post title, url)] to old pages not imported
    # {record path: text} records an earlier import wrote that this one may replace (writer.py):
    # the owner's Disqus comments, written as anyone's before --disqus-owner named the account.
    replaceable: dict = field(default_factory=dict)
    todo: list = field(default_factory=list)  # lines for the owner's to-do list, from what only staging knows


def _one_line(value):
    return re.sub(r"\s+", " ", _CONTROL.sub(" ", value)).strip()


def _slug_for(post, taken):
    slug = post.slug if _SLUG.fullmatch(post.slug or "") else ""
    if not slug:
        slug = slugify(post.slug or post.title or "untitled", DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"])
    slug = slug or "untitled"
    unique, number = slug, 2
    while unique in taken:
        unique, number = f"{slug}-{number}", number + 1
    taken.add(unique)
    return unique


def _metadata_block(pairs):
    return "".join(f"{key}: {_one_line(value)}\n" for key, value in pairs if _one_line(value))


def post_text(post, slug, redirect_from, base_url="", rewrite=None):
    """The Markdown file of an imported post or page (``rewrite``: see convert.html_to_markdown)."""
    is_article = post.kind == "article"
    pairs = [
        # Pelican titles are HTML: a title about "<table>" must stay text.
        ("Title", html.escape(post.title or "Untitled", quote=False)),
        ("Date", post.date.isoformat(sep=" ", timespec="minutes")),
        ("Slug", slug),
        ("Author", post.author),
    ]
    if is_article:
        pairs += [
            ("Category", post.category),
            # Pelican splits tags at commas, so a comma inside a tag cannot stay.
            ("Tags", ", ".join(_one_line(tag.replace(",", " ")) for tag in post.tags)),
        ]
    pairs += [
        ("Summary", html_to_line(post.summary_html)),
        ("Status", post.status),
    ]
    if is_article:
        pairs += [("Handout", "no"), ("Comments", _comments_override(post))]
    pairs.append(("Redirect-From", " ".join(redirect_from)))
    body = html_to_markdown(post.body_html, base_url, rewrite)
    return _metadata_block(pairs) + "\n" + body + ("\n" if body else "")


def _comments_override(post):
    """The ``Comments:`` metadata an imported post gets: as it was on the old site."""
    return "open" if post.comments_open else "closed"


def _website(value):
    value = value.strip()
    if value and "://" not in value and "." in value and "@" not in value:
        value = "http://" + value
    keep = WEB_ADDRESS.fullmatch(value) and "@" not in value and not contains_email_address(value)
    return value if keep else ""


def _redact(text, email):
    return re.sub(re.escape(email), EMAIL_REMOVED, text, flags=re.I) if email else text


def comment_record(comment, slug, record_ids, settings, state):
    """The CommentRecord of an imported comment; ``record_ids`` maps source ids to record ids.

    A comment the build would hold (under ``settings``, on a post in ``state``)
    is imported held, with the reason the build would give, so that the import
    reports what the site will show.
    """
    # A name field holding an email address is no name at all.
    author = _one_line(redact_emails(comment.author, replacement=""))
    held_reason = comment.held_reason
    if author.lower() in ANONYMOUS_NAMES:
        held_reason = held_reason or (
            EMAIL_AS_NAME_REASON if contains_email_address(comment.author) else ANONYMOUS_REASON
        )
        author = "Anonymous"
    body = _redact(html_to_markdown(comment.body_html), comment.email)
    if not body:
        body = EMPTY_BODY
        held_reason = held_reason or EMPTY_REASON
    record = CommentRecord(
        id=record_ids[comment.source_id],
        post=slug,
        author=author,
        date=comment.date,
        body=body,
        identity="site-owner" if comment.by_owner else "imported",
        status="held" if held_reason else "published",
        website=_website(_redact(comment.website, comment.email)),
        reply_to=record_ids.get(comment.parent_source_id, ""),
        held_reason=held_reason,
        source=comment.source_id,
    )
    reason = hold_reason(record, settings, state)
    return replace(record, status="held", held_reason=reason) if reason else record


def stage_import(export, content_dir, comments_dir, settings=None, media_paths=None):
    """A StagedImport of ``export`` into ``content_dir`` (records under ``comments_dir``),
    its comments judged by the site's CommentSettings ``settings`` (None: the defaults);
    images and uploads in ``media_paths`` ({url: file under ``content_dir``}) are linked there."""
    settings = settings or CommentSettings()
    content_dir, comments_dir = Path(content_dir), Path(comments_dir)
    staged = StagedImport(files=[], records=[], comments_dir=comments_dir)
    taken_slugs, old_hosts = set(), set()
    old_host = urlsplit(export.site_url).netloc
    # Every slug is known before any body is converted, so that posts can link to those after them.
    slugs = [_slug_for(post, taken_slugs) for post in export.posts]
    folders = [POSTS_FOLDER if post.kind == "article" else PAGES_FOLDER for post in export.posts]
    references = ReferenceRewriter(
        link_index(export, [f"{folder}/{slug}.md" for folder, slug in zip(folders, slugs, strict=True)]),
        export.site_url,
        media_paths or {},
    )
    for post, slug, folder in zip(export.posts, slugs, folders, strict=True):
        staged.slugs[post.source_id] = slug
        redirect_from = [path for path in map(redirect_path_of_url, post.old_urls) if path]
        if post.status == "published" and post.old_urls and not redirect_from:
            staged.notes.append(
                f"{post.title!r}: its old address {post.old_urls[0]} has no path to redirect from"
            )
        text = post_text(post, slug, redirect_from, export.site_url, references.for_post(post))
        staged.files.append(StagedFile(content_dir / folder / f"{slug}.md", text))
        staged.counts[f"{post.kind}s ({post.status})"] += 1
        if old_host:
            old_hosts.update(
                url for url in _OLD_HOST_IMAGE.findall(text) if urlsplit(url).netloc == old_host
            )
        if post.kind == "page" and post.comments:
            # The comments plugin places records on posts only; a record for a
            # page would fail the build, so these are reported, not written.
            staged.notes.append(
                f"page {post.title!r}: {len(post.comments)} comment(s) not imported "
                "(Handbill shows comments on posts only)"
            )
            continue
        staged.records.extend(_stage_comments(export, post, slug, comments_dir, staged, settings=settings))
    if old_hosts:
        staged.notes.append(
            f"{len(old_hosts)} image(s) still load from the old site {old_host}: copy them into "
            "content/images/ and change their addresses before the old site goes away"
        )
    staged.media_references, staged.old_site_links = references.media, references.old_site_links
    return staged


def _stage_comments(export, post, slug, comments_dir, staged, *, settings):
    # Ids come from the old site's address and the comment's id there, so a
    # second import of the same file gives the same ids (and changes nothing).
    record_ids = {}
    for comment in post.comments:
        seed = f"{export.site_url} {comment.source_id}"
        record_id = new_comment_id(comment.date, seed)
        while record_id in record_ids.values():
            seed += "+"
            record_id = new_comment_id(comment.date, seed)
        record_ids[comment.source_id] = record_id
    # A record's hold reason depends on the post's policy and closing date, not on
    # the moment it is asked, so the post as it was when published will do.
    state = comments_state(settings, post.date, _comments_override(post), now=post.date)
    records = []
    for comment in post.comments:
        if comment.parent_source_id and comment.parent_source_id not in record_ids:
            staged.notes.append(
                f"{post.title!r}: comment {comment.source_id} answers {comment.parent_source_id}, "
                "which is not in the export; it is imported as a top-level comment"
            )
        record = comment_record(comment, slug, record_ids, settings, state)
        try:
            format_record(record)
            record_path(comments_dir, record)
        except RecordError as error:
            raise ExportError(export.path, f"comment {comment.source_id}: {error.reason}") from None
        records.append(record)
        staged.counts[_count_key(record)] += 1
        if record.held_reason:
            staged.held_reasons[record.held_reason] += 1
    return records


def _count_key(record):
    return "comments (held)" if record.status == "held" else "comments (published)"


def merge_copies(staged, originals):
    """Drop from ``staged`` the records that are copies of others on the same post
    (``originals``: {a copy's source: the original's record}); replies to a copy
    answer its original. Counts and held reasons follow. Returns how many were dropped."""
    kept, original_ids = [], {}
    for record in staged.records:
        original = originals.get(record.source)
        if original is None or original.post != record.post:
            kept.append(record)
            continue
        original_ids[record.id] = original.id
        staged.counts[_count_key(record)] -= 1
        if record.held_reason:
            staged.held_reasons[record.held_reason] -= 1
    if not original_ids:
        return 0
    staged.records = [replace(record, reply_to=original_ids.get(record.reply_to, record.reply_to)) for record in kept]
    # Unary + drops the counts that fell to nothing.
    staged.counts, staged.held_reasons = +staged.counts, +staged.held_reasons
    staged.counts["comments in both exports (imported once, from Disqus)"] += len(original_ids)
    return len(original_ids)
