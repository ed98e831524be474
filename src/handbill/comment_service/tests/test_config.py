import re
from pathlib import Path

import pytest

from handbill.comment_service.config import ConfigError, RateLimit, load_service_config, origin_of


def load(service=None, environ=None, **settings):
    return load_service_config(
        {"PROJECT_ROOT": Path("/srv/blog"), "OUTPUT_PATH": "/srv/blog/output", "PATH": "/srv/blog/content",
         "COMMENT_SERVICE": service or {}, **settings},
        environ or {},
    )


def test_defaults():
    config = load()
    assert config.public_url == "http://127.0.0.1:8100"
    assert config.db_path == Path("/srv/blog/.handbill/comments.sqlite3")
    assert config.manifest_path == Path("/srv/blog/output/comments/manifest.json")
    assert config.comments_dir == Path("/srv/blog/content/comments")
    assert config.rate_limit_address == RateLimit(20, 3600)
    assert config.rate_limit_email == RateLimit(10, 86400)
    assert config.allowed_origins == {"http://127.0.0.1:8100"}
    assert config.smtp is None and config.secret_key == ""
    assert (config.trusted_proxy, config.trusted_proxy_count) == ("", 1)
    assert (config.connection_limit, config.channel_timeout, config.cleanup_interval) == (500, 30, 5)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.2", "::1", "2001:db8::5"])
def test_a_trusted_proxy_is_an_ip_address_as_waitress_sees_it(address):
    assert load({"trusted_proxy": address, "trusted_proxy_count": 2}).trusted_proxy == address


def test_site_and_service_urls():
    config = load(
        {"allowed_origins": ["http://127.0.0.1:8000/"]},
        SITEURL="https://www.example.org",
        COMMENTS={"service_url": "https://comments.example.org/"},
    )
    assert config.public_url == "https://comments.example.org"
    assert config.site_url == "https://www.example.org"
    assert config.allowed_origins == {
        "https://comments.example.org", "https://www.example.org", "http://127.0.0.1:8000",
    }
    # With a relative SITEURL (development), links back to the site use the first allowed origin.
    assert load({"allowed_origins": ["http://127.0.0.1:8000"]}).site_url == "http://127.0.0.1:8000"


@pytest.mark.parametrize(
    ("service", "message"),
    [
        ({"prot": 1}, 'COMMENT_SERVICE["prot"] is not a setting'),
        ({"port": "80"}, 'COMMENT_SERVICE["port"] must be a port number'),
        ({"port": True}, 'COMMENT_SERVICE["port"] must be a port number'),
        ({"rate_limit_email": "10 per day"}, "must look like '20/hour'"),
        ({"allowed_origins": ["site.example"]}, "'site.example' is not an absolute http(s) URL"),
        ({"body_min_chars": 10, "body_max_chars": 5}, 'body_max_chars"] must be a whole number of at least 10'),
        ({"approve_known_commenters": "yes"}, 'approve_known_commenters"] must be True or False'),
        ({"public_url": "comments.example.org"}, "must be an absolute http(s) URL"),
        ({"trusted_proxy": "localhost"}, "must be the IP address the proxy connects from"),
        ({"trusted_proxy": "*"}, "must be the IP address the proxy connects from"),
        ({"trusted_proxy": "0:0:0:0:0:0:0:1"}, "must be written as '::1'"),
        ({"trusted_proxy_count": 0}, 'COMMENT_SERVICE["trusted_proxy_count"] must be a whole number from 1 to 10'),
        ({"connection_limit": 5}, 'COMMENT_SERVICE["connection_limit"] must be a whole number from 10 to 10000'),
        ({"channel_timeout": 0}, 'COMMENT_SERVICE["channel_timeout"] must be a number of seconds from 1 to 3600'),
        ({"cleanup_interval": 2.5}, 'COMMENT_SERVICE["cleanup_interval"] must be a whole number'),
    ],
)
def test_bad_settings_name_the_key(service, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load(service)


def test_every_problem_is_reported_at_once():
    with pytest.raises(ConfigError) as caught:
        load(
            {"port": 0, "threads": "8", "colour": "red"},
            {"HANDBILL_SMTP_HOST": "h", "HANDBILL_SMTP_FROM": "a@b.org", "HANDBILL_SMTP_STARTTLS": "maybe"},
            COMMENTS={"policy": "everyone"},
        )
    problems = "\n".join(caught.value.problems)
    for name in ('COMMENT_SERVICE["port"]', 'COMMENT_SERVICE["threads"]', 'COMMENT_SERVICE["colour"]',
                 'COMMENTS["policy"]', "HANDBILL_SMTP_STARTTLS"):
        assert name in problems


def test_bad_comments_settings_are_reported():
    with pytest.raises(ConfigError, match="policy"):
        load(COMMENTS={"policy": "everyone"})


def test_secrets_come_from_the_environment():
    config = load(environ={
        "HANDBILL_COMMENT_SECRET": "s" * 32,
        "HANDBILL_SMTP_HOST": "smtp.example.org",
        "HANDBILL_SMTP_USER": "dana",
        "HANDBILL_SMTP_PASSWORD": "hunter2",
        "HANDBILL_SMTP_FROM": "comments@example.org",
        "HANDBILL_SMTP_STARTTLS": "true",
    })
    assert config.require_secret() == "s" * 32
    smtp = config.require_smtp()
    assert (smtp.host, smtp.port, smtp.starttls, smtp.user) == ("smtp.example.org", 587, True, "dana")
    assert "hunter2" not in repr(config)  # secrets stay out of logs and tracebacks


@pytest.mark.parametrize("secret", ["", "short"])
def test_a_missing_or_short_secret_says_how_to_make_one(secret):
    with pytest.raises(ConfigError, match=r"HANDBILL_COMMENT_SECRET .*secrets\.token_urlsafe"):
        load(environ={"HANDBILL_COMMENT_SECRET": secret}).require_secret()


def test_smtp_settings_errors():
    with pytest.raises(ConfigError, match="HANDBILL_SMTP_HOST and HANDBILL_SMTP_FROM must be set"):
        load().require_smtp()
    with pytest.raises(ConfigError, match="HANDBILL_SMTP_PORT"):
        load(environ={"HANDBILL_SMTP_HOST": "h", "HANDBILL_SMTP_FROM": "a@b.org", "HANDBILL_SMTP_PORT": "x"})


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://Example.ORG/path", "https://example.org"),
        ("https://example.org:443/", "https://example.org"),
        ("http://example.org:8080", "http://example.org:8080"),
        ("http://[::1]:8000/", "http://[::1]:8000"),
        ("mailto:x@example.org", None),
        ("", None),
        ("https://example.org:99999/", None),
    ],
)
def test_origin_of(url, origin):
    assert origin_of(url) == origin
