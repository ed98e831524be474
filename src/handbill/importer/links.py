"""Links between imported posts: every old address of a post → its Markdown file.

Pure functions, no I/O. An imported post links to another in whatever form
the old site gave: the permalink (with or without its trailing slash, over
http or https, with or without ``www.``), WordPress's ``/?p=ID`` and
``/?page_id=ID``, a wp.me short link, or Blogger's ``/yyyy/mm/slug.html``
(also with Blogger's mobile ``?m=1``). Such a link becomes Pelican's
``{filename}/posts/imported/<slug>.md``, which the build turns into the post's
new address. A link to the old site that names nothing imported is reported.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from .media import media_reference

# wp.me/p<blog>-<post id> for posts, wp.me/P<blog>-<page id> for pages;
# the ids are written in base 62 (0-9, a-z, A-Z).
_WP_ME = re.compile(r"/([pP])[0-9A-Za-z]+-([0-9A-Za-z]+)/?")
_BASE62 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Query parameters that do not change which post a Blogger address names.
_BLOGGER_VIEW_PARAMETERS = {"m"}


@dataclass(frozen=True)
class LinkTarget:
    kind: str  # "post" (imported), "old-site" (on the old site, not imported) or "external"
    address: str  # the new {filename} link for a post; the address as written otherwise


@dataclass
class LinkIndex:
    """Where each imported post's old addresses lead."""

    platform: str
    hosts: frozenset  # the old site's host names, without "www."
    by_path: dict = field(default_factory=dict)  # normalised old path → content file
    by_post_id: dict = field(default_factory=dict)  # WordPress ?p= id → content file
    by_page_id: dict = field(default_factory=dict)  # WordPress ?page_id= id → content file


def bare_host(host):
    """A host name as the index keeps it: lower case, without a leading ``www.``."""
    return (host or "").lower().removeprefix("www.")


def _path_key(path):
    return unquote(path).rstrip("/") or "/"


def decode_base62(text):
    number = 0
    for character in text:
        number = number * 62 + _BASE62.index(character)
    return number


def old_site_hosts(site_url, old_urls):
    """The old site's host names: the export's site address and its posts' absolute addresses."""
    hosts = {bare_host(urlsplit(url).hostname) for url in (site_url, *old_urls)}
    return frozenset(hosts - {""})


def link_index(export, content_files):
    """The LinkIndex of ``export``; ``content_files`` are the posts' files (relative to the
    content folder), in the order of ``export.posts``."""
    index = LinkIndex(
        platform=export.platform,
        hosts=old_site_hosts(export.site_url, [url for post in export.posts for url in post.old_urls]),
    )
    for post, content_file in zip(export.posts, content_files, strict=True):
        for url in post.old_urls:
            parts = urlsplit(url)
            if parts.path and not parts.query:
                index.by_path[_path_key(parts.path)] = content_file
        platform, _, post_id = post.source_id.partition(":")
        if platform == "wordpress" and post_id:
            (index.by_post_id if post.kind == "article" else index.by_page_id)[post_id] = content_file
    return index


def _is_old_site(parts, index):
    host = bare_host(parts.hostname)
    if host in index.hosts:
        return True
    # A Blogger blog answers on blogspot.com and on its country domains (blogspot.de…).
    return index.platform == "Blogger" and re.fullmatch(r"[\w-]+\.blogspot\.[a-z.]+", host) is not None


def _imported_file(parts, index):
    """The content file an old-site address names, or None."""
    query = parse_qs(parts.query)
    if "p" in query:
        return index.by_post_id.get(query["p"][0]) or index.by_page_id.get(query["p"][0])
    if "page_id" in query:
        return index.by_page_id.get(query["page_id"][0])
    if set(query) - _BLOGGER_VIEW_PARAMETERS:
        return None
    return index.by_path.get(_path_key(parts.path))


def _short_link_file(parts, index):
    match = _WP_ME.fullmatch(parts.path)
    if not match:
        return None
    kind, encoded = match.groups()
    ids = index.by_post_id if kind == "p" else index.by_page_id
    return ids.get(str(decode_base62(encoded)))


def classify_link(url, index, base_url=""):
    """A LinkTarget for ``url`` (as written in a post, relative ones against ``base_url``)."""
    written = url.strip()
    absolute = urljoin(base_url, written) if base_url else written
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https", ""):
        return LinkTarget("external", written)
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    if bare_host(parts.hostname) == "wp.me" and index.platform == "WordPress":
        content_file = _short_link_file(parts, index)
        if content_file:
            return LinkTarget("post", f"{{filename}}/{content_file}{fragment}")
        return LinkTarget("old-site", written)
    if parts.netloc and not _is_old_site(parts, index):
        return LinkTarget("external", written)
    if not parts.netloc and not parts.path.startswith("/"):
        return LinkTarget("external", written)  # relative to a page we cannot know: left as it is
    content_file = _imported_file(parts, index)
    if content_file:
        return LinkTarget("post", f"{{filename}}/{content_file}{fragment}")
    if not parts.path.strip("/") and not parts.query:
        return LinkTarget("external", written)  # the old home page: nothing to import
    return LinkTarget("old-site", written)


class ReferenceRewriter:
    """Rewrites the images and links of imported posts (see convert.html_to_markdown's
    ``rewrite``) and notes, in order, every media address and every link to the old
    site that names nothing imported."""

    def __init__(self, index, base_url, media_paths):
        self.index = index
        self.base_url = base_url
        self.media_paths = media_paths  # media url → its file under the content folder
        self.media = []  # [(url, year of the post)]
        self.old_site_links = []  # [(post title, url)]

    def for_post(self, post):
        def rewrite(url, tag):
            if media_reference(url, tag, self.index.hosts):
                self.media.append((url, post.date.year))
                local = self.media_paths.get(url)
                return f"{{static}}/{local}" if local else url
            if tag != "a":
                return url
            target = classify_link(url, self.index, self.base_url)
            if target.kind == "post":
                return target.address
            if target.kind == "old-site":
                # Kept pointing at the old site, which answers as long as it lives.
                absolute = urljoin(self.base_url, url) if self.base_url else url
                self.old_site_links.append((post.title, absolute))
                return absolute
            return url

        return rewrite
