"""The form's side of the service.

- ``GET /token?post=<slug>``: a fresh signed form token, as JSON, with CORS for the site's origins.
- ``POST /comments``: a comment from the form (form-encoded: answers with an HTML page) or
  from a script (JSON: answers with JSON). 202 when accepted; refusals as in README.md.
"""

import json
import math

from flask import Blueprint, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from handbill.comment_service.config import origin_of
from handbill.comment_service.intake import Accepted
from handbill.comment_service.ratelimit import network_of
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
        data = json_body()
        if isinstance(data, Refusal):
            return refuse(data)
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
        address=network_of(request.remote_addr or ""),
    )
    if isinstance(outcome, Refusal):
        return refuse(outcome, data if isinstance(data, dict) else {})
    return accepted(outcome)


def json_body():
    """The request body's JSON document, or the Refusal saying it is not one.

    Parsed here rather than by ``request.get_json``, which lets the parser's RecursionError
    (arrays nested a few thousand deep) through as a server error.
    """
    try:
        return json.loads(request.get_data())
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return malformed("The request body is not valid JSON, or nests too deeply to read.")


def accepted(outcome: Accepted):
    comment = outcome.comment
    if wants_json():
        return jsonify(
            status="unverified",
            id=comment.id,
            post=comment.post,
            mail=outcome.mail,
            message=accepted_message(outcome),
        ), 202
    page = render_template(
        "accepted.html", outcome=outcome, message=accepted_message(outcome), config=intake().config
    )
    return page, 202


def accepted_message(outcome):
    # The email is queued, not sent: the service's mail sender sends it (and retries) on its own.
    if outcome.mail == "queued":
        return (
            f"Thank you. Your comment is saved, and an email to {outcome.comment.email} is on its way: "
            "open the link in it to confirm your address. Your comment then awaits the site owner's approval."
        )
    return (
        f"Thank you. Your comment is saved. Several confirmation emails went to {outcome.comment.email} "
        f"recently, so the link for this comment follows in the next one, within {outcome.mail_wait}. "
        "You do not need to send the comment again."
    )
