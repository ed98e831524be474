"""The owner moderating without a terminal: notices with single-use links, the /moderate page,
its sign-in, session and CSRF guard, the audit and the publish hook; over real HTTP and SMTP."""

import json
import re
import time
import urllib.parse
from dataclasses import replace
from http.client import HTTPConnection

import pytest
from werkzeug.security import generate_password_hash

from handbill.comment_service.app import create_app
from handbill.comment_service.moderation import export
from handbill.comment_service.publish_hook import PublishHook
from handbill.comment_service.store import STATES, Store, utc_now
from handbill.comment_service.tokens import OwnerTokens

from .support import (
    SECRET,
    LoopbackServer,
    Service,
    confirm_link,
    eventually,
    http,
    manifest,
    service_config,
    verification_link,
)

OWNER = "dana@site.example"
PASSWORD = "correct horse battery staple"
ACTION_LINK = re.compile(r"(Approve|Reject|Reply): +(\S+/moderate/link/\S+)")
SIGN_IN_LINK = re.compile(r"\S+/moderate/sign-in/\S+")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


class RecordingHook(PublishHook):
    """The page's side of publishing: what it is told and asked (publisher.py is tested with real builds)."""

    def __init__(self):
        self.calls = []
        self.retries = 0
        self.publishing = None  # what status() reports; None: publishing is off

    def comments_approved(self, ids):
        self.calls.append(list(ids))

    def status(self):
        return self.publishing

    def retry(self):
        self.retries += 1


@pytest.fixture
def hook():
    return RecordingHook()


@pytest.fixture
def moderated(tmp_path, smtp, hook):
    """``moderated(public_url=None)`` → a running Service whose owner is OWNER (with a password)."""
    running = []

    def start(public_url=None):
        manifest_path = tmp_path / "output" / "comments" / "manifest.json"
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest({"first-coffee": {}})), encoding="utf-8")
        server = LoopbackServer()
        config = service_config(
            tmp_path, smtp.port, server.url, manifest_path=manifest_path, comments={"contact_email": OWNER}
        )
        config = replace(
            config, public_url=public_url or config.public_url,
            moderator_password_hash=generate_password_hash(PASSWORD),
        )
        store = Store(config.db_path).initialize()
        running.append(server.start(create_app(config, store=store, publish_hook=hook)))
        return Service(config, server, smtp, store)

    yield start
    for server in running:
        server.stop()


def verified_comment(service, mails_before=0, **fields):
    """Submit a comment and confirm it as its writer does: (the comment, the owner's notice)."""
    answer = service.submit_json(service.fields(**fields))
    assert answer.status == 202, answer.text
    confirm_link(verification_link(service.smtp.sink.wait_for(mails_before + 1)), service.store)
    notice = service.smtp.sink.wait_for(mails_before + 2)
    return service.store.get(answer.json()["id"]), notice


def action_links(notice):
    return {action.lower(): link for action, link in ACTION_LINK.findall(notice.get_content())}


def raw(method, url, *, form=None, headers=None):
    """One request, redirects not followed: (status, headers as a list of pairs, text)."""
    parts = urllib.parse.urlsplit(url)
    body = urllib.parse.urlencode(form, doseq=True) if form is not None else None
    headers = dict(headers or {})
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, parts.path, body=body, headers=headers)
        answer = connection.getresponse()
        return answer.status, answer.getheaders(), answer.read().decode()
    finally:
        connection.close()


def cookie_of(headers):
    (cookie,) = [value for name, value in headers if name.lower() == "set-cookie"]
    return cookie


def sign_in(service):
    """Sign in with the password: (the Cookie header's value, the page's CSRF token)."""
    status, headers, _ = raw(
        "POST", f"{service.url}/moderate/sign-in/password", form={"password": PASSWORD},
        headers={"Origin": service.url},
    )
    assert status == 303
    cookie = cookie_of(headers).split(";")[0]
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie})
    return cookie, CSRF.search(page.text).group(1)


def test_owner_notice_lists_the_comment_with_flags_and_links(moderated):
    service = moderated()
    comment, notice = verified_comment(service, body="See https://spam.example for more, really.")
    text = notice.get_content()
    assert notice["To"] == OWNER and "awaits moderation" in notice["Subject"]
    assert "Zoë de la Cruz" in text and '"First Coffee"' in text and "spam.example for more" in text
    assert "first comment from this address" in text and "contains links" in text
    assert set(action_links(notice)) == {"approve", "reject", "reply"}
    assert comment.state == "verified"


def test_a_link_changes_nothing_when_opened_and_works_once_when_pressed(moderated, hook):
    service = moderated()
    comment, notice = verified_comment(service)
    link = action_links(notice)["approve"]
    before = service.store.in_states(*STATES)
    page = http("GET", link)  # what a mail scanner does
    assert page.status == 200 and "Approve" in page.text and comment.body in page.text
    assert service.store.in_states(*STATES) == before and hook.calls == []

    done = http("POST", link, form={}, headers={"Origin": service.url})
    assert done.status == 200 and "approved" in done.text
    assert service.store.get(comment.id).state == "approved"
    assert hook.calls == [[comment.id]]
    (entry, *_) = service.store.recent_audit(5)
    assert (entry.actor, entry.via, entry.action, entry.comment_id) == ("owner", "link", "approve", comment.id)

    again = http("POST", link, form={}, headers={"Origin": service.url})
    assert again.status == 409 and "works once" in again.text
    assert hook.calls == [[comment.id]]


def test_reject_and_reply_links(moderated, hook):
    service = moderated()
    first, first_notice = verified_comment(service)
    second, second_notice = verified_comment(service, mails_before=2, body="A second thought on coffee.")
    rejected = http("POST", action_links(first_notice)["reject"], form={"reason": "off topic"},
                    headers={"Origin": service.url})
    assert rejected.status == 200
    assert service.store.get(first.id).state == "rejected" and service.store.get(first.id).reason == "off topic"

    replied = http("POST", action_links(second_notice)["reply"], form={"text": "Thanks, *Zoë*."},
                   headers={"Origin": service.url})
    assert replied.status == 200 and "your reply" in replied.text
    assert service.store.get(second.id).state == "approved"  # replying publishes the comment too
    (reply,) = [c for c in service.store.in_states("approved") if c.reply_to == second.id]
    assert reply.identity == "site-owner" and reply.author == "Dana Whitfield"
    assert hook.calls == [[second.id], [reply.id]]


@pytest.mark.parametrize("refused_text", ["", "   ", "\n\t"])
def test_a_refused_reply_leaves_its_link_usable(moderated, hook, refused_text):
    service = moderated()
    comment, notice = verified_comment(service)
    link = action_links(notice)["reply"]
    refused = http("POST", link, form={"text": refused_text}, headers={"Origin": service.url})
    assert refused.status == 200 and "No reply sent" in refused.text and "empty" in refused.text
    assert service.store.get(comment.id).state == "verified" and hook.calls == []

    replied = http("POST", link, form={"text": "Thanks for this."}, headers={"Origin": service.url})
    assert replied.status == 200 and "your reply" in replied.text
    assert service.store.get(comment.id).state == "approved"
    assert http("POST", link, form={"text": "Once more."}, headers={"Origin": service.url}).status == 409


def test_forged_expired_and_foreign_links_change_nothing(moderated):
    service = moderated()
    comment, notice = verified_comment(service)
    link = action_links(notice)["approve"]
    stale = OwnerTokens(SECRET, action_max_age=1, sign_in_max_age=1, session_max_age=1,
                        clock=lambda: time.time() - 10**6)
    expired = f"{service.url}/moderate/link/{stale.action_token(comment.id, 'approve')}"
    assert http("GET", expired).status == 410
    assert http("POST", expired, form={}, headers={"Origin": service.url}).status == 410
    assert http("POST", link + "x", form={}, headers={"Origin": service.url}).status == 400
    assert http("POST", link, form={}, headers={"Origin": "https://evil.example"}).status == 403
    assert service.store.get(comment.id).state == "verified"
    assert http("POST", link, form={}, headers={"Origin": service.url}).status == 200  # still unused


def test_sign_in_link_goes_to_the_owner_and_works_once(moderated):
    service = moderated()
    status, _, page = raw("POST", f"{service.url}/moderate/sign-in/email", form={}, headers={"Origin": service.url})
    assert status == 200 and "Check your email" in page
    mail = service.smtp.sink.wait_for(1)
    assert mail["To"] == OWNER
    link = SIGN_IN_LINK.search(mail.get_content()).group(0)

    status, headers, page = raw("GET", link)  # a prefetch signs nobody in
    assert status == 200 and "Sign in" in page
    assert not [value for name, value in headers if name.lower() == "set-cookie"]

    status, headers, _ = raw("POST", link, form={}, headers={"Origin": service.url})
    assert status == 303
    cookie = cookie_of(headers)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/moderate" in cookie
    assert "Max-Age=43200" in cookie and "Secure" not in cookie  # the service is on http here
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie.split(";")[0]})
    assert "Awaiting you" in page.text

    assert raw("POST", link, form={}, headers={"Origin": service.url})[0] == 409
    (entry, *_) = service.store.recent_audit(1)
    assert (entry.via, entry.action) == ("link", "sign_in")


def test_a_sign_in_link_for_another_address_is_refused(moderated):
    service = moderated()
    tokens = service.server.app.extensions["handbill_moderation_desk"].tokens
    link = f"{service.url}/moderate/sign-in/{tokens.sign_in_token('mallory@evil.example')}"
    assert http("GET", link).status == 403
    status, headers, _ = raw("POST", link, form={}, headers={"Origin": service.url})
    assert status == 403 and not [value for name, value in headers if name.lower() == "set-cookie"]


def test_password_sign_in_and_secure_cookie_on_https(moderated):
    service = moderated(public_url="https://comments.example")
    origin = {"Origin": "https://comments.example"}
    wrong = raw("POST", f"{service.url}/moderate/sign-in/password", form={"password": "guess"}, headers=origin)
    assert wrong[0] == 403
    status, headers, _ = raw("POST", f"{service.url}/moderate/sign-in/password", form={"password": PASSWORD},
                             headers=origin)
    assert status == 303 and "Secure" in cookie_of(headers) and "HttpOnly" in cookie_of(headers)


def test_no_action_without_a_session_and_a_valid_csrf_token(moderated, hook):
    service = moderated()
    comment, _ = verified_comment(service)
    url = f"{service.url}/moderate/approve"
    cookie, csrf = sign_in(service)
    refused = [
        http("POST", url, form={"ids": comment.id}, headers={"Origin": service.url}),  # no session
        http("POST", url, form={"ids": comment.id, "csrf": csrf}, headers={"Origin": service.url}),  # no cookie
        http("POST", url, form={"ids": comment.id}, headers={"Origin": service.url, "Cookie": cookie}),
        http("POST", url, form={"ids": comment.id, "csrf": csrf + "x"}, headers={"Origin": service.url,
                                                                                  "Cookie": cookie}),
        http("POST", url, form={"ids": comment.id, "csrf": csrf},
             headers={"Origin": "https://evil.example", "Cookie": cookie}),
        http("POST", url, form={"ids": comment.id, "csrf": csrf},
             headers={"Origin": service.url, "Cookie": "handbill_moderator=forged"}),
    ]
    assert [answer.status for answer in refused] == [401, 401, 403, 403, 403, 401]
    assert service.store.get(comment.id).state == "verified" and hook.calls == []

    done = http("POST", url, form={"ids": comment.id, "csrf": csrf}, headers={"Origin": service.url, "Cookie": cookie})
    assert done.status == 200 and f"{comment.id}: approved" in done.text
    assert hook.calls == [[comment.id]]
    (entry, *_) = service.store.recent_audit(1)
    assert (entry.via, entry.action, entry.comment_id) == ("session", "approve", comment.id)


def test_the_page_lists_escapes_and_acts_in_bulk(moderated, hook):
    service = moderated()
    first, _ = verified_comment(service, body="<script>alert(1)</script> is what I typed")
    second, _ = verified_comment(service, mails_before=2, body="Another one, quite harmless.")
    third, _ = verified_comment(service, mails_before=4, body="And a third, to reject.")
    cookie, csrf = sign_in(service)
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>" not in page
    assert "First Coffee" in page and "first comment from this address" in page
    assert page.count('name="ids" value="c-') >= 3

    headers = {"Origin": service.url, "Cookie": cookie}
    # Several ticked boxes: the form repeats its "ids" field.
    raw("POST", f"{service.url}/moderate/approve", form={"ids": [first.id, second.id], "csrf": csrf}, headers=headers)
    raw("POST", f"{service.url}/moderate/reject", form={"ids": [third.id], "csrf": csrf, "reason": "spam"},
        headers=headers)
    assert [service.store.get(c.id).state for c in (first, second, third)] == ["approved", "approved", "rejected"]
    assert hook.calls == [[first.id, second.id]]
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    assert "Recent actions" in page and "owner via session" in page and "spam" in page


def test_editing_a_published_comment_checks_and_records(moderated, hook, tmp_path):
    service = moderated()
    comment, _ = verified_comment(service, body="Teh second meeting is where it starts.")
    cookie, csrf = sign_in(service)
    headers = {"Origin": service.url, "Cookie": cookie}
    http("POST", f"{service.url}/moderate/approve", form={"ids": comment.id, "csrf": csrf}, headers=headers)
    comments_dir = tmp_path / "records"
    export(service.store, comments_dir, utc_now())

    refused = http("POST", f"{service.url}/moderate/edit", form={"id": comment.id, "csrf": csrf, "body": "***"},
                   headers=headers)
    assert "Not edited" in refused.text and "no text to show" in refused.text
    edited = http("POST", f"{service.url}/moderate/edit",
                  form={"id": comment.id, "csrf": csrf, "body": "The second meeting, write me at me@mail.example."},
                  headers=headers)
    assert f"{comment.id}: edited" in edited.text
    body = service.store.get(comment.id).body
    assert body.startswith("The second meeting") and "me@mail.example" not in body  # redacted as published
    (entry, *_) = service.store.recent_audit(1)
    assert (entry.action, entry.via) == ("edit", "session") and "Teh second" in entry.detail
    assert hook.calls[-1] == [comment.id]

    result = export(service.store, comments_dir, utc_now())  # the edit reaches the record
    assert result.problems == [] and len(result.written) == 1
    assert "The second meeting" in result.written[0].read_text(encoding="utf-8")


def test_tasks_record_in_the_audit(moderated):
    from handbill.comment_service.moderation import approve

    service = moderated()
    comment, _ = verified_comment(service)
    approve(service.store, [comment.id], utc_now())
    (entry, *_) = service.store.recent_audit(1)
    assert (entry.via, entry.action, entry.comment_id) == ("task", "approve", comment.id)


def test_owner_notices_wait_for_an_owner_address(start_service):
    service = start_service()  # no owner_email, no contact_email
    answer = service.submit_json(service.fields())
    confirm_link(verification_link(service.smtp.sink.wait_for(1)), service.store)
    eventually(lambda: service.store.get(answer.json()["id"]).owner_mail == "none", what="no owner notice")
    assert service.config.notify_owner  # on by default


def test_the_page_shows_a_failed_publish_and_publishes_on_request(moderated, hook):
    service = moderated()
    cookie, csrf = sign_in(service)
    headers = {"Origin": service.url, "Cookie": cookie}
    assert 'id="publishing"' not in http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    _, _, off = raw("POST", f"{service.url}/moderate/publish", form={"csrf": csrf}, headers=headers)
    assert "Publishing on approval is off" in off and hook.retries == 0

    hook.publishing = {
        "outcome": "failed", "building": False, "pending_ids": ["c-1", "c-2"],
        "last_finished_at": "2026-11-30T10:00:00+00:00", "last_success_at": None, "error": "posts/broken.md: <bad>",
    }
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    assert "The last publish failed (2026-11-30 10:00 UTC)" in page and "2 approved comments not live yet" in page
    assert "posts/broken.md: &lt;bad&gt;" in page
    assert raw("POST", f"{service.url}/moderate/publish", form={"csrf": "forged"}, headers=headers)[0] == 403
    assert hook.retries == 0
    _, _, answer = raw("POST", f"{service.url}/moderate/publish", form={"csrf": csrf}, headers=headers)
    assert "Publishing now" in answer and hook.retries == 1


def test_signing_out_ends_the_session_for_every_copy_of_its_cookie(moderated):
    service = moderated()
    cookie, csrf = sign_in(service)
    status, _, _ = raw("POST", f"{service.url}/moderate/sign-out", form={"csrf": csrf},
                       headers={"Origin": service.url, "Cookie": cookie})
    assert status == 303
    # The browser forgot the cookie; a copy of it (another device, a stolen one) is refused too.
    assert "Sign out" not in http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    status, _, _ = raw("POST", f"{service.url}/moderate/approve", form={"csrf": csrf, "ids": ["c-1"]},
                       headers={"Origin": service.url, "Cookie": cookie})
    assert status == 401  # not_signed_in
    assert [entry.action for entry in service.store.recent_audit(2)] == ["sign_out", "sign_in"]


def test_a_link_whose_action_could_not_be_stored_can_be_pressed_again(tmp_path):
    store = Store(tmp_path / "comments.sqlite3").initialize()
    store.use_owner_nonce("n-1", utc_now())
    assert store.owner_nonce_used("n-1")
    store.release_owner_nonce("n-1")  # what the link's page does when the approval hit a busy database
    assert not store.owner_nonce_used("n-1")
    store.use_owner_nonce("n-1", utc_now())


def test_the_page_shows_visits_from_paper_and_the_comments_that_followed(moderated):
    from handbill.comment_service.visits import Visit, record_visit

    service = moderated()
    for _ in range(3):
        record_visit(service.store, Visit("chamber-breakfast", "handout", "/posts/2024/first-coffee/"), utc_now())
    record_visit(service.store, Visit("chamber-breakfast", "card", "/events/chamber-breakfast/"), utc_now())
    time.sleep(1)  # the comment comes after the first visit, to the second
    verified_comment(service)
    cookie, _ = sign_in(service)
    page = http("GET", f"{service.url}/moderate", headers={"Cookie": cookie}).text
    section = page[page.index('id="from-paper"'):]
    assert "chamber-breakfast" in section and "4 visit(s)" in section and "1 comment(s) followed" in section
    assert "First Coffee" in section and "/events/chamber-breakfast/" in section
