"""The comment service's configuration: ``COMMENT_SERVICE`` in the Pelican settings plus secrets.

Everything that is not secret comes from the settings file (``pelicanconf.py``
or ``publishconf.py``), read once here with documented defaults (see
README.md). The signing key and the SMTP credentials come only from the
environment, so they never land in the repository.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from handbill.core.comment_settings import CommentSettingsError, load_comment_settings

SECRET_VARIABLE = "HANDBILL_COMMENT_SECRET"
MIN_SECRET_LENGTH = 16

DEFAULTS = {
    "host": "127.0.0.1",
    "port": 8100,
    "threads": 4,
    "public_url": "",
    "allowed_origins": [],
    "db_path": ".handbill/comments.sqlite3",
    "manifest_path": "",
    "comments_dir": "",
    "min_fill_seconds": 3.0,
    "form_token_hours": 24.0,
    "verify_link_hours": 72.0,
    "max_request_bytes": 65536,
    "body_min_chars": 2,
    "body_max_chars": 5000,
    "rate_limit_address": "20/hour",
    "rate_limit_email": "10/day",
    "approve_known_commenters": False,
    "notify_owner": False,
    "owner_email": "",
    "trusted_proxy": "",
    "smtp_timeout": 10.0,
}

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}
_RATE = re.compile(r"\s*(\d+)\s*/\s*(second|minute|hour|day)\s*")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"", "0", "false", "no", "off"}


class ConfigError(ValueError):
    """A setting or environment variable the service cannot run with; the message names it."""


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
    owner_email: str
    owner_name: str
    site_name: str
    trusted_proxy: str
    comments: object  # comments.settings.CommentSettings: the policy the build applies too
    secret_key: str = field(repr=False)
    smtp: SmtpSettings | None

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


def load_service_config(settings, environ=None, base_dir=None):
    """The ServiceConfig for Pelican ``settings`` (a dict) and ``environ`` (default os.environ).

    Relative paths in ``COMMENT_SERVICE`` are taken from ``base_dir`` (default:
    the settings' PROJECT_ROOT, else the current directory).
    """
    environ = os.environ if environ is None else environ
    base_dir = Path(base_dir or settings.get("PROJECT_ROOT") or Path.cwd())
    raw = settings.get("COMMENT_SERVICE") or {}
    if not isinstance(raw, dict):
        raise ConfigError(f"COMMENT_SERVICE must be a dict, got {type(raw).__name__}")
    unknown = sorted(set(raw) - set(DEFAULTS))
    if unknown:
        raise ConfigError(
            f"COMMENT_SERVICE: unknown key(s) {', '.join(map(repr, unknown))}; "
            f"known keys: {', '.join(DEFAULTS)}"
        )
    values = {**DEFAULTS, **raw}
    try:
        comment_settings = load_comment_settings(settings)
    except CommentSettingsError as error:
        raise ConfigError(str(error)) from None

    def setting(key, kind, check=None, explain=""):
        value = values[key]
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            raise ConfigError(f"COMMENT_SERVICE['{key}'] must be {explain or kind.__name__}, got {value!r}")
        if check is not None and not check(value):
            raise ConfigError(f"COMMENT_SERVICE['{key}'] must be {explain}, got {value!r}")
        return value

    def path_setting(key, default):
        value = setting(key, str) or str(default)
        path = Path(value).expanduser()
        return path if path.is_absolute() else base_dir / path

    def rate_setting(key):
        match = _RATE.fullmatch(setting(key, str))
        if not match or int(match.group(1)) < 1:
            raise ConfigError(
                f"COMMENT_SERVICE['{key}'] must look like '20/hour' (a count per second, minute, "
                f"hour or day), got {values[key]!r}"
            )
        return RateLimit(int(match.group(1)), _PERIODS[match.group(2)])

    host = setting("host", str, bool, "a host name or IP address")
    port = setting("port", int, lambda p: 0 < p < 65536, "a port number (1-65535)")
    public_url = setting("public_url", str) or comment_settings.service_url or f"http://{host}:{port}"
    if origin_of(public_url) is None:
        raise ConfigError(
            f"COMMENT_SERVICE['public_url'] (or COMMENTS['service_url']) must be an absolute "
            f"http(s) URL, got {public_url!r}"
        )
    public_url = public_url.rstrip("/")

    origins = {origin_of(public_url)}
    extra = setting("allowed_origins", (list, tuple), explain="a list of site URLs")
    for url in extra:
        if not isinstance(url, str) or origin_of(url) is None:
            raise ConfigError(
                f"COMMENT_SERVICE['allowed_origins']: {url!r} is not an absolute http(s) URL "
                "such as 'https://example.com'"
            )
        origins.add(origin_of(url))
    # Links back to the site need an absolute address: SITEURL when it is one (production),
    # else the first allowed origin (a development server).
    site_url = str(settings.get("SITEURL") or "")
    if origin_of(site_url):
        origins.add(origin_of(site_url))
    else:
        site_url = extra[0] if extra else ""

    output_path = Path(settings.get("OUTPUT_PATH") or base_dir / "output")
    content_path = Path(settings.get("PATH") or base_dir / "content")
    body_min = setting("body_min_chars", int, lambda n: n >= 1, "a whole number of at least 1")
    body_max = setting("body_max_chars", int, lambda n: n >= body_min, f"a whole number of at least {body_min}")
    positive = "a number greater than 0"
    return ServiceConfig(
        host=host,
        port=port,
        threads=setting("threads", int, lambda n: 1 <= n <= 64, "a whole number from 1 to 64"),
        public_url=public_url,
        site_url=site_url.rstrip("/"),
        allowed_origins=frozenset(origins),
        db_path=path_setting("db_path", DEFAULTS["db_path"]),
        manifest_path=path_setting("manifest_path", output_path / "comments" / "manifest.json"),
        comments_dir=path_setting("comments_dir", content_path / comment_settings.path),
        min_fill_seconds=setting("min_fill_seconds", float, lambda s: s >= 0, "a number of seconds (0 or more)"),
        form_token_seconds=setting("form_token_hours", float, lambda h: h > 0, positive) * 3600,
        verify_link_seconds=setting("verify_link_hours", float, lambda h: h > 0, positive) * 3600,
        max_request_bytes=setting("max_request_bytes", int, lambda n: n >= 1024, "a number of bytes (1024 or more)"),
        body_min_chars=body_min,
        body_max_chars=body_max,
        rate_limit_address=rate_setting("rate_limit_address"),
        rate_limit_email=rate_setting("rate_limit_email"),
        approve_known_commenters=setting("approve_known_commenters", bool),
        notify_owner=setting("notify_owner", bool),
        owner_email=setting("owner_email", str) or comment_settings.contact_email,
        owner_name=str(settings.get("AUTHOR") or "Site owner"),
        site_name=str(settings.get("SITENAME") or ""),
        trusted_proxy=setting("trusted_proxy", str),
        comments=comment_settings,
        secret_key=environ.get(SECRET_VARIABLE, ""),
        smtp=_smtp_from_environment(environ, setting("smtp_timeout", float, lambda s: s > 0, positive)),
    )


def _smtp_from_environment(environ, timeout):
    host = environ.get("HANDBILL_SMTP_HOST", "").strip()
    sender = environ.get("HANDBILL_SMTP_FROM", "").strip()
    if not host or not sender:
        return None
    starttls_text = environ.get("HANDBILL_SMTP_STARTTLS", "").strip().lower()
    if starttls_text not in _TRUE | _FALSE:
        raise ConfigError(f"HANDBILL_SMTP_STARTTLS must be true or false, got {starttls_text!r}")
    starttls = starttls_text in _TRUE
    port_text = environ.get("HANDBILL_SMTP_PORT", "").strip() or ("587" if starttls else "25")
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"HANDBILL_SMTP_PORT must be a port number, got {port_text!r}")
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
