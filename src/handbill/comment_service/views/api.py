"""``GET /api/comments``: approved comments as records, for a site built on another machine.

When the site is not built where the service runs (mode 2), ``invoke comments.sync --service
URL`` fetches the records from here into ``content/comments/`` (sync.py). The API is on only
when ``HANDBILL_SYNC_TOKEN`` is set; every request must carry it as ``Authorization: Bearer
<token>`` (compared in constant time). The answer holds records exactly as ``comments.export``
writes them, never an email address:

    200 {"records": [{"id", "post", "status", "text"}], "until": "<ISO time>"}

``status`` is ``published`` for an approved comment or reply, ``held`` for one rejected after
its approval (the client rewrites the record it has, and writes none otherwise). ``?since=<ISO
time>`` (a previous answer's ``until``) keeps to comments decided at or after it.
"""

import hmac
from datetime import UTC, datetime

from flask import Blueprint, jsonify, request

from handbill.comment_service.moderation import decided_record
from handbill.comment_service.store import timestamp, utc_now
from handbill.comment_service.validation import Refusal
from handbill.core.records import format_record

from .responses import intake, refuse

bp = Blueprint("api", __name__)

SYNC_OFF = Refusal("sync_off", 404, "The sync API is off: set HANDBILL_SYNC_TOKEN where the service runs.")
UNAUTHORIZED = Refusal("unauthorized", 401, "Send the sync token as 'Authorization: Bearer <token>'.")


def authorized(token):
    """Does the request carry ``token`` as its bearer token? (In constant time.)"""
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def parse_since(text):
    """The ``since`` parameter as an aware datetime, or None when absent; ValueError if bad."""
    if not text:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def comment_records(store, since):
    """[(record, status)] of every approved comment, and of every rejected one as held,
    decided at or after ``since`` (None: all)."""
    records = []
    for comment in store.in_states("approved", "rejected"):
        if since is not None and (comment.decided_at is None or comment.decided_at < timestamp(since)):
            continue
        records.append(decided_record(comment))
    return records


@bp.get("/api/comments")
def comments():
    token = intake().config.sync_token
    if not token:
        return refuse(SYNC_OFF)
    if not authorized(token):
        response = refuse(UNAUTHORIZED)
        response.headers["WWW-Authenticate"] = 'Bearer realm="handbill-sync"'
        return response
    try:
        since = parse_since(request.args.get("since", ""))
    except ValueError:
        return refuse(Refusal("malformed", 400, "since must be an ISO 8601 time, e.g. 2026-01-31T12:00:00+00:00."))
    until = utc_now()  # before reading, so that the next sync from here misses nothing
    records = comment_records(intake().store, since)
    response = jsonify({
        "records": [
            {"id": record.id, "post": record.post, "status": record.status, "text": format_record(record)}
            for record in records
        ],
        "until": timestamp(until),
    })
    response.headers["Cache-Control"] = "no-store"
    return response
