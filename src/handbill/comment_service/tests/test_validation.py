import json
import unicodedata
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from handbill.comment_service.config import origin_of
from handbill.comment_service.manifest import ManifestError, parse_manifest
from handbill.comment_service.validation import (
    FORM_FIELDS,
    Refusal,
    Submission,
    check_honeypot,
    check_origin,
    check_post,
    check_submission,
    read_fields,
    website_problem,
)
from handbill.core.bodies import body_problem
from handbill.core.comment_settings import CommentSettings
from handbill.core.records import WEB_ADDRESS

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


@pytest.mark.parametrize("control", ["\u202e", "\u202a", "\u2066", "\u2069"])
def test_a_name_cannot_turn_the_text_after_it_around(control):
    refusal = check_submission(fields(name=f"Zoë{control} Cruz"), require_full_name=False, **LIMITS)
    assert (refusal.code, refusal.field) == ("name_invalid", "name")


@pytest.mark.parametrize("name", ["\u0645\u0647\u200c\u0633\u0627 \u0631\u0636\u0627\u06cc\u06cc",  # a ZWNJ in Persian
                                  "Dana\u200f Whitfield"])
def test_names_keep_the_joiners_and_marks_their_scripts_use(name):
    assert isinstance(check_submission(fields(name=name), require_full_name=False, **LIMITS), Submission)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("*", "body_invalid"),  # nothing a reader would see
        ("**", "body_invalid"),
        ("* * *", "body_invalid"),
        ("\u200b\u200b\u200b", "body_invalid"),
        ("> " * 20 + "deep", "body_invalid"),  # quotes nested past what anyone writes
        ("**Yes.**", None),
        ("> quoted\n\nand answered", None),
    ],
)
def test_bodies_a_reader_could_not_see_or_a_renderer_could_not_take_are_refused(body, code):
    outcome = check_submission(fields(body=body), require_full_name=True, body_min_chars=1, body_max_chars=500)
    if code is None:
        assert isinstance(outcome, Submission), outcome
    else:
        assert (outcome.code, outcome.status, outcome.field) == (code, 422, "body")
        assert len(outcome.message) > 20


@settings(deadline=None)
@given(st.text(max_size=300))
@example("*")
@example("+ " * 500)
@example("\u202e\u2066")
def test_any_body_is_taken_or_refused_with_a_reason(body):
    outcome = check_submission(fields(body=body), require_full_name=True, body_min_chars=2, body_max_chars=200)
    if isinstance(outcome, Refusal):
        assert outcome.field == "body" and outcome.status == 422
        assert outcome.code in {"body_too_short", "body_too_long", "body_invalid"}
    else:
        assert 2 <= len(outcome.body) <= 200
        assert body_problem(outcome.body) is None


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
        ("https://bücher.example/", None),  # internationalised names are sites too
        ("https://xn--bcher-kva.example/", None),
        ("https://example.org./", None),
        ("https://sub.example.co.uk:8443/a/b", None),
        ("https://example.org/\u00e9t\u00e9", None),
        ("https://exa\u202eelpmaxe.org/", "U+202E"),  # "moc.elpmaxe" reads "example.com" after it
        ("https://example.org/\u202egpj.exe", "U+202E"),
        ("https://ex\u200bample.org/", "U+200B"),
        ("https://example.org/\u2066x\u2069", "U+2066"),
        ("https://example.org/\u200e", "U+200E"),
        ("https://example.org/\u061c", "U+061C"),
        ("https://example.org/\ufeff", "U+FEFF"),
        ("https://example.org/\u00ad", "U+00AD"),
        ("https://example.org/\u3164", "U+3164"),
        ("https://example.org/\U000e0041", "U+E0041"),  # a tag character
        ("https://example.org/\x00", "U+0000"),
        ("https://exa_mple.org/", "not a domain name"),
        ("https://-example.org/", "not a domain name"),
        ("https://evil.example\\.example.org/", "not a domain name"),  # browsers read \\ as /
        ("https://%65xample.org/", "not a domain name"),
        ("https://" + "a" * 64 + ".org/", "not a domain name"),
        ("https://xn--zzzz.org/", "not a domain name"),  # not valid Punycode
        ("https://example..org/", "not a domain name"),
        ("https://203.0.113.9/", "whole address"),  # an IP address, not a site's name
        ("https://[2001:db8::1]/", "whole address"),
        ("https://.org/", "not a domain name"),
        ("https:///path", "whole address"),
    ],
)
def test_website_shape(url, problem):
    found = website_problem(url)
    assert (found is None) if problem is None else (problem in found)


WEBSITE_CHARACTERS = st.characters(codec="utf-8", exclude_categories=["Cs"])
INVISIBLE = st.sampled_from(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u034f\u180e\u115f\u3164\ufe0f\U000e0001"
)


@settings(deadline=None)
@given(st.text(WEBSITE_CHARACTERS, max_size=80))
def test_any_text_as_a_website_is_taken_or_refused_with_a_reason(url):
    problem = website_problem(url)
    assert problem is None or isinstance(problem, str)


@settings(deadline=None)
@given(
    st.from_regex(r"https?://([a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?\.){1,3}[a-z]{2,6}(/[\w.~%-]{0,12}){0,3}",
                  fullmatch=True),
    st.data(),
)
def test_a_valid_website_with_any_invisible_character_slipped_in_is_refused(url, data):
    assert website_problem(url) is None
    assert origin_of(url) is not None and WEB_ADDRESS.fullmatch(url)  # what the record and the site need
    position = data.draw(st.integers(0, len(url)))
    hidden = data.draw(INVISIBLE)
    assert website_problem(url[:position] + hidden + url[position:]) is not None


# A label of a domain name in any script (letters, digits, marks, hyphens).
HOST_LABELS = st.text(st.characters(codec="utf-8", categories=["L", "N", "M", "Pd"]), min_size=1, max_size=10)


@settings(deadline=None)
@given(st.lists(HOST_LABELS, min_size=2, max_size=3), st.text(WEBSITE_CHARACTERS, max_size=20))
def test_websites_taken_are_plain_visible_http_addresses(labels, path):
    url = "https://" + ".".join(labels) + "/" + path
    if website_problem(url) is None:
        assert all(unicodedata.category(ch)[0] not in "CZ" for ch in url)
        assert origin_of(url) is not None and WEB_ADDRESS.fullmatch(url)
        assert urlsplit(url).hostname.encode("idna").decode("ascii")  # the name a browser looks up


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("post", "first-coffee\u202e", "U+202E"),
        ("post", "first\u200bcoffee", "U+200B"),
        ("reply_to", "c-20240301-0900-abcdef\u2066", "U+2066"),
        ("reply_to", "c-1 c-2", "U+0020"),
        ("token", "abc\x00def", "U+0000"),
        ("name", "Zo\ud800", "surrogate"),
        ("body", "Fine \udfff text", "surrogate"),
    ],
)
def test_read_fields_refuses_hidden_characters_in_machine_fields_and_surrogates_anywhere(field, value, problem):
    refusal = fields(**{field: value})
    assert (refusal.code, refusal.status, refusal.field) == ("malformed", 400, field)
    assert problem in refusal.message and f"'{field}'" in refusal.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec=None)),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=10,
)


@settings(deadline=None)
@given(st.dictionaries(st.sampled_from(FORM_FIELDS) | st.text(max_size=8), JSON_VALUES, max_size=10) | JSON_VALUES)
def test_read_fields_takes_any_document_or_refuses_it(document):
    outcome = read_fields(document)
    if isinstance(outcome, Refusal):
        assert outcome.status in (400, 422) and outcome.code in ("malformed", "field_too_long")
    else:
        assert set(outcome) == set(FORM_FIELDS) and all(isinstance(value, str) for value in outcome.values())


@settings(deadline=None)
@given(st.fixed_dictionaries({name: st.text(st.characters(codec=None), max_size=60) for name in FORM_FIELDS}))
def test_any_fields_give_a_submission_or_a_refusal_naming_a_field(values):
    outcome = read_fields({**values, "post": values["post"] or "a"})
    if not isinstance(outcome, Refusal):
        outcome = check_submission(outcome, require_full_name=True, **LIMITS)
    if isinstance(outcome, Refusal):
        assert outcome.field in FORM_FIELDS and len(outcome.message) > 20
    else:
        assert not outcome.website or website_problem(outcome.website) is None
        assert body_problem(outcome.body) is None


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
