"""Read a Disqus export and attach its threads to posts by their old addresses.

Disqus (Moderation → Export) mails an XML file in the namespace
http://disqus.com. ``<thread dsq:id>`` elements are the pages comments were
left on: ``<link>``, ``<title>`` and ``<id>``, the identifier the blog gave
Disqus (WordPress's plugin sends "<post id> <address>", e.g.
"123 https://old.example.com/?p=123"). ``<post dsq:id>`` elements are the
comments: ``<message>`` (HTML), ``<createdAt>`` (UTC), ``<isDeleted>``,
``<isSpam>``, ``<author>`` (name, email, username, isAnonymous), the
``<thread dsq:id>`` they belong to and the ``<parent dsq:id>`` they answer.

Threads attach to the posts of the blog export imported with them, or to the
posts already in content/ (site_posts.py reads them as the build does), by
WordPress post id, then old path (whatever the scheme, host, ``www.``,
trailing slash or case), then slug. A thread that fits no post is reported,
never dropped silently. Its comments then go through staging.py as
WordPress's and Blogger's do, so they are held for the reasons the build
gives.

The owner's own comments are known by their Disqus account only (the
usernames given as ``--disqus-owner``), never by the name they carry, which
anyone can type. A WordPress export imported alongside may hold copies of the
Disqus comments (the Disqus plugin synced them into WordPress, marking each
with its Disqus id); each comment is imported once, from Disqus.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from handbill.core.comment_settings import CommentSettings
from handbill.core.identity import names_read_alike
from handbill.core.paths import normalise_path
from handbill.core.policy import is_owner_name
from handbill.core.records import format_record, record_path, redact_emails

from .model import Export, ImportedComment, ImportedThread, ThreadExport
from .site_posts import read_site_posts
from .staging import StagedImport, _stage_comments, merge_copies
from .wordpress import WordPressComment
from .xmlsource import ExportError, parse_export

DISQUS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
SPAM_REASON = "marked as spam on Disqus"
DELETED_REASON = "deleted on Disqus"
THREAD_DELETED_REASON = "its thread was deleted on Disqus"
# Kinds of key a thread is matched by, the most certain first.
KEY_KINDS = ("wordpress:", "path:", "slug:")
WORDPRESS_ID_QUERIES = ("p", "page_id")
PAGE_EXTENSIONS = (".html", ".htm", ".php")
# Disqus sends every link in a comment through its redirector,
# https://disq.us/url?url=<address>%3A<tracking code>&cuid=<forum>.
_DISQUS_REDIRECT = re.compile(r"""(href=)(["'])(https?://disq\.us/url\?[^"']*)\2""", re.I)
_TRACKING_CODE = re.compile(r":[\w-]+$")
OWNER_OPTION = "--disqus-owner"


@dataclass(frozen=True)
class DisqusComment(ImportedComment):
    # The Disqus account that posted it ("" for a guest): the one thing about an author
    # nobody else can claim, so the owner's comments are known by it.
    username: str = ""


def is_disqus(root):
    return root.tag == DISQUS + "disqus"


def _text(element, tag):
    return (element.findtext(DISQUS + tag) or "").strip()


def _flag(element, tag):
    return _text(element, tag).lower() == "true"


def _referenced_id(element, tag):
    found = element.find(DISQUS + tag)
    return (found.get(DSQ_ID) or "").strip() if found is not None else ""


def unwrap_disqus_links(message_html):
    """``message_html`` with links through Disqus's redirector pointing at their real address."""

    def unwrapped(match):
        quoted_target = parse_qs(urlsplit(html.unescape(match.group(3))).query).get("url", [""])[0]
        target = _TRACKING_CODE.sub("", unquote(quoted_target)) if quoted_target else ""
        if urlsplit(target).scheme not in ("http", "https"):
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}{html.escape(target)}{match.group(2)}"

    return _DISQUS_REDIRECT.sub(unwrapped, message_html)


def _held_reason(post, thread):
    """Why a Disqus comment (``<post>``) of ``thread`` must not be published, "" when it may."""
    if _flag(post, "isSpam"):
        return SPAM_REASON
    if _flag(post, "isDeleted"):
        return DELETED_REASON
    return THREAD_DELETED_REASON if _flag(thread, "isDeleted") else ""


class _Skipped(Exception):
    """An element that cannot be imported; the message names it. The rest is imported."""


class _Reader:
    def __init__(self, root, path):
        self.root = root
        self.path = str(path)

    def skipped(self, reason):
        return _Skipped(str(ExportError(self.path, f"{reason}; not imported")))

    def read(self):
        forum = _text(self.root, "category/" + DISQUS + "forum") or _text(self.root, "thread/" + DISQUS + "forum")
        export = ThreadExport(
            platform="Disqus",
            path=self.path,
            site_url=f"https://disqus.com/home/forum/{forum}/" if forum else "https://disqus.com/",
        )
        threads = {}
        for element in self.root.findall(DISQUS + "thread"):
            thread_id = (element.get(DSQ_ID) or "").strip()
            if thread_id:
                threads[thread_id] = element
            else:
                export.problems.append(
                    str(self.skipped(f"a <thread> without dsq:id ({_text(element, 'link') or '?'})"))
                )
        comments = {thread_id: [] for thread_id in threads}
        for element in self.root.findall(DISQUS + "post"):
            try:
                thread_id, comment = self.comment(element, threads)
            except _Skipped as problem:
                export.problems.append(str(problem))
                continue
            comments[thread_id].append(comment)
        # Disqus keeps a thread for every page ever visited; only those with comments matter.
        export.threads = [
            self.thread(thread_id, element, tuple(comments[thread_id]))
            for thread_id, element in threads.items()
            if comments[thread_id]
        ]
        return export

    def thread(self, thread_id, element, comments):
        identifier = _text(element, "id")
        return ImportedThread(
            source_id=f"disqus:{thread_id}",
            title=html.unescape(_text(element, "title")),
            link=_text(element, "link"),
            identifiers=(identifier,) if identifier else (),
            comments=comments,
        )

    def comment(self, element, threads):
        post_id = (element.get(DSQ_ID) or "").strip()
        if not post_id:
            raise self.skipped(f"a <post> without dsq:id (created {_text(element, 'createdAt') or '?'})")
        what = f'<post dsq:id="{post_id}">'
        thread_id = _referenced_id(element, "thread")
        if thread_id not in threads:
            raise self.skipped(f"{what} belongs to thread {thread_id or '(none)'}, which is not in the export")
        created = _text(element, "createdAt")
        try:
            date = datetime.fromisoformat(created.replace("Z", "+00:00"))
        except ValueError:
            raise self.skipped(f"{what}: <createdAt> {created!r} is not an ISO 8601 date") from None
        # Disqus writes its times in UTC, with or without the "Z".
        date = (date if date.tzinfo else date.replace(tzinfo=UTC)).replace(microsecond=0)
        author = element.find(DISQUS + "author")
        parent = _referenced_id(element, "parent")
        # A guest has no account, whatever its export says.
        has_account = author is not None and not _flag(author, "isAnonymous")
        return thread_id, DisqusComment(
            source_id=f"disqus:{post_id}",
            author=html.unescape(_text(author, "name")) if author is not None else "",
            # Kept in memory only, so that staging removes it from the text.
            email=_text(author, "email").lower() if author is not None else "",
            date=date,
            body_html=unwrap_disqus_links(element.findtext(DISQUS + "message") or ""),
            parent_source_id=f"disqus:{parent}" if parent else "",
            held_reason=_held_reason(element, threads[thread_id]),
            username=_text(author, "username").lower() if has_account else "",
        )


def read_disqus(root, path):
    """The ThreadExport in a parsed Disqus export."""
    return _Reader(root, path).read()


def read_disqus_file(path):
    """The ThreadExport in the Disqus export file at ``path``; ExportError if it is not one."""
    root = parse_export(path)
    if not is_disqus(root):
        raise ExportError(
            path, f'not a Disqus export (<disqus xmlns="http://disqus.com">); its root element is <{root.tag}>'
        )
    return read_disqus(root, path)


def _slug_key(url):
    last = unquote(urlsplit(url.strip()).path).rstrip("/").rsplit("/", 1)[-1].lower()
    for extension in PAGE_EXTENSIONS:
        last = last.removesuffix(extension)
    return {f"slug:{last}"} if last else set()


def url_keys(url):
    """Keys naming the page at ``url`` however it was written.

    >>> sorted(url_keys("http://www.old.example.com/2019/05/Hello/?p=12#comments"))
    ['path:/2019/05/hello', 'wordpress:12']
    >>> url_keys("https://old.example.com/") == set()
    True
    """
    parts = urlsplit(url.strip())
    query = parse_qs(parts.query)
    keys = {f"wordpress:{value}" for name in WORDPRESS_ID_QUERIES for value in query.get(name, []) if value.isdigit()}
    # Paths compare without their trailing slash and case; the site's root names no post.
    path = normalise_path(parts.path).rstrip("/").lower()
    if path.startswith("/"):
        keys.add("path:" + path)
    return keys


def identifier_keys(identifier):
    """Keys of a Disqus thread identifier: "<WordPress post id> <address>", an address or path, or a slug."""
    first, _, rest = identifier.strip().partition(" ")
    if first.isdigit():
        return {f"wordpress:{first}", *url_keys(rest)}
    if "/" in identifier:
        return url_keys(identifier)
    return {f"slug:{identifier.strip().lower()}"}


def thread_keys(thread):
    keys = url_keys(thread.link) | _slug_key(thread.link)
    for identifier in thread.identifiers:
        keys |= identifier_keys(identifier)
    return keys


def post_keys(post, slug):
    keys = {f"slug:{slug.lower()}"}
    if post.source_id.startswith("wordpress:"):
        keys.add(post.source_id)
    for url in post.old_urls:
        keys |= url_keys(url) | _slug_key(url)
    return keys


def match_threads(threads, targets):
    """Which threads attach to which of ``targets`` ([(ImportedPost, slug)]).

    Returns ([(target, [thread])], [(thread, why it fits no post)]). Each
    thread goes to the one post its most certain kind of key names; a thread
    whose keys of that kind name several posts fits none.
    """
    index = {}
    for number, (post, slug) in enumerate(targets):
        for key in post_keys(post, slug):
            index.setdefault(key, set()).add(number)
    matched, unmatched = {}, []
    for thread in threads:
        keys = thread_keys(thread)
        for kind in KEY_KINDS:
            found = set().union(*(index.get(key, set()) for key in keys if key.startswith(kind)))
            if len(found) == 1:
                matched.setdefault(found.pop(), []).append(thread)
                break
            if found:
                unmatched.append((thread, f"its address fits {len(found)} posts"))
                break
        else:
            unmatched.append((thread, "no post has its address"))
    return [(targets[number], found) for number, found in sorted(matched.items())], unmatched


def parse_owner_usernames(values):
    """The Disqus usernames given as ``--disqus-owner`` values (repeated, or comma-separated), in lower case.

    >>> parse_owner_usernames(["DanaW, @dana_w2", "danaw"])
    ('danaw', 'dana_w2')
    """
    names = (name.strip().removeprefix("@").lower() for value in values for name in value.split(","))
    return tuple(dict.fromkeys(name for name in names if name))


def _account(comment):
    """The Disqus account that posted ``comment``, "" for a guest or a comment from elsewhere."""
    return comment.username if isinstance(comment, DisqusComment) else ""


def _comments(thread_export):
    return [comment for thread in thread_export.threads for comment in thread.comments]


def check_owner_usernames(thread_export, owners, settings=None):
    """Raise ExportError naming the ``owners`` (Disqus usernames) that posted no comment in ``thread_export``."""
    comments = _comments(thread_export)
    unknown = [name for name in owners if name not in {_account(comment) for comment in comments}]
    if not unknown:
        return
    owner_names = (settings or CommentSettings()).owner_names
    signing = sorted(
        {_account(comment) for comment in comments if _account(comment) and is_owner_name(comment.author, owner_names)}
    )
    hint = (
        f"the Disqus users who signed comments with the owner's name are {', '.join(signing)}"
        if signing
        else "no Disqus user signed a comment with the owner's name"
    )
    raise ExportError(
        thread_export.path,
        f"{OWNER_OPTION} {', '.join(unknown)}: no comment in this export was posted by "
        f"{'that Disqus user' if len(unknown) == 1 else 'those Disqus users'} ({hint})",
    )


def _signed_as_author(comment, post, settings):
    """Whether ``comment`` carries the site owner's name or the name of the author of ``post``."""
    return is_owner_name(comment.author, settings.owner_names) or (
        bool(post.author) and names_read_alike(comment.author, post.author)
    )


def _owner_todo(held_by, signing):
    """The to-do line about held comments of Disqus users who signed with the owner's (or an author's) name."""
    held = sum(held_by[name] for name in signing)
    if not held:
        return []
    names = sorted(name for name in signing if held_by[name])
    line = (
        f"{held} held Disqus comment(s) are by Disqus user(s) {', '.join(names)}, who signed comments with the "
        f"owner's or a post author's name: if an account is yours, import again with `{OWNER_OPTION} {names[0]}` "
        "(repeat it, or separate names with commas) and its comments come in as your replies"
    )
    return [line]


def _unlikely_owner_todo(owner_signatures, targets, settings):
    """To-do lines about ``--disqus-owner`` accounts that never signed with the owner's or an author's name."""
    author_names = [*(settings.owner_names or ()), *{post.author for post, _ in targets if post.author}]
    lines = []
    for account, names in sorted(owner_signatures.items()):
        if names and not any(names_read_alike(name, author) for name in names for author in author_names):
            lines.append(
                f"{OWNER_OPTION} {account}: its comments came in as yours, but they are signed "
                f"{', '.join(repr(name) for name in sorted(names))}; if that account is not yours, "
                f"import again without it and they go back to being the commenter's"
            )
    return lines


def stage_threads(thread_export, targets, staged, settings=None, owners=()):
    """Add the records of ``thread_export``'s comments on ``targets`` ([(ImportedPost, slug)])
    to ``staged``, with counts, held reasons and notes (threads that fit no post among them).

    Comments posted by the Disqus users ``owners`` are the owner's (``site-owner``). A record an
    earlier import wrote with the other answer for its account (before ``owners`` named it, or
    while they wrongly did) may be replaced (``staged.replaceable``). One post's threads that
    cannot be staged are reported and the others imported.
    """
    settings = settings or CommentSettings()
    staged.notes.extend(thread_export.problems)
    # The comment ids' seed is the service's address, not the blog's, so a thread
    # gets the same ids imported with its blog or onto posts already imported.
    service = Export(platform=thread_export.platform, path=thread_export.path, site_url=thread_export.site_url)
    matched, unmatched = match_threads(thread_export.threads, targets)
    # Disqus users who signed with the owner's or an author's name, and each user's held records.
    signing, held_by = set(), Counter()
    owner_signatures = {name: set() for name in owners}  # the names each owner account signed with
    for (post, slug), threads in matched:
        comments = tuple(comment for thread in threads for comment in thread.comments)
        if post.kind == "page":
            staged.notes.append(
                f"page {post.title!r}: {len(comments)} Disqus comment(s) not imported "
                "(Handbill shows comments on posts only)"
            )
            continue
        owned = tuple(replace(comment, by_owner=_account(comment) in owners) for comment in comments)
        # What an import with the other answer for each account writes, and so may be found on disk.
        other = tuple(replace(comment, by_owner=bool(_account(comment)) and not comment.by_owner) for comment in owned)
        post_staged = StagedImport(files=[], records=[], comments_dir=staged.comments_dir)
        try:
            records = _stage_comments(
                service, replace(post, comments=owned), slug, staged.comments_dir, post_staged, settings=settings
            )
            unused = StagedImport(files=[], records=[], comments_dir=staged.comments_dir)
            earlier_records = _stage_comments(
                service, replace(post, comments=other), slug, staged.comments_dir, unused, settings=settings
            )
        except ExportError as error:
            staged.notes.append(f"{error}; the Disqus comments of {post.title!r} are not imported")
            continue
        staged.records.extend(records)
        staged.notes.extend(post_staged.notes)
        staged.held_reasons.update(post_staged.held_reasons)
        for what, count in post_staged.counts.items():
            staged.counts[f"Disqus {what}"] += count
        for comment, record, earlier in zip(owned, records, earlier_records, strict=True):
            if record != earlier:
                staged.replaceable[record_path(staged.comments_dir, record)] = format_record(earlier)
            account = _account(comment)
            if comment.by_owner:
                owner_signatures[account].add(comment.author)
            elif account:
                if _signed_as_author(comment, post, settings):
                    signing.add(account)
                held_by[account] += record.status == "held"
    staged.todo.extend(_owner_todo(held_by, signing))
    staged.todo.extend(_unlikely_owner_todo(owner_signatures, targets, settings))
    for thread, why in unmatched:
        staged.counts["Disqus comments (on no post, not imported)"] += len(thread.comments)
        staged.notes.append(
            redact_emails(
                f"Disqus thread {thread.title!r} ({thread.link or thread.source_id}): {why}; "
                f"its {len(thread.comments)} comment(s) are not imported"
            )
        )
    return staged


def stage_threads_onto_content(thread_export, site_settings, comments_dir, settings=None, owners=()):
    """A StagedImport of ``thread_export``'s comments onto the posts already in the site
    with Pelican settings ``site_settings`` (see site_posts.py)."""
    site = read_site_posts(site_settings, comments_dir)
    if not site.targets:
        raise ExportError(
            thread_export.path,
            f"there are no posts in {site_settings['PATH']} to attach its threads to; import the blog first, "
            "or give this file with --disqus when importing it",
        )
    staged = StagedImport(files=[], records=[], comments_dir=Path(comments_dir), notes=list(site.problems))
    if site.problems:
        staged.todo.append(
            f"{len(site.problems)} file(s) of the site could not be read (see the notes): fix them, "
            "then import the Disqus export again to bring their comments"
        )
    return stage_threads(thread_export, site.targets, staged, settings, owners)


def stage_threads_onto_import(thread_export, export, staged, settings=None, owners=()):
    """Add ``thread_export``'s comments on the posts of ``export`` (staged as ``staged``) to ``staged``.

    A WordPress comment the Disqus plugin synced from a Disqus comment imported onto the same
    post is a copy: the Disqus one is kept, as it has the whole thread (the plugin syncs a reply
    only after its parent, when at all), the comment's state on Disqus now (spam, deleted), the
    Disqus account that tells the owner's replies (the copy has only the email address the
    commenter typed) and the ids an import of the Disqus export alone gives.
    """
    targets = [(post, staged.slugs[post.source_id]) for post in export.posts]
    stage_threads(thread_export, targets, staged, settings, owners)
    imported = {record.source: record for record in staged.records if record.source.startswith("disqus:")}
    originals = {
        comment.source_id: imported[f"disqus:{comment.disqus_post_id}"]
        for post in export.posts
        for comment in post.comments
        if isinstance(comment, WordPressComment)
        and comment.disqus_post_id
        and f"disqus:{comment.disqus_post_id}" in imported
    }
    merged = merge_copies(staged, originals)
    if merged:
        staged.todo.append(
            f"{merged} comment(s) were in both exports (the Disqus plugin had synced them into WordPress): "
            "each was imported once, from the Disqus export"
        )
    return staged
