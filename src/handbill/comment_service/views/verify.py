"""The link emailed to the commenter.

- ``GET /verify/<token>``: a page with a button, changing nothing (mail scanners open links
  by themselves).
- ``POST /verify/<token>``: that button, which confirms the comment.
"""

import logging

from flask import Blueprint, make_response, render_template, request

from .responses import intake

logger = logging.getLogger(__name__)

bp = Blueprint("verify", __name__)

# Statuses of the verification page, per outcome of CommentIntake.look_up and .confirm.
VERIFY_STATUSES = {
    "confirm": 200, "confirmed": 200, "already_confirmed": 200, "approved": 200, "rejected": 200,
    "invalid": 400, "foreign_origin": 403, "unknown": 404, "expired": 410, "rate_limited": 429, "busy": 503,
}
# The busy page asks to open the link again in a minute.
BUSY_RETRY_AFTER = "60"


@bp.get("/verify/<token>")
def verify_page(token):
    return verification_page(intake().look_up(token))


@bp.post("/verify/<token>")
def verify(token):
    verification = intake().confirm(
        token, origin=request.headers.get("Origin"), referer=request.headers.get("Referer")
    )
    if verification.outcome == "foreign_origin":
        logger.info("Refused %s %s from %s: foreign_origin", request.method, request.path, request.remote_addr)
    return verification_page(verification)


def verification_page(verification):
    response = make_response((
        render_template("verified.html", verification=verification, config=intake().config),
        VERIFY_STATUSES[verification.outcome],
    ))
    response.headers["Cache-Control"] = "no-store"
    if verification.outcome == "busy":
        response.headers["Retry-After"] = BUSY_RETRY_AFTER
    if verification.outcome == "confirm":
        # The page posts its button back here: under no-referrer, browsers would send
        # "Origin: null" with it; same-origin still keeps the link's token from other sites.
        response.headers["Referrer-Policy"] = "same-origin"
    return response
