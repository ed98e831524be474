"""The comment service's web app (Flask), served by waitress.

``create_app`` is the application factory: it builds the app's CommentIntake (store, tokens,
mail sender, rate limiter), keeps it in ``app.extensions``, starts the mail sender (the thread
delivering the outbox; ``intake.mail_sender.stop()`` stops it), and registers the blueprints of
``views`` (the routes: ``/token``, ``/comments``, ``/verify/<token>``, ``/health``) and the
hooks every answer goes through: CORS and security headers, and the error handlers that turn
every error, down to a bug, into a documented refusal. ``serve`` runs it under waitress.
"""

import logging

from flask import Flask, current_app, request
from pelican.log import LimitFilter
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from .config import origin_of
from .intake import CommentIntake
from .mailer import Mailer
from .manifest import ManifestError, ManifestFile
from .moderator import DESK, ModerationDesk
from .notify import Notifier
from .publish_hook import PUBLISH_HOOK, PublishHook
from .ratelimit import SlidingWindowLimiter
from .sender import MailSender
from .store import Store
from .tokens import OwnerTokens, Tokens
from .validation import Refusal
from .views import BLUEPRINTS
from .views.responses import EXTENSION, intake, refuse
from .visits import VISITS, VisitCounter

logger = logging.getLogger(__name__)

# What a page of the service may load and where its form may post; the
# Referrer-Policy keeps verification tokens out of other sites' logs.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# The loggers of the service's process: ours, and the server's.
SERVICE_LOGGERS = ("handbill.", "waitress")
# Only the form's endpoints answer other origins; the verification pages are the service's own.
CORS_PATHS = ("/token", "/comments")
NONE = "'none'"


def build_sender(config, store, mailer=None):
    """The MailSender (not started) for ``config``, writing emails with its tokens and manifest;
    also what ``invoke comments.retry-mail`` sends with."""
    tokens = Tokens(
        config.require_secret(),
        form_max_age=config.form_token_seconds,
        min_fill_seconds=config.min_fill_seconds,
        verify_max_age=config.verify_link_seconds,
    )
    notifier = Notifier(
        config, tokens, ManifestFile(config.manifest_path), owner_tokens=OwnerTokens.for_config(config), store=store
    )
    return MailSender(store, notifier, mailer or Mailer(config.require_smtp()))


def create_app(config, *, store=None, mailer=None, publish_hook=None):
    """The Flask app for ``config`` (a ServiceConfig), its mail sender running;
    ``store``/``mailer`` default to the configured ones, ``publish_hook`` (told of every
    approval, publish_hook.py) to one that publishes nothing."""
    config.require_secret()  # before anything touches the disk
    store = store or Store(config.db_path).initialize()
    mail_sender = build_sender(config, store, mailer)
    notifier = mail_sender.notifier
    limit = config.rate_limit_address
    comment_intake = CommentIntake(
        config,
        store,
        notifier.tokens,
        mail_sender,
        manifest_file=notifier.manifest_file,
        address_limiter=SlidingWindowLimiter(limit.limit, limit.window_seconds),
    )

    app = Flask(__name__)
    # Flask refuses a larger body with 413 before anything reads it.
    app.config["MAX_CONTENT_LENGTH"] = config.max_request_bytes
    # Worked out once: add_headers puts it on every answer.
    # The site's origin: pages drawn in the site's layout (service_layout.py) load its
    # stylesheets, fonts and logo from there.
    site = origin_of(config.site_url)
    app.config["CONTENT_SECURITY_POLICY"] = (
        f"default-src 'none'; style-src 'unsafe-inline' {site or ''}; "
        f"font-src {site or NONE}; img-src {site or NONE}; "
        "frame-ancestors 'none'; "
        f"form-action {origin_of(config.public_url)}; base-uri 'none'"
    )
    app.extensions[EXTENSION] = comment_intake
    app.extensions[PUBLISH_HOOK] = publish_hook or PublishHook()
    app.extensions[VISITS] = VisitCounter(store, notifier.manifest_file, clock=comment_intake.clock)
    app.extensions[DESK] = ModerationDesk(
        config, store, notifier.owner_tokens, app.extensions[PUBLISH_HOOK], mail_sender.mailer,
        clock=comment_intake.clock,
    )
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    app.after_request(add_headers)
    register_error_handlers(app)
    log_every_message()
    # Last, so that an app that failed to build leaves no thread behind.
    mail_sender.start()
    return app


def log_every_message():
    """Take Pelican's once-only filter off the service's loggers.

    Importing Pelican makes every logger created afterwards drop any INFO or
    WARNING message it logged before, for the life of the process, and keep
    each one in memory: right for one build, wrong for a service that logs
    each refusal and would hold every address it ever refused.
    """
    for name, candidate in list(logging.Logger.manager.loggerDict.items()):
        if name.startswith(SERVICE_LOGGERS) and isinstance(candidate, logging.Logger):
            for once_only in [f for f in candidate.filters if isinstance(f, LimitFilter)]:
                candidate.removeFilter(once_only)


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


def register_error_handlers(app):
    """Every error answers a documented refusal (README.md, "Refusals"), as JSON or as a page."""
    app.register_error_handler(RequestEntityTooLarge, too_large)
    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected_error)


# The refusals of the HTTP errors Flask raises before a view runs (any other: http_error).
HTTP_REFUSALS = {
    400: ("malformed", "The request could not be read: its headers or its body are not well formed."),
    404: ("not_found", "There is nothing at this address. Open the post on the site to comment on it."),
    405: ("method_not_allowed", "This address does not take {method} requests."),
}
UNEXPECTED = Refusal(
    "internal_error", 500,
    "The comment service ran into a problem it did not expect and could not finish your request. "
    "Please try again later; if you were sending a comment, your browser's Back button brings back your text.",
)


def http_error(error):
    code, message = HTTP_REFUSALS.get(error.code, ("http_error", "The request was refused ({status} {name})."))
    message = message.format(method=request.method, status=error.code, name=error.name)
    response = refuse(Refusal(code, error.code, message))
    for name, value in error.get_headers():
        if name != "Content-Type":
            response.headers[name] = value  # Allow, on a 405
    return response


def unexpected_error(error):
    """The last resort: a bug still answers a documented 500, its traceback in the log and not in the answer."""
    logger.error("Unexpected error on %s %s", request.method, request.path, exc_info=error)
    return refuse(UNEXPECTED)


def too_large(_error):
    return refuse(Refusal(
        "too_large", 413,
        f"The comment is too large to send (the limit is {intake().config.max_request_bytes // 1024} KB). "
        "Go back with your browser's Back button to find your text, and shorten it.",
    ))


# waitress reads a request's headers and body whole before the app sees them: these bound what
# one request can make it hold. It cuts off bodies over BODY_CUTOFF_MULTIPLE times
# max_request_bytes; smaller ones still reach the app, which refuses those over the limit with
# its own answer (too_large).
MAX_REQUEST_HEADER_BYTES = 32768
BODY_CUTOFF_MULTIPLE = 2


def waitress_options(config):
    """How waitress serves the app for ``config``, besides where it listens."""
    options = {
        "threads": config.threads,
        "ident": "handbill-comments",
        "connection_limit": config.connection_limit,
        "channel_timeout": config.channel_timeout,
        "cleanup_interval": config.cleanup_interval,
        "max_request_header_size": MAX_REQUEST_HEADER_BYTES,
        "max_request_body_size": config.max_request_bytes * BODY_CUTOFF_MULTIPLE,
        # select() cannot watch file descriptors past 1023, so a large connection_limit needs poll().
        "asyncore_use_poll": True,
        # Without a trusted proxy, every X-Forwarded-* and Forwarded header is dropped.
        "clear_untrusted_proxy_headers": True,
    }
    if config.trusted_proxy:
        # From the trusted proxy, REMOTE_ADDR becomes the X-Forwarded-For entry trusted_proxy_count
        # from the right: the address the first of the proxies saw. Entries further left are whatever
        # the visitor sent and are ignored; the other proxy headers stay untrusted and are dropped.
        options |= {
            "trusted_proxy": config.trusted_proxy,
            "trusted_proxy_count": config.trusted_proxy_count,
            "trusted_proxy_headers": {"x-forwarded-for"},
        }
    return options


def serve(config):
    """Serve the app with waitress until interrupted (``invoke comments.serve``)."""
    import waitress

    from .publisher import publisher_for

    publisher = publisher_for(config)  # None unless publish_on_approve is "local"
    app = create_app(config, publish_hook=publisher)
    if publisher is not None:
        publisher.start()
    logger.info(
        "Comment service on http://%s:%d (public address %s), database %s, manifest %s",
        config.host, config.port, config.public_url, config.db_path, config.manifest_path,
    )
    try:
        ManifestFile(config.manifest_path).load()
    except ManifestError as error:
        logger.error("%s; until then every comment is refused with 503 not_ready", error)
    try:
        waitress.serve(app, host=config.host, port=config.port, **waitress_options(config))
    finally:
        # A mail being sent finishes and is recorded; the rest waits in the outbox for the next start.
        app.extensions[EXTENSION].mail_sender.stop()
        if publisher is not None:
            publisher.stop()  # a build that runs is finished (a deploy is never cut in half)
