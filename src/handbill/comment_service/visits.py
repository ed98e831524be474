"""Visits from paper: which handouts and events brought readers, without tracking anyone.

A page opened from a printed QR code carries ``utm_campaign`` (the event's slug) and
``utm_source`` (``handout``, ``card``) in its address; the site's visit-beacon.js then
sends one beacon to ``POST /visits`` with the campaign, the source and the page's path,
nothing else. The service counts it in ``visits``: one row per day, campaign, source and
page, holding a number. No address, no user agent, no cookie, no time finer than the
first visit of the day is stored; the rate limit keeps the senders' networks in memory
only, like the comment form's (ratelimit.py).

A beacon is counted only when its campaign and source have the shape of a slug and its
path is a post the latest build published (the manifest), or an event's page (a path
ending in ``/<campaign>/``): nobody can fill the table with made-up pages.

``visit_report`` puts the counts next to the comments that followed: comments on a post,
confirmed by their author (verified or approved), made after the campaign's first visit.
The printed QR codes never lead to the service, only to the static site: a service that
is down loses a count, never a reader.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from .manifest import ManifestError
from .ratelimit import SlidingWindowLimiter, network_of
from .store import timestamp

# The key of the app's VisitCounter in ``app.extensions``.
VISITS = "handbill_visits"
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_CAMPAIGN = 80
MAX_SOURCE = 32
MAX_PATH = 400
# A beacon's three fields, form-encoded, fit in well under this.
MAX_BEACON_BYTES = 1024
# Per network: a room scanning the same handout from one Wi-Fi stays well under it.
BEACONS_PER_WINDOW = 60
BEACON_WINDOW_SECONDS = 600
NO_VISITS = (
    "No visits from paper yet: no printed QR code has been scanned (or the site has no "
    'COMMENTS["service_url"], so its pages send no beacon).'
)
# Comments counted as having followed a campaign: those their author confirmed.
FOLLOWING_STATES = ("verified", "approved")


class VisitRefused(ValueError):
    """A beacon that is not counted; ``status`` is the HTTP answer."""

    def __init__(self, reason, status=400):
        super().__init__(reason)
        self.status = status


@dataclass(frozen=True)
class Visit:
    campaign: str
    source: str
    path: str


def _slug(value, limit, name):
    if not (isinstance(value, str) and len(value) <= limit and SLUG.fullmatch(value)):
        raise VisitRefused(f"{name} is not a slug of at most {limit} characters")
    return value


def post_paths(manifest):
    """{path of each published post, as a browser's location.pathname shows it: slug}; a manifest
    without the site's address gives the posts' URLs relative to the site's root."""
    return {"/" + urlsplit(manifest.post_url(post)).path.lstrip("/"): post.slug for post in manifest.posts.values()}


def read_visit(fields, known_paths):
    """A beacon's form ``fields`` → Visit; VisitRefused unless it has the shapes above."""
    campaign = _slug(fields.get("campaign"), MAX_CAMPAIGN, "campaign")
    source = _slug(fields.get("source"), MAX_SOURCE, "source")
    path = fields.get("path")
    if not isinstance(path, str) or len(path) > MAX_PATH:
        raise VisitRefused("path is missing or too long")
    is_event_page = path.startswith("/") and path.endswith(f"/{campaign}/")
    if path not in known_paths and not is_event_page:
        raise VisitRefused("path is not a published post nor the campaign's event page")
    return Visit(campaign, source, path)


def record_visit(store, visit, now):
    """Count ``visit`` in today's (UTC) row of its campaign, source and path."""

    def count(connection):
        connection.execute(
            "INSERT INTO visits (day, campaign, source, path, count, first_at) VALUES (?, ?, ?, ?, 1, ?) "
            "ON CONFLICT (day, campaign, source, path) DO UPDATE SET count = count + 1",
            (now.date().isoformat(), visit.campaign, visit.source, visit.path, timestamp(now)),
        )

    store.run(count, write=True)


class VisitCounter:
    """What ``POST /visits`` does: check the sender's rate, the beacon's shape, and count it."""

    def __init__(self, store, manifest_file, clock, limiter=None):
        self.store = store
        self.manifest_file = manifest_file
        self.clock = clock
        self.limiter = limiter or SlidingWindowLimiter(BEACONS_PER_WINDOW, BEACON_WINDOW_SECONDS)

    def count(self, fields, remote_address):
        """Count a beacon; VisitRefused when it is not."""
        if self.limiter.hit(network_of(remote_address or "")) is not None:
            raise VisitRefused("too many beacons from this network", status=429)
        try:
            known = post_paths(self.manifest_file.load())
        except ManifestError:
            raise VisitRefused("the service has no list of posts yet", status=503) from None
        record_visit(self.store, read_visit(fields, known), self.clock())


# -- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class PageVisits:
    path: str
    title: str  # the post's, or "" for a page that is not a post (an event's)
    visits: int
    sources: tuple  # the utm_source values seen, e.g. ("card", "handout")
    comments_after: int | None  # None: not a post, nothing to comment on


@dataclass(frozen=True)
class CampaignVisits:
    campaign: str
    first_visit: str  # ISO 8601, UTC
    pages: tuple  # PageVisits, most visited first

    @property
    def visits(self):
        return sum(page.visits for page in self.pages)

    @property
    def comments_after(self):
        return sum(page.comments_after or 0 for page in self.pages)


def visit_report(store, manifest):
    """Every campaign's visits per page and the comments that followed, most recent campaign first.
    ``manifest`` (or None) names the posts behind the paths."""
    posts = {path: manifest.posts[slug] for path, slug in post_paths(manifest).items()} if manifest else {}

    def read(connection):
        rows = connection.execute(
            "SELECT campaign, path, SUM(count), MIN(first_at), GROUP_CONCAT(DISTINCT source) FROM visits "
            "GROUP BY campaign, path"
        ).fetchall()
        firsts = {}
        for campaign, _path, _count, first_at, _sources in rows:
            firsts[campaign] = min(firsts.get(campaign, first_at), first_at)
        pages = {}
        for campaign, path, visits, _first_at, sources in rows:
            post = posts.get(path)
            following = None
            if post is not None:
                (following,) = connection.execute(
                    f"SELECT COUNT(*) FROM comments WHERE post = ? AND created_at >= ? "
                    f"AND state IN ({', '.join('?' * len(FOLLOWING_STATES))})",
                    (post.slug, firsts[campaign], *FOLLOWING_STATES),
                ).fetchone()
            pages.setdefault(campaign, []).append(
                PageVisits(path, post.title if post else "", visits, tuple(sorted(sources.split(","))), following)
            )
        return [
            CampaignVisits(campaign, firsts[campaign], tuple(sorted(found, key=lambda page: (-page.visits, page.path))))
            for campaign, found in sorted(pages.items(), key=lambda item: firsts[item[0]], reverse=True)
        ]

    return store.run(read, write=False)


def report_lines(report):
    """The report as plain text lines, for ``invoke events.report``."""
    if not report:
        return [NO_VISITS]
    lines = []
    for campaign in report:
        lines.append(
            f"{campaign.campaign}: {campaign.visits} visit(s) from paper since {campaign.first_visit}, "
            f"{campaign.comments_after} comment(s) followed"
        )
        for page in campaign.pages:
            comments = "not a post" if page.comments_after is None else f"{page.comments_after} comment(s) after"
            title = f" ({page.title})" if page.title else ""
            lines.append(f"  {page.path}{title}: {page.visits} visit(s) via {', '.join(page.sources)}; {comments}")
    return lines
