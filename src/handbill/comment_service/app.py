"""The comment service's web app (Flask), served by waitress.

``create_app`` is the application factory: it builds the app's CommentIntake (store, tokens,
notifier, rate limiter), keeps it in ``app.extensions``, and registers the blueprints of
``views`` (the routes: ``/token``, ``/comments``, ``/verify/<token>``, ``/health``) and the
hooks every answer goes through: CORS and security headers, and the ``too_large`` refusal.
"""

import logging

from flask import Flask, current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from .config import origin_of
from .intake import CommentIntake
from .mailer import Mailer
from .manifest import ManifestError, ManifestFile
from .notify import Notifier
from .ratelimit import SlidingWindowLimiter
from .store import Store
from .tokens import Tokens
from .validation import Refusal
from .views import BLUEPRINTS
from .views.responses import EXTENSION, intake, refuse

logger = logging.getLogger(__name__)

# What a page of the service may load and where its form may post; the
# Referrer-Policy keeps verification tokens out of other sites' logs.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# Only the form's endpoints answer other origins; the verification pages are the service's own.
CORS_PATHS = ("/token", "/comments")


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
    comment_intake = CommentIntake(
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
    # Worked out once: add_headers puts it on every answer.
    app.config["CONTENT_SECURITY_POLICY"] = (
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; "
        f"form-action {origin_of(config.public_url)}; base-uri 'none'"
    )
    app.extensions[EXTENSION] = comment_intake
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.after_request(add_headers)
    app.register_error_handler(RequestEntityTooLarge, too_large)
    return app


def add_headers(response):
    origin = request.headers.get("Origin")
    if origin and origin_of(origin) in intake().allowed_origins() and request.path in CORS_PATHS:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = "GET, POST"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Access-Control-Max-Age"] = "600"
    response.vary.add("Origin")
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    response.headers.setdefault("Content-Security-Policy", current_app.config["CONTENT_SECURITY_POLICY"])
    return response


def too_large(_error):
    return refuse(Refusal(
        "too_large", 413,
        f"The comment is too large to send (the limit is {intake().config.max_request_bytes // 1024} KB). "
        "Go back with your browser's Back button to find your text, and shorten it.",
    ))


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
