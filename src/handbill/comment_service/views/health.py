"""``GET /health``: could the service take a comment now, and how is its mail doing?

``200 {"status": "ok", ...}`` when the database takes a write (a heartbeat row, in a real
write transaction, waited for no longer than any other request) and the mail sender is
running; ``503`` with ``"status": "busy"`` (the database stayed locked) or ``"unavailable"``
(the database is missing, corrupt, read-only or on a full disk, or the sender stopped)
otherwise. ``mail`` is the outbox's backlog (``MailBacklog.summary``), when it could be read.
"""

from flask import Blueprint, jsonify

from handbill.comment_service.store import StoreBusy, StoreUnavailable

from .responses import intake

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    service = intake()
    now = service.clock()
    sender = "running" if service.mail_sender.running else "stopped"
    try:
        mail = service.store.health(now).summary(now)
    except StoreBusy:
        status, database, mail = "busy", "locked", None
    except StoreUnavailable as error:
        status, database, mail = "unavailable", str(error.reason), None
    else:
        status, database = ("ok" if sender == "running" else "unavailable"), "ok"
    response = jsonify(status=status, database=database, mail_sender=sender, mail=mail)
    response.headers["Cache-Control"] = "no-store"
    if status != "ok":
        response.status_code = 503
        response.headers["Retry-After"] = "10"
    return response
