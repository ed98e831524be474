"""The comment service's configuration: ``COMMENT_SERVICE`` in the Pelican settings plus secrets.

Everything that is not secret comes from the settings file (``pelicanconf.py``
or ``publishconf.py``), declared in ``ServiceOptions`` with its defaults (the
table in README.md is generated from it). The signing key and the SMTP
credentials come only from the environment, so they never land in the
repository. Every problem, in the settings or the environment, is reported at
once.
"""

import ipaddress
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from handbill.core.bodies import MAX_LENGTH as MAX_BODY_LENGTH
from handbill.core.comment_settings import CommentSettingsError, load_comment_settings
from handbill.core.settings import SettingsError, at_least, between, collect_settings, one_of, setting

SECRET_VARIABLE = "HANDBILL_COMMENT_SECRET"
# The owner's password for /moderate, as a hash (README.md, "Moderating from a phone"); unset: sign-in links only.
PASSWORD_HASH_VARIABLE = "HANDBILL_MODERATOR_PASSWORD_HASH"
# The bearer token of the sync API (GET /api/comments, views/api.py); unset: the API is off.
SYNC_TOKEN_VARIABLE = "HANDBILL_SYNC_TOKEN"
# Where PUBLISH can deploy to (publishing/settings.py); "" is PUBLISH["target"].
PUBLISH_TARGETS = ("", "directory", "rsync", "git", "archive")
MIN_SECRET_LENGTH = 16
# The only place commenters' email addresses are kept; `.handbill/` is git-ignored.
DEFAULT_DB_PATH = ".handbill/comments.sqlite3"

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ConfigError(SettingsError):
    """Settings or environment variables the service cannot run with; ``problems`` names each."""


def _rate(value):
    match = _RATE.fullmatch(value)
    if not match or int(match.group(1)) < 1:
        return f"must look like '20/hour' (a count per second, minute, hour or day), not {value!r}"
    return None


def _absolute_url(value):
    if value and origin_of(value) is None:
        return f"must be an absolute http(s) URL, not {value!r}"
    return None


def _site_urls(urls):
    for url in urls:
        if origin_of(url) is None:
            return f"{url!r} is not an absolute http(s) URL such as 'https://example.com'"
    return None


def _proxy_address(value):
    # waitress compares the text of the peer's address with this one, so it must be that text exactly.
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return f"must be the IP address the proxy connects from, e.g. '127.0.0.1', not {value!r}"
    if str(address) != value:
        return f"must be written as {str(address)!r}, the way the service sees the address, not {value!r}"
    return None


def _positive(value):
    return None if value > 0 else f"must be a number greater than 0, not {value!r}"


@dataclass(frozen=True)
class ServiceOptions:
    host: str = setting(
        "127.0.0.1",
        "Address waitress listens on.",
        lambda host: None if host else "must be a host name or IP address",
        example="0.0.0.0",
    )
    port: int = setting(8100, "Port waitress listens on.", between(1, 65535, "a port number (1-65535)"),
                        expect="a port number (1-65535)", example=8200)
    threads: int = setting(
        4, "waitress worker threads.", between(1, 64, "a whole number from 1 to 64"), example=8
    )
    public_url: str = setting(
        "",
        "Address visitors reach the service at (used in emailed links). `\"\"`: `COMMENTS[\"service_url\"]`, "
        "else `http://host:port`.",
        _absolute_url,
        example="https://comments.example.com",
    )
    allowed_origins: tuple[str, ...] = setting(
        (),
        "Sites whose pages may post comments and fetch tokens, besides `SITEURL` (when absolute), the "
        "`site_url` of the latest manifest, and the service itself (its refusal pages re-show the form). "
        "When `SITEURL` is relative, the first entry is also the base of links back to the site.",
        _site_urls,
        expect="a list of site URLs",
        example=["http://127.0.0.1:8000"],
    )
    db_path: str = setting(
        DEFAULT_DB_PATH,
        "The database; relative to the project. `.handbill/` is git-ignored.",
        example="/var/lib/handbill/comments.sqlite3",
    )
    manifest_path: str = setting(
        "",
        "The build's list of commentable posts. `\"\"`: `OUTPUT_PATH/comments/manifest.json`.",
        example="/srv/blog/output/comments/manifest.json",
    )
    comments_dir: str = setting(
        "",
        "Where `comments.export` writes records. `\"\"`: `PATH/` + `COMMENTS[\"path\"]`.",
        example="content/comments",
    )
    min_fill_seconds: float = setting(
        3.0,
        "A form sent sooner than this after its token was issued is refused (`too_fast`).",
        at_least(0, "a number of seconds (0 or more)"),
        example=0.5,
    )
    form_token_hours: float = setting(24.0, "How long a form's token stays valid.", _positive, example=48)
    verify_link_hours: float = setting(
        72.0, "How long the emailed confirmation link works.", _positive, example=168
    )
    max_request_bytes: int = setting(
        65536,
        "Larger request bodies are refused (`too_large`).",
        at_least(1024, "a number of bytes (1024 or more)"),
        example=131072,
    )
    body_min_chars: int = setting(
        2, "Shortest comment accepted.", at_least(1, "a whole number of at least 1"), example=10
    )
    body_max_chars: int = setting(
        5000,
        f"Longest comment accepted (at least `body_min_chars`, at most {MAX_BODY_LENGTH:,}: the build refuses longer).",
        between(1, MAX_BODY_LENGTH, f"a whole number from 1 to {MAX_BODY_LENGTH}"),
        example=8000,
    )
    rate_limit_address: str = setting(
        "20/hour",
        "Submissions per network address (kept in memory; `N/second|minute|hour|day`).",
        _rate,
        example="60/day",
    )
    rate_limit_email: str = setting(
        "10/day",
        "Confirmed comments per email address (counted in the database when a comment is stored and again "
        "when it is confirmed, so a stranger who cannot confirm cannot spend someone else's quota).",
        _rate,
        example="3/hour",
    )
    approve_known_commenters: bool = setting(
        False,
        "A verified comment from an address with an approved comment skips moderation. "
        "(`COMMENTS[\"moderation\"] = False` approves every verified comment.)",
        example=True,
    )
    notify_owner: bool = setting(
        True,
        "Email the owner about each verified comment, with Approve, Reject and Reply links, whenever an owner "
        "address is known (`owner_email`). `False`: no notices; comments wait on `/moderate`.",
        example=False,
    )
    owner_digest_hours: float = setting(
        0,
        "Instead of a notice per verified comment, one digest of those waiting at most every this many hours "
        "(`0`: a notice per comment).",
        lambda hours: None if 0 <= hours <= 24 * 7 else "must be a number of hours from 0 to 168",
        example=24,
    )
    owner_email: str = setting(
        "",
        "Where those notices and the moderation page's sign-in links go. `\"\"`: `COMMENTS[\"contact_email\"]`.",
        example="dana@example.com",
    )
    # Moderating from a phone (moderator.py, views/moderate.py).
    action_link_hours: float = setting(
        72.0, "How long the Approve, Reject and Reply links of a notice work (each works once).", _positive,
        example=168,
    )
    sign_in_link_minutes: float = setting(
        15.0, "How long an emailed sign-in link to `/moderate` works (once).", _positive, example=30
    )
    moderator_session_hours: float = setting(
        12.0, "How long a sign-in to `/moderate` lasts.", _positive, example=24
    )
    trusted_proxy: str = setting(
        "",
        "IP address of the reverse proxy in front of the service; requests from it are taken to come from the "
        "address it appends to `X-Forwarded-For` (see \"Behind a reverse proxy\"). `\"\"`: no proxy, "
        "`X-Forwarded-*` headers are dropped.",
        _proxy_address,
        example="127.0.0.1",
    )
    trusted_proxy_count: int = setting(
        1,
        "How many proxies in a row append to `X-Forwarded-For` (the last one being `trusted_proxy`): the "
        "visitor's address is that many entries from the right; entries further left are the visitor's own "
        "claims and are ignored.",
        between(1, 10, "a whole number from 1 to 10"),
        example=2,
    )
    connection_limit: int = setting(
        500,
        "Connections waitress keeps open at once; more wait in the system's queue until one closes. Each "
        "takes a file descriptor: keep it below `ulimit -n`.",
        between(10, 10000, "a whole number from 10 to 10000"),
        example=1000,
    )
    channel_timeout: int = setting(
        30,
        "Seconds a connection may stay silent (no request arriving or running) before waitress closes it, so "
        "idle or abandoned connections cannot fill `connection_limit`.",
        between(1, 3600, "a number of seconds from 1 to 3600"),
        example=60,
    )
    cleanup_interval: int = setting(
        5,
        "How often, in seconds, waitress looks for connections past `channel_timeout`.",
        between(1, 3600, "a number of seconds from 1 to 3600"),
        example=10,
    )
    smtp_timeout: float = setting(10.0, "Seconds to wait for the SMTP server.", _positive, example=30)
    # Publishing on approval (publisher.py).
    publish_on_approve: str = setting(
        "off",
        "`\"off\"`: approved comments wait for `invoke comments.export` and a build. `\"local\"` (the service "
        "runs where the site is built): after approvals it exports the records, builds with `publish_settings` "
        "and deploys to `publish_target`; a failure is emailed to the owner and retried with the next approval "
        "or `invoke comments.publish-now`.",
        one_of("off", "local"),
        example="local",
    )
    publish_settings: str = setting(
        "publishconf.py",
        "The settings file of those builds (its `PUBLISH` says where to deploy); relative to the project.",
        example="/srv/blog/publishconf.py",
    )
    publish_target: str = setting(
        "",
        "The `PUBLISH` target they deploy to (`directory`, `rsync`, `git`, `archive`). `\"\"`: `PUBLISH[\"target\"]`.",
        one_of(*PUBLISH_TARGETS),
        example="rsync",
    )
    publish_debounce_seconds: float = setting(
        10.0,
        "Approvals within this many seconds of the first one make one build.",
        at_least(0, "a number of seconds (0 or more)"),
        example=30,
    )


@dataclass(frozen=True)
class RateLimit:
    limit: int
    window_seconds: int

    def __str__(self):
        period = next(name for name, seconds in _PERIODS.items() if seconds == self.window_seconds)
        return f"{self.limit}/{period}"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str
    password: str = field(repr=False)
    sender: str
    starttls: bool
    timeout: float


@dataclass(frozen=True)
class ServiceConfig:
    host: str
    port: int
    threads: int
    public_url: str
    site_url: str
    allowed_origins: frozenset
    db_path: Path
    manifest_path: Path
    comments_dir: Path
    min_fill_seconds: float
    form_token_seconds: float
    verify_link_seconds: float
    max_request_bytes: int
    body_min_chars: int
    body_max_chars: int
    rate_limit_address: RateLimit
    rate_limit_email: RateLimit
    approve_known_commenters: bool
    notify_owner: bool
    owner_digest_hours: float
    owner_email: str
    action_link_seconds: float
    sign_in_link_seconds: float
    moderator_session_seconds: float
    owner_name: str
    site_name: str
    trusted_proxy: str
    trusted_proxy_count: int
    connection_limit: int
    channel_timeout: int
    cleanup_interval: int
    comments: object  # comments.settings.CommentSettings: the policy the build applies too
    secret_key: str = field(repr=False)
    smtp: SmtpSettings | None
    # Publishing on approval (publisher.py) and the sync API (views/api.py).
    project_root: Path = Path()
    publish_on_approve: str = "off"
    publish_settings: Path = Path("publishconf.py")
    publish_target: str = ""
    publish_debounce_seconds: float = 10.0
    sync_token: str = field(default="", repr=False)
    # Moderating from a phone: werkzeug.security.generate_password_hash of the owner's password.
    moderator_password_hash: str = field(default="", repr=False)

    def require_secret(self):
        """The signing key, or a ConfigError saying how to set one."""
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            problem = "is not set" if not self.secret_key else "is too short"
            raise ConfigError(
                f"{SECRET_VARIABLE} {problem}: set it to a long random string (at least "
                f"{MIN_SECRET_LENGTH} characters), e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
            )
        return self.secret_key

    def require_smtp(self):
        if self.smtp is None:
            raise ConfigError(
                "HANDBILL_SMTP_HOST and HANDBILL_SMTP_FROM must be set: the service emails "
                "every commenter a link to confirm their address"
            )
        return self.smtp


def origin_of(url):
    """``scheme://host[:port]`` of an absolute http(s) URL, lower-cased, default port dropped; else None."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    default_port = 443 if parts.scheme.lower() == "https" else 80
    suffix = f":{port}" if port and port != default_port else ""
    return f"{parts.scheme.lower()}://{host}{suffix}"


def _rate_limit(text):
    match = _RATE.fullmatch(text)
    return RateLimit(int(match.group(1)), _PERIODS[match.group(2)])


def load_service_config(settings, environ=None, base_dir=None):
    """The ServiceConfig for Pelican ``settings`` (a dict) and ``environ`` (default os.environ).

    Relative paths in ``COMMENT_SERVICE`` are taken from ``base_dir`` (default:
    the settings' PROJECT_ROOT, else the current directory). Raises ConfigError
    naming every bad setting and environment variable.
    """
    environ = os.environ if environ is None else environ
    base_dir = Path(base_dir or settings.get("PROJECT_ROOT") or Path.cwd())
    options, problems = collect_settings(ServiceOptions, settings.get("COMMENT_SERVICE"), "COMMENT_SERVICE")
    try:
        comment_settings = load_comment_settings(settings)
    except CommentSettingsError as error:
        problems += error.problems
        comment_settings = error.settings
    if options.body_max_chars < options.body_min_chars:
        problems.append(
            f'COMMENT_SERVICE["body_max_chars"] must be a whole number of at least {options.body_min_chars}, '
            f"not {options.body_max_chars!r}"
        )

    public_url = options.public_url or comment_settings.service_url or f"http://{options.host}:{options.port}"
    if origin_of(public_url) is None:
        problems.append(
            f'COMMENT_SERVICE["public_url"] (or COMMENTS["service_url"]) must be an absolute '
            f"http(s) URL, not {public_url!r}"
        )
    public_url = public_url.rstrip("/")
    origins = {origin_of(public_url), *map(origin_of, options.allowed_origins)} - {None}
    # Links back to the site need an absolute address: SITEURL when it is one (production),
    # else the first allowed origin (a development server).
    site_url = str(settings.get("SITEURL") or "")
    if origin_of(site_url):
        origins.add(origin_of(site_url))
    else:
        site_url = options.allowed_origins[0] if options.allowed_origins else ""

    def path(value, default):
        chosen = Path(value or default).expanduser()
        return chosen if chosen.is_absolute() else base_dir / chosen

    output_path = Path(settings.get("OUTPUT_PATH") or base_dir / "output")
    content_path = Path(settings.get("PATH") or base_dir / "content")
    smtp = _smtp_from_environment(environ, options.smtp_timeout, problems)
    if problems:
        raise ConfigError(problems, options)
    return ServiceConfig(
        host=options.host,
        port=options.port,
        threads=options.threads,
        public_url=public_url,
        site_url=site_url.rstrip("/"),
        allowed_origins=frozenset(origins),
        db_path=path(options.db_path, DEFAULT_DB_PATH),
        manifest_path=path(options.manifest_path, output_path / "comments" / "manifest.json"),
        comments_dir=path(options.comments_dir, content_path / comment_settings.path),
        min_fill_seconds=options.min_fill_seconds,
        form_token_seconds=options.form_token_hours * 3600,
        verify_link_seconds=options.verify_link_hours * 3600,
        max_request_bytes=options.max_request_bytes,
        body_min_chars=options.body_min_chars,
        body_max_chars=options.body_max_chars,
        rate_limit_address=_rate_limit(options.rate_limit_address),
        rate_limit_email=_rate_limit(options.rate_limit_email),
        approve_known_commenters=options.approve_known_commenters,
        notify_owner=options.notify_owner,
        owner_digest_hours=options.owner_digest_hours,
        owner_email=options.owner_email or comment_settings.contact_email,
        action_link_seconds=options.action_link_hours * 3600,
        sign_in_link_seconds=options.sign_in_link_minutes * 60,
        moderator_session_seconds=options.moderator_session_hours * 3600,
        owner_name=str(settings.get("AUTHOR") or "Site owner"),
        site_name=str(settings.get("SITENAME") or ""),
        trusted_proxy=options.trusted_proxy,
        trusted_proxy_count=options.trusted_proxy_count,
        connection_limit=options.connection_limit,
        channel_timeout=options.channel_timeout,
        cleanup_interval=options.cleanup_interval,
        comments=comment_settings,
        secret_key=environ.get(SECRET_VARIABLE, ""),
        smtp=smtp,
        project_root=base_dir,
        publish_on_approve=options.publish_on_approve,
        publish_settings=path(options.publish_settings, "publishconf.py"),
        publish_target=options.publish_target,
        publish_debounce_seconds=options.publish_debounce_seconds,
        sync_token=environ.get(SYNC_TOKEN_VARIABLE, "").strip(),
        moderator_password_hash=environ.get(PASSWORD_HASH_VARIABLE, "").strip(),
    )


def _smtp_from_environment(environ, timeout, problems):
    """The SMTP settings from the environment, or None when the server is not set."""
    host = environ.get("HANDBILL_SMTP_HOST", "").strip()
    sender = environ.get("HANDBILL_SMTP_FROM", "").strip()
    if not host or not sender:
        return None
    starttls_text = environ.get("HANDBILL_SMTP_STARTTLS", "").strip().lower()
    if starttls_text not in _TRUE | _FALSE:
        problems.append(f"HANDBILL_SMTP_STARTTLS must be true or false, not {starttls_text!r}")
    starttls = starttls_text in _TRUE
    port_text = environ.get("HANDBILL_SMTP_PORT", "").strip() or ("587" if starttls else "25")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        problems.append(f"HANDBILL_SMTP_PORT must be a port number, not {port_text!r}")
        return None
    return SmtpSettings(
        host=host,
        port=int(port_text),
        user=environ.get("HANDBILL_SMTP_USER", ""),
        password=environ.get("HANDBILL_SMTP_PASSWORD", ""),
        sender=sender,
        starttls=starttls,
        timeout=timeout,
    )


def load_service_config_from_file(settings_file, environ=None):
    """Read a Pelican settings file as the build does and build the ServiceConfig."""
    from pelican.settings import read_settings

    settings_file = Path(settings_file).resolve()
    if not settings_file.is_file():
        raise ConfigError(f"settings file {settings_file} does not exist")
    try:
        settings = read_settings(str(settings_file))
    except ValueError as error:  # Pelican's word for a content folder that does not exist
        raise ConfigError(f"{settings_file}: {error}") from None
    return load_service_config(settings, environ, base_dir=settings.get("PROJECT_ROOT") or settings_file.parent)
