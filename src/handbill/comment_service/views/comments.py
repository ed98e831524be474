"""The form's side of the service.

- ``GET /token?post=<slug>``: a fresh signed form token, as JSON, with CORS for the site's origins.
- ``POST /comments``: a comment from the form (form-encoded: answers with an HTML page) or
  from a script (JSON: answers with JSON). 202 when accepted; refusals as in README.md.
"""

import math

from flask import Blueprint, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from handbill.comment_service.config import origin_of
from handbill.comment_service.intake import Accepted
from handbill.comment_service.validation import Refusal, malformed

from .responses import FORM_TYPES, intake, refuse, wants_json

bp = Blueprint("comments", __name__)


@bp.get("/token")
def token():
    service = intake()
    origin = request.headers.get("Origin")
    if origin and origin_of(origin) not in service.allowed_origins():
        return refuse(Refusal("foreign_origin", 403, "Form tokens are only given to this site's own pages."))
    slug = request.args.get("post", "").strip()
    if not slug:
        return refuse(malformed("Say which post the form is for: /token?post=<slug>.", "post"))
    issued = service.issue_token(slug)
    if isinstance(issued, Refusal):
        return refuse(issued)
    response = jsonify(
        token=issued,
        post=slug,
        expires_in=math.floor(service.config.form_token_seconds),
        min_fill_seconds=service.config.min_fill_seconds,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/comments")
def submit():
    service = intake()
    if request.content_length is not None and request.content_length > service.config.max_request_bytes:
        raise RequestEntityTooLarge()
    if request.mimetype == "application/json":
        data = request.get_json(silent=True)
        if data is None:
            return refuse(malformed("The request body is not valid JSON."))
    elif request.mimetype in FORM_TYPES:
        data = request.form.to_dict()
    else:
        return refuse(Refusal(
            "unsupported_type", 415,
            "Send the comment as a form (application/x-www-form-urlencoded) or as JSON "
            "(application/json).",
        ))
    outcome = service.submit(
        data,
        origin=request.headers.get("Origin"),
        referer=request.headers.get("Referer"),
        address=request.remote_addr or "",
    )
    if isinstance(outcome, Refusal):
        return refuse(outcome, data if isinstance(data, dict) else {})
    return accepted(outcome)


def accepted(outcome: Accepted):
    comment = outcome.comment
    if wants_json():
        return jsonify(
            status="unverified",
            id=comment.id,
            post=comment.post,
            mail="sent" if outcome.mail_sent else "delayed",
            message=accepted_message(outcome),
        ), 202
    page = render_template(
        "accepted.html", outcome=outcome, message=accepted_message(outcome), config=intake().config
    )
    return page, 202


def accepted_message(outcome):
    if outcome.mail_sent:
        return (
            f"Thank you. We have sent an email to {outcome.comment.email}: open the link in it "
            "to confirm your address. Your comment then awaits the site owner's approval."
        )
    return (
        "Thank you. Your comment is saved, but we could not send the confirmation email just "
        f"now; it will follow at {outcome.comment.email}. You do not need to send the comment again."
    )
