import json
from datetime import UTC, datetime, timedelta

import pytest

from handbill.comment_service.manifest import ManifestError, parse_manifest
from handbill.comment_service.validation import (
    Refusal,
    check_honeypot,
    check_origin,
    check_post,
    check_submission,
    read_fields,
    website_problem,
)
from handbill.core.comment_settings import CommentSettings

from .support import manifest

NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)
LIMITS = {"body_min_chars": 2, "body_max_chars": 50}
ALLOWED = frozenset({"https://site.example", "http://127.0.0.1:8000"})


def fields(**overrides):
    values = {"post": "a", "reply_to": "", "name": "Zoë de la Cruz", "email": "zoe@example.org",
              "website": "", "body": "Nice post.", "token": "t", "nickname": ""}
    return read_fields({**values, **overrides})


@pytest.mark.parametrize("name", ["Zoë de la Cruz", "Nguyễn Văn An", "Ольга Петрова", "李小龍", "J. R. Smith",
                                  "Mary-Kate O'Neil"])
def test_real_names_pass(name):
    submission = check_submission(fields(name=name), require_full_name=True, **LIMITS)
    assert not isinstance(submission, Refusal), submission


def test_a_handle_passes_only_when_the_post_takes_anyone():
    assert check_submission(fields(name="xXgamerXx"), require_full_name=True, **LIMITS).code == "name_not_real"
    assert check_submission(fields(name="xXgamerXx"), require_full_name=False, **LIMITS).name == "xXgamerXx"


def test_submission_is_normalized():
    submission = check_submission(
        fields(name="  Zoë   de la  Cruz ", email="Zoe@EXAMPLE.org", body="\r\n Line one\r\nLine two\x07 \n"),
        require_full_name=True, **LIMITS,
    )
    assert submission.name == "Zoë de la Cruz"
    assert submission.email == "Zoe@example.org"  # the domain is case-insensitive, the local part is kept
    assert submission.body == "Line one\nLine two"


def test_body_limits_count_characters():
    assert check_submission(fields(body="é" * 50), require_full_name=True, **LIMITS).body == "é" * 50
    refusal = check_submission(fields(body="é" * 51), require_full_name=True, **LIMITS)
    assert (refusal.code, refusal.field, refusal.status) == ("body_too_long", "body", 422)
    assert "51 characters" in refusal.message


def test_control_characters_in_a_name_are_refused():
    assert check_submission(fields(name="Zoë\x07 Cruz"), require_full_name=False, **LIMITS).code == "name_invalid"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://example.org/", None),
        ("http://example.org/blog?page=2#top", None),
        ("HTTPS://Example.ORG", None),
        ("example.org", "start it with https://"),
        ("javascript:alert(1)", "start it with https://"),
        ("ftp://example.org/", "start it with https://"),
        ("https://localhost/", "whole address"),
        ("https://ex ample.org/", "no spaces"),
        ("https://me@example.org/", "user name or password"),
        ("https://example.org:http/", "not a web address"),
    ],
)
def test_website_shape(url, problem):
    found = website_problem(url)
    assert (found is None) if problem is None else (problem in found)


def test_read_fields_refuses_non_text_and_oversized_fields():
    assert read_fields({"post": "a", "name": 5}).field == "name"
    assert read_fields({"post": "a", "email": "x" * 400}).code == "field_too_long"
    assert read_fields("not a dict").code == "malformed"
    assert read_fields({"name": "Zoë de la Cruz"}).field == "post"
    assert read_fields({"post": " a ", "name": None})["name"] == ""


def test_honeypot():
    assert check_honeypot(fields()) is None
    assert check_honeypot(fields(nickname="x")).code == "honeypot"


@pytest.mark.parametrize(
    ("origin", "referer", "allowed"),
    [
        ("https://site.example", None, True),
        ("https://SITE.example:443", None, True),
        ("http://127.0.0.1:8000", None, True),
        (None, "https://site.example/posts/2024/a/", True),
        ("null", "https://site.example/posts/2024/a/", True),
        ("https://site.example.evil.example", None, False),
        ("http://site.example", None, False),
        ("https://evil.example", "https://site.example/", False),  # Origin wins over Referer
        (None, None, False),
        ("not a url", None, False),
    ],
)
def test_origin(origin, referer, allowed):
    refusal = check_origin(origin, referer, ALLOWED)
    assert (refusal is None) == allowed
    if refusal:
        assert (refusal.status, refusal.code) == (403, "foreign_origin")


def post_state(settings, **overrides):
    parsed = parse_manifest(
        json.dumps(manifest({"a": {"comment_ids": ["c-1"], **overrides}})), "manifest.json"
    )
    post = parsed.posts["a"]
    return post, post.comments_state(settings, NOW)


def test_open_post_and_replies():
    settings = CommentSettings()
    post, state = post_state(settings)
    assert check_post(post, state, "") is None
    assert check_post(post, state, "c-1") is None
    assert check_post(post, state, "c-2").code == "unknown_parent"
    assert check_post(None, None, "").code == "unknown_post"


def test_post_closing_follows_the_build_and_the_clock():
    settings = CommentSettings()
    assert check_post(*post_state(settings, comments="closed"), "").code == "comments_closed"
    closes = (NOW - timedelta(seconds=1)).isoformat()
    assert check_post(*post_state(settings, closes_at=closes), "").code == "comments_closed"
    dated = post_state(CommentSettings(close_after_days=30), date=(NOW - timedelta(days=31)).isoformat())
    assert check_post(*dated, "").code == "comments_closed"


def test_policy_of_an_open_post():
    assert post_state(CommentSettings(policy="anyone"))[1].policy == "anyone"
    assert post_state(CommentSettings(policy="closed"))[1].policy == "identified"


def test_broken_manifest_names_the_file_and_entry():
    with pytest.raises(ManifestError, match=r"manifest\.json: not valid JSON"):
        parse_manifest("{", "manifest.json")
    with pytest.raises(ManifestError, match=r"posts\['a'\].comments 'maybe'"):
        parse_manifest('{"posts": {"a": {"comments": "maybe"}}}', "manifest.json")
