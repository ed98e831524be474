"""``POST /visits``: the beacon of a page opened from a printed QR code (visits.py).

It answers 204 when the beacon was counted, else 400, 403, 413, 429 or 503; never with a
body, as a beacon's sender never reads the answer. The request's address is used
for the rate limit in memory only, and is not logged; cookies and headers are not read.
"""

from flask import Blueprint, current_app, request

from handbill.comment_service.config import origin_of
from handbill.comment_service.store import StoreBusy, StoreUnavailable
from handbill.comment_service.visits import MAX_BEACON_BYTES, VISITS, VisitRefused

from .responses import intake

bp = Blueprint("visits", __name__)


@bp.post("/visits")
def visit():
    if request.content_length is None or request.content_length > MAX_BEACON_BYTES:
        return _answer(413)
    # Only the site's own pages send beacons (a browser always sends Origin with one).
    if origin_of(request.headers.get("Origin", "")) not in intake().allowed_origins():
        return _answer(403)
    try:
        current_app.extensions[VISITS].count(request.form, request.remote_addr)
    except VisitRefused as refused:
        return _answer(refused.status)
    except (StoreBusy, StoreUnavailable):
        return _answer(503)  # a lost count; the page itself never waited for it
    return _answer(204)


def _answer(status):
    return "", status, {"Cache-Control": "no-store"}
