"""The comment service's web app (Flask), served by waitress.

Routes:

- ``GET /token?post=<slug>``: a fresh signed form token, as JSON, with CORS for the site's origins.
- ``POST /comments``: a comment from the form (form-encoded: answers with an HTML page) or
  from a script (JSON: answers with JSON). 202 when accepted; refusals as in README.md.
- ``GET /verify/<token>``: the link emailed to the commenter: a page with a button, changing
  nothing (mail scanners open links by themselves);
- ``POST /verify/<token>``: that button, which confirms the comment.
- ``GET /health``: a trivial liveness answer (also the load benchmark's baseline).
"""

import logging
import math

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import RequestEntityTooLarge

from .config import origin_of
from .intake import Accepted, CommentIntake
from .mailer import Mailer
from .manifest import ManifestError, ManifestFile
from .notify import Notifier
from .ratelimit import SlidingWindowLimiter
from .store import Store
from .tokens import Tokens
from .validation import FORM_FIELDS, HONEYPOT_FIELD, Refusal, malformed

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# What a page of the service may load and where its form may post; the
# Referrer-Policy keeps verification tokens out of other sites' logs.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Statuses of the verification page, per outcome of CommentIntake.look_up and .confirm.
VERIFY_STATUSES = {
    "confirm": 200, "confirmed": 200, "already_confirmed": 200, "approved": 200, "rejected": 200,
    "invalid": 400, "foreign_origin": 403, "unknown": 404, "expired": 410, "busy": 503,
}


def build_notifier(config, store, mailer=None):
    """The Notifier (with its tokens and manifest) for ``config``; also used by retry-mail."""
    tokens = Tokens(
        config.require_secret(),
        form_max_age=config.form_token_seconds,
        min_fill_seconds=config.min_fill_seconds,
        verify_max_age=config.verify_link_seconds,
    )
    mailer = mailer or Mailer(config.require_smtp())
    return Notifier(config, store, mailer, tokens, ManifestFile(config.manifest_path))


def create_app(config, *, store=None, mailer=None):
    """The Flask app for ``config`` (a ServiceConfig); ``store``/``mailer`` default to the configured ones."""
    config.require_secret()  # before anything touches the disk
    store = store or Store(config.db_path).initialize()
    notifier = build_notifier(config, store, mailer)
    limit = config.rate_limit_address
    intake = CommentIntake(
        config,
        store,
        notifier.tokens,
        notifier,
        manifest_file=notifier.manifest_file,
        address_limiter=SlidingWindowLimiter(limit.limit, limit.window_seconds),
    )

    app = Flask(__name__)
    # Flask refuses a larger body with 413 before anything reads it.
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    app.extensions["handbill_comments"] = intake
    csp = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
        f"form-action {origin_of(config.public_url)}; base-uri 'none'"
    )

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
            response = app.make_response(render_refusal(refusal, data or {}))
        response.status_code = refusal.status
        if refusal.retry_after:
            response.headers["Retry-After"] = str(refusal.retry_after)
        logger.info("Refused %s %s from %s: %s", request.method, request.path, request.remote_addr, refusal.code)
        return response

    def render_refusal(refusal, data):
        values = {name: str(data.get(name) or "") for name in FORM_FIELDS if name not in (HONEYPOT_FIELD, "token")}
        # The form comes back only if the post takes comments (and the request came from the
        # site itself); a fresh token makes it sendable again.
        post, token = (None, "") if refusal.code == "foreign_origin" else intake.fresh_form(values["post"])
        return render_template(
            "refused.html",
            refusal=refusal,
            values=values,
            token=token,
            post_title=post.title if post else "",
            post_url=intake.post_url(post) if post else config.site_url,
            action=f"{config.public_url}/comments",
            config=config,
        )

    @app.after_request
    def add_headers(response):
        origin = request.headers.get("Origin")
        if origin and origin_of(origin) in intake.allowed_origins() and request.path in ("/token", "/comments"):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = "GET, POST"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = "600"
        response.vary.add("Origin")
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        response.headers.setdefault("Content-Security-Policy", csp)
        return response

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error):
        return refuse(Refusal(
            "too_large", 413,
            f"The comment is too large to send (the limit is {config.max_request_bytes // 1024} KB). "
            "Go back with your browser's Back button to find your text, and shorten it.",
        ))

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    @app.get("/token")
    def token():
        origin = request.headers.get("Origin")
        if origin and origin_of(origin) not in intake.allowed_origins():
            return refuse(Refusal("foreign_origin", 403, "Form tokens are only given to this site's own pages."))
        slug = request.args.get("post", "").strip()
        if not slug:
            return refuse(malformed("Say which post the form is for: /token?post=<slug>.", "post"))
        issued = intake.issue_token(slug)
        if isinstance(issued, Refusal):
            return refuse(issued)
        response = jsonify(
            token=issued,
            post=slug,
            expires_in=math.floor(config.form_token_seconds),
            min_fill_seconds=config.min_fill_seconds,
        )
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.post("/comments")
    def submit():
        if request.content_length is not None and request.content_length > config.max_request_bytes:
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
        outcome = intake.submit(
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
            "accepted.html", outcome=outcome, message=accepted_message(outcome), config=config
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

    @app.get("/verify/<token>")
    def verify_page(token):
        return verification_page(intake.look_up(token))

    @app.post("/verify/<token>")
    def verify(token):
        verification = intake.confirm(
            token, origin=request.headers.get("Origin"), referer=request.headers.get("Referer")
        )
        if verification.outcome == "foreign_origin":
            logger.info("Refused %s %s from %s: foreign_origin", request.method, request.path, request.remote_addr)
        return verification_page(verification)

    def verification_page(verification):
        response = app.make_response((
            render_template("verified.html", verification=verification, config=config),
            VERIFY_STATUSES[verification.outcome],
        ))
        response.headers["Cache-Control"] = "no-store"
        if verification.outcome == "confirm":
            # The page posts its button back here: under no-referrer, browsers would send
            # "Origin: null" with it; same-origin still keeps the link's token from other sites.
            response.headers["Referrer-Policy"] = "same-origin"
        return response

    return app


def serve(config):
    """Serve the app with waitress until interrupted (``invoke comments.serve``)."""
    import waitress

    app = create_app(config)
    logger.info(
        "Comment service on http://%s:%d (public address %s), database %s, manifest %s",
        config.host, config.port, config.public_url, config.db_path, config.manifest_path,
    )
    try:
        ManifestFile(config.manifest_path).load()
    except ManifestError as error:
        logger.error("%s; until then every comment is refused with 503 not_ready", error)
    options = {"trusted_proxy": config.trusted_proxy, "trusted_proxy_headers": "x-forwarded-for"}
    waitress.serve(
        app,
        host=config.host,
        port=config.port,
        threads=config.threads,
        ident="handbill-comments",
        **(options if config.trusted_proxy else {}),
    )
