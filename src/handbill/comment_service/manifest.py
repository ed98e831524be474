"""The build's list of commentable posts (``<output>/comments/manifest.json``), re-read when it changes.

The comments plugin writes the manifest on every build; the service reads it
to learn which posts exist, which are open, and which comments are published
(a reply must answer one of those). A new build is picked up without a restart.
"""

import json
import logging
import threading
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from urllib.parse import urljoin

from handbill.core.policy import MODES, comments_state

logger = logging.getLogger(__name__)


class ManifestError(Exception):
    """The manifest is missing or unreadable; the message names the file and the fault."""


@dataclass(frozen=True)
class PostState:
    slug: str
    title: str
    url: str
    date: datetime | None
    comments: str  # the mode the build gave the post: open | closed | hidden
    closes_at: datetime | None
    comment_ids: frozenset

    def comments_state(self, settings, now):
        """The post's comments.policy.CommentsState at ``now``: the build's mode, closed
        once the closing date has passed (the manifest may be older than that date)."""
        state = comments_state(settings, self.date or now, self.comments, now)
        if state.mode == "open" and self.closes_at is not None and now >= self.closes_at:
            state = replace(state, mode="closed")
        return state


@dataclass(frozen=True)
class Manifest:
    site_url: str
    posts: dict

    def post_url(self, post, fallback_site_url=""):
        """The post's absolute address; a site-relative one is joined to the build's site URL,
        else to ``fallback_site_url``."""
        base = self.site_url or fallback_site_url
        if base and "://" not in post.url:
            return urljoin(base.rstrip("/") + "/", post.url.lstrip("/"))
        return post.url


def parse_manifest(text, path):
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ManifestError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("posts"), dict):
        raise ManifestError(f"{path}: expected an object with a 'posts' object")
    posts = {}
    for slug, entry in data["posts"].items():
        if not isinstance(entry, dict):
            raise ManifestError(f"{path}: posts[{slug!r}] is not an object")
        mode = entry.get("comments")
        if mode not in MODES:
            raise ManifestError(f"{path}: posts[{slug!r}].comments {mode!r} is not one of {', '.join(MODES)}")
        posts[slug] = PostState(
            slug=slug,
            title=str(entry.get("title") or slug),
            url=str(entry.get("url") or ""),
            date=_moment(entry.get("date"), path, slug, "date"),
            comments=mode,
            closes_at=_moment(entry.get("closes_at"), path, slug, "closes_at"),
            comment_ids=frozenset(entry.get("comment_ids") or ()),
        )
    return Manifest(site_url=str(data.get("site_url") or ""), posts=posts)


def _moment(value, path, slug, key):
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise ManifestError(f"{path}: posts[{slug!r}].{key} {value!r} is not an ISO 8601 date") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class ManifestFile:
    """The manifest at ``path``, parsed once per change of the file."""

    def __init__(self, path):
        self.path = path
        self._lock = threading.Lock()
        self._stamp = None
        self._manifest = None

    def load(self):
        """The current Manifest; ManifestError if the file is missing or broken."""
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            raise ManifestError(
                f"{self.path} does not exist: build the site (invoke build) so that the "
                "comments plugin writes the list of commentable posts"
            ) from None
        stamp = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        with self._lock:
            if stamp != self._stamp:
                manifest = parse_manifest(self.path.read_text(encoding="utf-8"), self.path)
                self._stamp, self._manifest = stamp, manifest
                logger.info("Read %d post(s) from %s", len(manifest.posts), self.path)
            return self._manifest
