"""What the blueprints share: the app's CommentIntake and the answers to a refused request."""

import logging

from flask import current_app, jsonify, make_response, render_template, request

from handbill.comment_service.validation import FORM_FIELDS, HONEYPOT_FIELD

logger = logging.getLogger(__name__)

# The key of the app's CommentIntake in ``app.extensions`` (the tests reach its store there too).
EXTENSION = "handbill_comments"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def intake():
    """The CommentIntake of the app handling this request; its ``config`` is the ServiceConfig."""
    return current_app.extensions[EXTENSION]


def wants_json():
    if request.mimetype == "application/json":
        return True
    if request.mimetype in FORM_TYPES:
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best != "text/html"


def refuse(refusal, data=None):
    if wants_json():
        response = jsonify(refusal.as_json())
    else:
        response = make_response(render_refusal(refusal, data or {}))
    response.status_code = refusal.status
    if refusal.retry_after:
        response.headers["Retry-After"] = str(refusal.retry_after)
    logger.info("Refused %s %s from %s: %s", request.method, request.path, request.remote_addr, refusal.code)
    return response


def render_refusal(refusal, data):
    service = intake()
    config = service.config
    if request.endpoint != "comments.submit":
        # Not a comment from the form (an unknown address, a token asked for by hand): no form to give back.
        return render_template("error.html", refusal=refusal, config=config)
    values = {name: str(data.get(name) or "") for name in FORM_FIELDS if name not in (HONEYPOT_FIELD, "token")}
    # The form comes back only if the post takes comments (and the request came from the
    # site itself); a fresh token makes it sendable again.
    post, token = (None, "") if refusal.code == "foreign_origin" else service.fresh_form(values["post"])
    return render_template(
        "refused.html",
        refusal=refusal,
        values=values,
        token=token,
        post_title=post.title if post else "",
        post_url=service.post_url(post) if post else config.site_url,
        action=f"{config.public_url}/comments",
        config=config,
    )
