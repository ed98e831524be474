"""Every refusal answers with its documented status, code and message, and stores nothing."""

import json

import pytest

from handbill.comment_service.store import Store

from .support import SITE_ORIGIN, http

LONG_TEXT = "word " * 1200  # 6000 characters, over the default limit of 5000


def assert_refused(service, answer, status, code, field=None):
    assert answer.status == status, answer.text
    error = answer.json()
    assert error["error"] == code
    assert len(error["message"]) > 20  # a sentence, not a code
    assert error["field"] == field
    assert service.store.ids() == set()
    assert service.smtp.sink.messages == []
    return error


FIELD_REFUSALS = [
    # (overrides, status, code, field, words in the message)
    ({"name": "SocialGuru"}, 422, "name_not_real", "name", "pseudonym"),
    ({"name": "Dana"}, 422, "name_not_real", "name", "family name"),
    ({"name": ""}, 422, "name_missing", "name", "full name"),
    ({"email": "dana@"}, 422, "email_invalid", "email", "email address"),
    ({"email": ""}, 422, "email_missing", "email", "email address"),
    ({"website": "example.com"}, 422, "website_invalid", "website", "https://"),
    ({"website": "https://user:pw@example.com/"}, 422, "website_invalid", "website", "password"),
    ({"website": "https://exa\u202eelpmaxe.org/"}, 422, "website_invalid", "website", "U+202E"),
    ({"website": "https://ex\u200bample.org/"}, 422, "website_invalid", "website", "U+200B"),
    ({"website": "https://exa_mple.org/"}, 422, "website_invalid", "website", "domain name"),
    ({"name": "Zoë\u202e de la Cruz"}, 422, "name_invalid", "name", "cannot be shown"),
    ({"body": "**"}, 422, "body_invalid", "body", "cannot be published"),
    ({"body": "+ " * 500}, 422, "body_invalid", "body", "cannot be published"),
    ({"post": "first-coffee\u202e"}, 400, "malformed", "post", "U+202E"),
    ({"reply_to": "c-20240301-0900-abcdef\u2066"}, 400, "malformed", "reply_to", "U+2066"),
    ({"body": " "}, 422, "body_too_short", "body", "write your comment"),
    ({"body": LONG_TEXT}, 422, "body_too_long", "body", "limit is 5000"),
    ({"nickname": "Bot"}, 422, "honeypot", "nickname", "empty"),
    ({"post": "closed-post"}, 403, "comments_closed", "post", "closed"),
    ({"post": "hidden-post"}, 403, "comments_closed", "post", "closed"),
    ({"post": "past-closing"}, 403, "comments_closed", "post", "closed"),
    ({"reply_to": "c-20990101-0000-000000"}, 422, "unknown_parent", "reply_to", "replying to"),
]


@pytest.mark.parametrize(("overrides", "status", "code", "field", "words"), FIELD_REFUSALS,
                         ids=[case[2] + "-" + str(i) for i, case in enumerate(FIELD_REFUSALS)])
def test_field_refusals(service, *, overrides, status, code, field, words):
    error = assert_refused(service, service.submit_json(service.fields(**overrides)), status, code, field)
    assert words.lower() in error["message"].lower()


def test_unknown_post(service):
    assert_refused(service, service.submit_json(service.fields("no-such-post")), 404, "unknown_post", "post")


def test_token_endpoint_refuses_closed_and_unknown_posts(service):
    closed = http("GET", f"{service.url}/token?post=closed-post", headers={"Origin": SITE_ORIGIN})
    unknown = http("GET", f"{service.url}/token?post=nope", headers={"Origin": SITE_ORIGIN})
    foreign = http("GET", f"{service.url}/token?post=first-coffee", headers={"Origin": "https://evil.example"})
    assert (closed.status, closed.json()["error"]) == (403, "comments_closed")
    assert (unknown.status, unknown.json()["error"]) == (404, "unknown_post")
    assert (foreign.status, foreign.json()["error"]) == (403, "foreign_origin")
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_token_endpoint_answers_the_sites_origin_with_cors(service):
    answer = http("GET", f"{service.url}/token?post=first-coffee", headers={"Origin": SITE_ORIGIN})
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert answer.headers["Cache-Control"] == "no-store"
    assert answer.json()["post"] == "first-coffee"


@pytest.mark.parametrize("origin", ["https://evil.example", "http://site.example", "https://site.example.evil.example"])
def test_foreign_origin(service, origin):
    assert_refused(service, service.submit_json(service.fields(), origin=origin), 403, "foreign_origin")


def test_missing_origin_and_referer(service):
    answer = http("POST", f"{service.url}/comments", json_body=service.fields())
    assert_refused(service, answer, 403, "foreign_origin")


def test_referer_from_the_site_is_enough(service):
    answer = http("POST", f"{service.url}/comments", json_body=service.fields(),
                  headers={"Referer": f"{SITE_ORIGIN}/posts/2024/first-coffee/"})
    assert answer.status == 202


def test_replayed_token(service):
    fields = service.fields()
    assert service.submit_json(fields).status == 202
    first = service.store.ids()

    again = service.submit_json(dict(fields, body="The same form, sent a second time."))

    assert again.status == 409
    assert again.json()["error"] == "token_used" and again.json()["field"] == "token"
    assert service.store.ids() == first


def test_token_for_another_post(service):
    fields = service.fields(token=service.signed_token("past-closing"))
    assert_refused(service, service.submit_json(fields), 403, "token_invalid", "token")


@pytest.mark.parametrize("token", ["", "not-a-token", "eyJwIjoiZmlyc3QtY29mZmVlIn0.forged"])
def test_missing_or_forged_token(service, token):
    error = assert_refused(service, service.submit_json(service.fields(token=token)), 403,
                           "token_missing" if not token else "token_invalid", "token")
    assert "send it again" in error["message"]


def test_too_fast(start_service):
    service = start_service(service={"min_fill_seconds": 30})
    answer = service.submit_json(service.fields())
    assert_refused(service, answer, 429, "too_fast", "token")
    assert 0 < int(answer.headers["Retry-After"]) <= 30


def test_rate_limit_per_address(start_service):
    service = start_service(service={"rate_limit_address": "2/hour"})
    service.submit_json(service.fields(email="not valid"))
    service.submit_json(service.fields(email="not valid"))

    answer = service.submit_json(service.fields())

    assert_refused(service, answer, 429, "rate_limited")
    assert "network address" in answer.json()["message"]
    assert int(answer.headers["Retry-After"]) > 3000


def test_oversized_request(service):
    fields = service.fields(body="x" * 70000)
    answer = service.submit_json(fields)
    assert_refused(service, answer, 413, "too_large")


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code", "field"),
    [
        (b"{not json", "application/json", 400, "malformed", None),
        (b"[1, 2]", "application/json", 400, "malformed", None),
        (
            json.dumps({"post": "first-coffee", "name": ["a", "b"]}).encode(),
            "application/json", 400, "malformed", "name",
        ),
        (json.dumps({"name": "Zoë de la Cruz"}).encode(), "application/json", 400, "malformed", "post"),
        (b"name=Zo%C3%AB", "text/plain", 415, "unsupported_type", None),
    ],
    ids=["bad-json", "json-array", "list-value", "no-post", "text-plain"],
)
def test_malformed_requests(service, *, data, content_type, status, code, field):
    answer = http("POST", f"{service.url}/comments", data=data,
                  headers={"Content-Type": content_type, "Origin": SITE_ORIGIN, "Accept": "application/json"})
    assert_refused(service, answer, status, code, field)


def test_form_refusal_page_keeps_what_was_typed(service):
    fields = service.fields(email="dana@", body="I <b>liked</b> this & want to say so.")

    answer = service.submit_form(fields)

    assert answer.status == 422
    assert "text/html" in answer.headers["Content-Type"]
    assert "Please check your email address" in answer.text
    assert 'value="Zoë de la Cruz"' in answer.text
    assert 'value="dana@"' in answer.text
    assert "I &lt;b&gt;liked&lt;/b&gt; this &amp; want to say so.</textarea>" in answer.text
    assert 'name="email" type="email" value="dana@" autocomplete="email" required aria-invalid="true"' in answer.text
    assert 'name="token" value="' in answer.text and 'name="token" value=""' not in answer.text
    assert service.store.ids() == set()


def test_without_the_script_one_more_click_sends_the_comment(service):
    import re

    first = service.submit_form(service.fields(token=""))
    assert first.status == 403 and "without its security token" in first.text
    token = re.search(r'name="token" value="([^"]+)"', first.text).group(1)

    # The refilled form lives on the service's own pages, whose origin is allowed too.
    again = service.submit_form(service.fields(token=token), origin=service.url)

    assert again.status == 202
    assert len(service.store.ids()) == 1


def test_foreign_origin_page_offers_no_form(service):
    answer = service.submit_form(service.fields(), origin="https://evil.example")
    assert answer.status == 403
    assert "<form" not in answer.text and "Thank you, this helped" in answer.text


def test_cors_preflight_for_scripts_on_the_site(service):
    answer = http("OPTIONS", f"{service.url}/comments", headers={
        "Origin": SITE_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    })
    assert answer.status == 200
    assert answer.headers["Access-Control-Allow-Origin"] == SITE_ORIGIN
    assert "POST" in answer.headers["Access-Control-Allow-Methods"]
    foreign = http("OPTIONS", f"{service.url}/comments", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in foreign.headers


def test_busy_database_answers_503_and_stores_nothing(start_service, tmp_path):
    import sqlite3

    store = Store(tmp_path / "busy.sqlite3", busy_timeout=0.05, attempts=2).initialize()
    service = start_service(store=store)
    fields = service.fields()
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN IMMEDIATE")
    try:
        answer = service.submit_json(fields)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert answer.status == 503
    assert answer.json()["error"] == "busy"
    assert store.ids() == set()
    assert service.submit_json(fields).status == 202  # the same form works once the lock is gone
