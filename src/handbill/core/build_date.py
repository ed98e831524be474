"""The date a build stands for, taken from the content instead of the clock.

Two builds of the same content must give the same bytes, so a file that
needs "when" (the sitemap's lastmod of index pages, the comment manifest's
``generated``) uses ``content_date``: SOURCE_DATE_EPOCH when set (the
reproducible-builds convention), otherwise the newest date or modified date
of the published posts and pages, otherwise the Unix epoch.
"""

import os
from datetime import UTC, datetime

EPOCH = datetime.fromtimestamp(0, UTC)


def content_date(contents, environ=os.environ):
    """The newest ``date``/``modified`` of ``contents`` (aware datetimes), or SOURCE_DATE_EPOCH's."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        return datetime.fromtimestamp(int(epoch), UTC)
    dates = [
        moment
        for content in contents
        for moment in (getattr(content, "date", None), getattr(content, "modified", None))
        if moment is not None
    ]
    return max(dates, default=EPOCH, key=_comparable)


def _comparable(moment):
    """Aware and naive datetimes side by side: a naive one is taken as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
