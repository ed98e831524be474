import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from handbill.core.feeds import FeedError, feed_entries

# Attributes that make the browser fetch or navigate; (tag, attribute).
LINKING_ATTRIBUTES = {
    ("a", "href"),
    ("area", "href"),
    ("link", "href"),
    ("img", "src"),
    ("script", "src"),
    ("source", "src"),
    ("video", "src"),
    ("video", "poster"),
    ("audio", "src"),
    ("iframe", "src"),
    ("embed", "src"),
    ("object", "data"),
}
SRCSET_TAGS = {"img", "source"}
# <link rel=…> values that point at documents we do not own or that need not exist.
IGNORED_LINK_RELS = {"canonical", "preconnect", "dns-prefetch", "webmention", "me"}


@dataclass(frozen=True)
class BrokenLink:
    page: str  # path of the referring file, relative to the output folder
    target: str  # the reference as written
    reason: str

    def __str__(self):
        return f"{self.page}: {self.target} ({self.reason})"


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.references = []
        self.ids = set()
        self.base = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("id", "name" if tag == "a" else None):
            if name and attributes.get(name):
                self.ids.add(attributes[name])
        if tag == "base" and attributes.get("href"):
            self.base = attributes["href"]
        if tag == "link" and set((attributes.get("rel") or "").lower().split()) & IGNORED_LINK_RELS:
            return
        for attribute, value in attrs:
            if value and (tag, attribute) in LINKING_ATTRIBUTES:
                self.references.append(value.strip())
            elif value and attribute == "srcset" and tag in SRCSET_TAGS:
                self.references.extend(
                    candidate.split()[0] for candidate in value.split(",") if candidate.strip()
                )

    handle_startendtag = handle_starttag


class _Site:
    def __init__(self, output_dir, site_url):
        self.output_dir = Path(output_dir).resolve()
        parts = urlsplit(site_url or "")
        self.site_origin = (parts.scheme, parts.netloc) if parts.netloc else None
        self.site_path = parts.path.rstrip("/")
        self._ids = {}

    def page_url_path(self, file_path):
        """The URL path at which a file of the output is served."""
        relative = file_path.relative_to(self.output_dir).as_posix()
        return f"{self.site_path}/{relative}"

    def file_for(self, url_path):
        """The output file that serves a URL path, or None."""
        if self.site_path and not (url_path + "/").startswith(self.site_path + "/"):
            return None
        relative = url_path[len(self.site_path) :].lstrip("/")
        candidate = (self.output_dir / unquote(relative)).resolve()
        if self.output_dir not in candidate.parents and candidate != self.output_dir:
            return None
        if candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def parse(self, html_file):
        """The page's parser, after reading it; its ids are kept for fragment checks."""
        parser = _PageParser()
        parser.feed(html_file.read_text(encoding="utf-8", errors="replace"))
        self._ids[html_file] = parser.ids
        return parser

    def ids_of(self, html_file):
        if html_file not in self._ids:
            self.parse(html_file)
        return self._ids[html_file]

    def check(self, referrer, reference, base_url_path):
        """A reason why ``reference`` (as written in ``referrer``) is broken, or None."""
        parts = urlsplit(reference)
        if parts.scheme and parts.scheme not in ("http", "https"):
            return None  # mailto:, tel:, data: and the like are not files of ours
        if (
            parts.netloc
            and (parts.scheme or "https", parts.netloc) != self.site_origin
            and not (self.site_origin and not parts.scheme and parts.netloc == self.site_origin[1])
        ):
            return None  # external: not fetched
        if not parts.path and not parts.netloc:
            target_file = referrer
        else:
            url_path = posixpath.normpath(posixpath.join(posixpath.dirname(base_url_path), parts.path))
            if parts.path.startswith("/"):
                url_path = posixpath.normpath(parts.path)
            target_file = self.file_for(url_path)
            if target_file is None:
                return "no such file in the output"
        if (
            parts.fragment
            and target_file.suffix == ".html"
            and unquote(parts.fragment) not in self.ids_of(target_file)
        ):
            return f"no element with id {parts.fragment!r}"
        return None


def find_broken_links(output_dir, site_url=""):
    """Every reference in the HTML pages and feeds of ``output_dir`` that does not resolve.

    ``site_url`` is the address the site is published at (SITEURL); absolute
    links to it are checked like relative ones.
    """
    site = _Site(output_dir, site_url)
    broken = []
    for html_file in sorted(site.output_dir.rglob("*.html")):
        parser = site.parse(html_file)
        page_url_path = site.page_url_path(html_file)
        base_url_path = urlsplit(parser.base).path if parser.base else page_url_path
        # Once per page: a figure's image and its link to the full-size file name the same one.
        for reference in dict.fromkeys(parser.references):
            reason = site.check(html_file, reference, base_url_path)
            if reason:
                relative = html_file.relative_to(site.output_dir).as_posix()
                broken.append(BrokenLink(relative, reference, reason))
    for feed_file in sorted(site.output_dir.rglob("*.xml")):
        relative = feed_file.relative_to(site.output_dir).as_posix()
        try:
            links = [link for entry in feed_entries(feed_file) for link in entry.links]
        except FeedError as error:
            broken.append(BrokenLink(relative, "", f"not well-formed XML: {error}"))
            continue
        for link in links:
            # Entry links are absolute, or relative to the site's root when FEED_DOMAIN is empty.
            reason = site.check(feed_file, link, f"{site.site_path}/")
            if reason:
                broken.append(BrokenLink(relative, link, reason))
    return broken
