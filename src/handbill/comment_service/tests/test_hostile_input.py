"""One bad request never hurts the service: whatever arrives, the answer is a documented one, never a 500.

The properties drive the app through Flask's test client (thousands of requests in seconds);
the examples after them go through waitress on a real socket.
"""

import json
import logging
import re
import urllib.parse
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from handbill.comment_service.app import create_app
from handbill.comment_service.validation import FORM_FIELDS

from .conftest import POSTS
from .support import SITE_ORIGIN, free_port, http, manifest, service_config

README = Path(__file__).resolve().parents[1] / "README.md"
# Fuzzing drives the real app and its database: how long an example takes is no part of the property.
FUZZ = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def documented_refusals():
    """Code → status text ("400", "4xx"), from the table under "### Refusals" in README.md."""
    section = README.read_text(encoding="utf-8").split("### Refusals", 1)[1].split("\n## ", 1)[0]
    refusals = {}
    for row in re.findall(r"^\| (`.+?) \| (\S+) \|", section, re.M):
        for code in re.findall(r"`([a-z_]+)`", row[0]):
            refusals[code] = row[1]
    return refusals


REFUSALS = documented_refusals()


def assert_documented(answer_status, content_type, text, method="POST"):
    """An answer the README promises: below 500, a refusal only with a documented code and status."""
    assert answer_status < 500, text
    assert "Traceback" not in text
    if answer_status < 400 or method == "HEAD":
        return
    if content_type.startswith("application/json"):
        refusal = json.loads(text)
        assert refusal["error"] in REFUSALS, refusal
        status = REFUSALS[refusal["error"]]
        assert str(answer_status).startswith(status.rstrip("x")), (answer_status, refusal)
        assert len(refusal["message"]) > 20
    else:
        assert content_type.startswith("text/html") and 'class="problem"' in text, text


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    manifest_path = folder / "manifest.json"
    manifest_path.write_text(json.dumps(manifest(POSTS)), encoding="utf-8")
    # Nothing listens on the SMTP port: accepted comments' emails wait for later.
    config = service_config(
        folder, free_port(), "http://127.0.0.1:8100", manifest_path=manifest_path,
        service={"rate_limit_address": "100000/hour", "rate_limit_email": "100000/day", "body_min_chars": 1},
    )
    app = create_app(config)
    yield app
    app.extensions["handbill_comments"].mail_sender.stop()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def fresh_token(app, post="first-coffee"):
    return app.extensions["handbill_comments"].tokens.form_token(post)


def valid_fields(app):
    return {"post": "first-coffee", "reply_to": "", "name": "Zoë de la Cruz", "email": "zoe@example.org",
            "website": "", "body": "Thank you.", "nickname": "", "token": fresh_token(app)}


def send(client, body, content_type, headers=None):
    """POST ``body`` to /comments; the answer, checked to be a documented one."""
    answer = client.post("/comments", data=body,
                         headers={"Content-Type": content_type, "Origin": SITE_ORIGIN, **(headers or {})})
    assert_documented(answer.status_code, answer.content_type or "", answer.get_data(as_text=True))
    return answer


# Header values as HTTP can carry them: Latin-1 text without line breaks.
HEADER_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f"), max_size=60)
CONTENT_TYPES = st.sampled_from([
    "application/json", "application/json; charset=utf-16", "application/json; charset=latin-1",
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=koi8-r",
    "multipart/form-data", "multipart/form-data; boundary=x", "multipart/form-data; boundary=",
    "text/plain", "application/xml", "", "application/json, text/html", ";;;",
]) | HEADER_TEXT
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(st.characters(codec=None), max_size=30),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


def nested(depth):
    """A JSON array in an array in an array…, ``depth`` deep."""
    return b"[" * depth + b"]" * depth


@FUZZ
@given(
    body=st.binary(max_size=400)
    | JSON_VALUES.map(lambda value: json.dumps(value).encode())
    | st.integers(1, 20_000).map(nested)
    | st.dictionaries(st.sampled_from(FORM_FIELDS), st.text(max_size=30)).map(
        lambda fields: urllib.parse.urlencode(fields).encode()),
    content_type=CONTENT_TYPES,
    accept=st.none() | st.sampled_from(["application/json", "text/html", "*/*", "text/html;q=0.1, */*"]) | HEADER_TEXT,
    origin=st.sampled_from([SITE_ORIGIN, "null", "https://evil.example"]) | HEADER_TEXT,
)
@example(body=nested(5000), content_type="application/json", accept=None, origin=SITE_ORIGIN)
@example(body=b'{"a":' * 5000 + b"1" + b"}" * 5000, content_type="application/json", accept=None, origin=SITE_ORIGIN)
@example(body=b"\xff\xfe\x00{", content_type="application/json", accept=None, origin=SITE_ORIGIN)
@example(body=b"post=%ff%fe&name=%", content_type="application/x-www-form-urlencoded", accept="text/html",
         origin=SITE_ORIGIN)
@example(body=b"--x\r\nbroken", content_type="multipart/form-data", accept="text/html", origin=SITE_ORIGIN)
def test_any_body_of_any_type_gets_a_documented_answer(client, body, content_type, accept, origin):
    send(client, body, content_type, {"Origin": origin, **({"Accept": accept} if accept is not None else {})})


@FUZZ
@given(field=st.sampled_from(FORM_FIELDS), value=JSON_VALUES, as_form=st.booleans())
@example(field="website", value="https://exa\u202eelpmaxe.org/", as_form=True)
@example(field="body", value="*", as_form=False)
@example(field="name", value="Zo\ud800", as_form=False)
@example(field="post", value="first-coffee\u200b", as_form=True)
def test_any_value_in_any_field_gets_a_documented_answer(app, client, field, value, as_form):
    fields = {**valid_fields(app), field: value}
    if as_form:
        # A form carries text only, and no surrogates (a browser sends UTF-8).
        text = value if isinstance(value, str) else json.dumps(value)
        fields[field] = text.encode("utf-8", "replace").decode("utf-8")
        answer = send(client, urllib.parse.urlencode(fields), "application/x-www-form-urlencoded")
    else:
        answer = send(client, json.dumps(fields), "application/json")
    assert answer.status_code in (202, 400, 403, 404, 409, 422, 429), answer.get_data(as_text=True)


@FUZZ
@given(
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "PROPFIND"]),
    path=st.sampled_from(["/", "/comments", "/token", "/token?post=first-coffee", "/health", "/verify/x"])
    | st.builds(
        # (Flask's test client would read a leading "//" as the start of a host name.)
        lambda start, text: start + urllib.parse.quote(text.lstrip("/"), safe="/?=&"),
        st.sampled_from(["/", "/verify/", "/token?post=", "/comments?"]),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
    ),
    accept=st.sampled_from(["application/json", "text/html"]),
)
def test_any_method_at_any_address_gets_a_documented_answer(client, method, path, accept):
    answer = client.open(path, method=method, headers={"Accept": accept, "Origin": SITE_ORIGIN})
    text = answer.get_data(as_text=True)
    assert answer.status_code < 500 and "Traceback" not in text
    if answer.status_code >= 400 and answer.content_type == "application/json" and method != "HEAD":
        assert_documented(answer.status_code, answer.content_type, text)


# Through waitress, on a real socket.


@pytest.mark.parametrize(
    ("data", "status", "code", "field"),
    [
        (nested(5000), 400, "malformed", None),
        (nested(30_000), 400, "malformed", None),  # 60 KB, just under max_request_bytes
        (b'{"post": "first-coffee", "name": "\\ud800"}', 400, "malformed", "name"),
        ('{"post": "first-coffee"}'.encode("utf-16"), 403, "foreign_origin", None),  # read, then refused
        (b"\xff\xfe\xfd", 400, "malformed", None),
        (b'{"post": "first-coffee", "post": [' + b"1," * 20_000 + b"1]}", 400, "malformed", "post"),
    ],
    ids=["5000-deep", "30000-deep", "surrogate", "utf-16", "not-utf-8", "wide-array"],
)
def test_bad_json_over_a_real_socket(service, *, data, status, code, field):
    headers = {"Content-Type": "application/json", **({} if code == "foreign_origin" else {"Origin": SITE_ORIGIN})}
    answer = http("POST", f"{service.url}/comments", data=data, headers=headers)
    assert (answer.status, answer.json()["error"], answer.json()["field"]) == (status, code, field), answer.text
    assert service.store.ids() == set()
    assert http("GET", f"{service.url}/health").status == 200  # and the service is none the worse


@pytest.mark.parametrize(
    ("data", "content_type", "status", "words"),
    [
        (b"--x\r\nContent-Disposition: form-data\r\n\r\nbroken", "multipart/form-data", 400, "which post"),
        (b"--x\r\nbroken", "multipart/form-data; boundary=x", 400, "which post"),
        (b"post=%ff&name=%zz", "application/x-www-form-urlencoded", 403, "security token"),
        (b"post=first-coffee&" + b"&".join(b"f%d=1" % n for n in range(2000)), "application/x-www-form-urlencoded",
         403, "security token"),
    ],
    ids=["multipart-no-boundary", "multipart-broken", "bad-percent", "many-fields"],
)
def test_bad_forms_over_a_real_socket(service, *, data, content_type, status, words):
    answer = http("POST", f"{service.url}/comments", data=data,
                  headers={"Content-Type": content_type, "Origin": SITE_ORIGIN})
    assert answer.status == status and answer.headers["Content-Type"].startswith("text/html")
    assert 'class="problem"' in answer.text and words in answer.text, answer.text
    assert service.store.ids() == set()


def test_unknown_addresses_and_methods_are_documented_refusals(service):
    missing = http("GET", f"{service.url}/wp-login.php", headers={"Accept": "application/json"})
    wrong_method = http("PUT", f"{service.url}/comments", data=b"{}", headers={"Content-Type": "application/json"})
    page = http("GET", f"{service.url}/nothing-here", headers={"Accept": "text/html"})
    assert (missing.status, missing.json()["error"]) == (404, "not_found")
    assert (wrong_method.status, wrong_method.json()["error"]) == (405, "method_not_allowed")
    assert set(wrong_method.headers["Allow"].replace(" ", "").split(",")) >= {"POST", "OPTIONS"}
    assert page.status == 404 and "Nothing here" in page.text and 'class="problem"' in page.text


def test_a_bug_still_answers_a_documented_refusal_and_logs_its_traceback_once(start_service, caplog):
    service = start_service()

    def broken_view():
        raise RuntimeError("secret detail of the bug")

    service.server.app.add_url_rule("/broken", view_func=broken_view)  # a view with a bug in it
    with caplog.at_level(logging.INFO, logger="handbill.comment_service"):
        as_json = http("GET", f"{service.url}/broken", headers={"Accept": "application/json"})
        as_page = http("GET", f"{service.url}/broken", headers={"Accept": "text/html"})

    assert (as_json.status, as_json.json()["error"]) == (500, "internal_error")
    assert as_page.status == 500 and "Something went wrong" in as_page.text
    for answer in (as_json, as_page):
        assert "secret detail" not in answer.text and "Traceback" not in answer.text
        assert answer.headers["X-Content-Type-Options"] == "nosniff"  # the usual headers still apply
    tracebacks = [record for record in caplog.records if record.exc_info]
    assert len(tracebacks) == 2  # one per request
    assert all("secret detail of the bug" in str(record.exc_info[1]) for record in tracebacks)
    assert http("GET", f"{service.url}/health").status == 200
