"""The links in a commenter's emails: unsubscribe and delete my comment.

- ``GET /unsubscribe/<token>``: a page offering to stop the emails about replies to the
  comment or all emails to the address; it changes nothing (mail scanners open links).
- ``POST /unsubscribe/<token>``: one of those buttons (``scope``), or the RFC 8058 one-click
  request a mail program sends (body ``List-Unsubscribe=One-Click``, no cookies, no Origin):
  the link's own scope. Anyone holding the link may only ever stop emails.
- ``GET /delete/<token>``: the comment and a button; ``POST``: that button, which deletes it
  (privacy.delete_comment). Like the verification button, it must come from the service's page.
"""

import logging

from flask import Blueprint, current_app, make_response, render_template, request

from handbill.comment_service.commenter_mail import SCOPES, CommenterLinks, unsubscribe
from handbill.comment_service.config import origin_of
from handbill.comment_service.privacy import delete_comment
from handbill.comment_service.service_layout import LAYOUT_NAME, LayoutFile
from handbill.comment_service.store import StoreBusy, StoreUnavailable
from handbill.comment_service.validation import came_from_or_unsaid

from .responses import intake

logger = logging.getLogger(__name__)

bp = Blueprint("subscriptions", __name__)
# The key of the app's LayoutFile in ``app.extensions``.
LAYOUT_EXTENSION = "handbill_site_layout"


@bp.app_context_processor
def site_layout():
    """Every page of the service is drawn in the site's layout when the build wrote one
    (templates/base.html); the file is re-read when a build changes it."""
    layout_file = current_app.extensions.get(LAYOUT_EXTENSION)
    if layout_file is None:
        config = intake().config
        layout_file = current_app.extensions.setdefault(
            LAYOUT_EXTENSION, LayoutFile(config.manifest_path.parent / LAYOUT_NAME, config.site_url)
        )
    return {"site_layout": layout_file.load()}

STATUSES = {"confirm": 200, "done": 200, "invalid": 400, "unknown": 404, "foreign_origin": 403, "busy": 503}


def links():
    config = intake().config
    return CommenterLinks(config.secret_key, config.public_url)


def page(template, outcome, **values):
    response = make_response((
        render_template(template, outcome=outcome, config=intake().config, **values), STATUSES[outcome]
    ))
    response.headers["Cache-Control"] = "no-store"
    if outcome == "confirm":
        # Its buttons post back here: same-origin keeps the real Origin on them (see verify.py).
        response.headers["Referrer-Policy"] = "same-origin"
    return response


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token):
    signed = links().check_unsubscribe(token)
    if signed is None:
        return page("unsubscribe.html", "invalid")
    try:
        comment = intake().store.get(signed[0])
    except (StoreBusy, StoreUnavailable):
        return page("unsubscribe.html", "busy")
    return page("unsubscribe.html", "confirm" if comment else "unknown", scope=signed[1])


@bp.post("/unsubscribe/<token>")
def unsubscribe_now(token):
    signed = links().check_unsubscribe(token)
    if signed is None:
        return page("unsubscribe.html", "invalid")
    comment_id, scope = signed
    chosen = request.form.get("scope", "")
    scope = chosen if chosen in SCOPES else scope
    service = intake()
    try:
        comment = unsubscribe(service.store, comment_id, scope, service.clock())
    except (StoreBusy, StoreUnavailable) as error:
        logger.error("Could not unsubscribe from comment %s: %s", comment_id, error)
        return page("unsubscribe.html", "busy")
    if comment is None:
        return page("unsubscribe.html", "unknown")
    logger.info("Unsubscribed (%s) from comment %s", scope, comment_id)
    return page("unsubscribe.html", "done", scope=scope)


@bp.get("/delete/<token>")
def delete_page(token):
    comment_id = links().check_delete(token)
    if comment_id is None:
        return page("delete.html", "invalid")
    try:
        comment = intake().store.get(comment_id)
    except (StoreBusy, StoreUnavailable):
        return page("delete.html", "busy")
    return page("delete.html", "confirm" if comment else "unknown", comment=comment)


@bp.post("/delete/<token>")
def delete_now(token):
    service = intake()
    if not came_from_or_unsaid(
        request.headers.get("Origin"), request.headers.get("Referer"), origin_of(service.config.public_url)
    ):
        return page("delete.html", "foreign_origin")
    comment_id = links().check_delete(token)
    if comment_id is None:
        return page("delete.html", "invalid")
    try:
        comment = delete_comment(service.store, comment_id, service.clock())
    except (StoreBusy, StoreUnavailable) as error:
        logger.error("Could not delete comment %s: %s", comment_id, error)
        return page("delete.html", "busy")
    return page("delete.html", "done" if comment else "unknown", comment=comment)
