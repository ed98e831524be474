"""Faults: SMTP down, stalled or silent; the database locked, deleted, corrupt or on a full disk; a
killed process. Every request still answers within a bound, with a documented answer, and no
comment answered 202 (nor its email) is ever lost."""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing

import pytest

from handbill.comment_service.app import build_sender
from handbill.comment_service.moderation import retry_mail
from handbill.comment_service.store import Store, utc_now

from .support import (
    SITE_ORIGIN,
    SmtpServer,
    confirm_link,
    environment,
    eventually,
    free_port,
    http,
    manifest,
    start_service_process,
    verification_link,
    write_settings_file,
)

# No answer may take longer than this, whatever is stalled or locked. (Before the outbox and
# the bounded database wait, one stalled SMTP server or one held lock made /health take 20 s.)
BOUND = 10


def answers_within_bound(service, requests):
    """Send ``requests`` [(method, path, json_body)] all at once, more than waitress has
    threads; their Responses, each of which had to come within BOUND seconds."""

    def send(request):
        method, path, body = request
        return http(method, f"{service.url}{path}", json_body=body, headers={"Origin": SITE_ORIGIN}, timeout=BOUND)

    with ThreadPoolExecutor(len(requests)) as pool:
        return list(pool.map(send, requests))


def submissions(service, count):
    return [("POST", "/comments", service.fields(email=f"reader{n}@example.org", body=f"Reader {n}.")) for n in
            range(count)]


def outbox_row(store, comment_id):
    with closing(sqlite3.connect(store.path)) as connection:
        return connection.execute(
            "SELECT state, attempts, last_error FROM outbox WHERE comment_id = ?", (comment_id,)
        ).fetchone()


def test_smtp_down_keeps_the_comment_and_retry_mail_sends_it(start_service):
    smtp_port = free_port()  # nothing listens there yet
    service = start_service(smtp_port=smtp_port)

    answer = service.submit_json(service.fields())
    page = service.submit_form(service.fields(email="ada@example.org", body="And the same from the form."))

    assert answer.status == 202 and answer.json()["mail"] == "queued"
    assert page.status == 202 and "Check your email" in page.text
    comment_id = answer.json()["id"]
    # A first attempt fails (its error recorded once the SMTP conversation gave up) and is retried later.
    eventually(lambda: "could not send mail" in (outbox_row(service.store, comment_id)[2] or ""), what="a failed try")
    assert outbox_row(service.store, comment_id)[0] == "queued"
    assert http("GET", f"{service.url}/health").json()["mail"]["queued"] == 2

    with SmtpServer(smtp_port) as smtp:
        report = retry_mail(build_sender(service.config, service.store), utc_now())  # what the owner's task does
        # The service's own sender may take some of them in the meantime; each goes once all the same.
        assert report.failed == 0
        smtp.sink.wait_for(2)
        assert sorted(m["To"].addresses[0].username for m in smtp.sink.messages) == ["ada", "zoe"]
        link = verification_link(next(m for m in smtp.sink.messages if m["To"].addresses[0].username == "zoe"))
    assert confirm_link(link, service.store).status == 200
    assert service.store.get(comment_id).verify_mail == "sent"
    assert len(service.store.in_states("verified")) == 1


def test_a_stalled_smtp_server_holds_up_no_request_and_loses_no_email(start_service):
    service = start_service()
    service.smtp.sink.released.clear()  # the server takes each message and then sits on it
    first = service.submit_json(service.fields(email="first@example.org"))
    assert first.status == 202
    eventually(lambda: outbox_row(service.store, first.json()["id"])[1] == 1, what="the sender stuck on the first")

    answers = answers_within_bound(service, [*submissions(service, 6), *[("GET", "/health", None)] * 2])

    assert [answer.status for answer in answers] == [202] * 6 + [200] * 2
    assert http("GET", f"{service.url}/health", timeout=BOUND).json()["mail"]["queued"] == 7
    service.smtp.sink.released.set()
    service.smtp.sink.wait_for(7)
    accepted = [first.json()["id"], *(answer.json()["id"] for answer in answers[:6])]
    eventually(lambda: all(service.store.get(id_).verify_mail == "sent" for id_ in accepted), what="all recorded")
    assert http("GET", f"{service.url}/health").json()["mail"] == {
        "queued": 0, "failed": 0, "oldest_queued_seconds": None, "overdue_seconds": 0,
    }


@pytest.fixture
def silent_smtp():
    """A loopback port that takes connections and never says a word."""
    with socket.create_server(("127.0.0.1", 0)) as listener:
        yield listener


def test_a_silent_smtp_server_times_out_and_the_email_waits_for_a_retry(start_service, silent_smtp):
    port = silent_smtp.getsockname()[1]
    service = start_service(smtp_port=port, service={"smtp_timeout": 1})

    answer = service.submit_json(service.fields())
    health = http("GET", f"{service.url}/health", timeout=BOUND)

    assert answer.status == 202 and health.status == 200
    comment_id = answer.json()["id"]
    eventually(lambda: outbox_row(service.store, comment_id)[1] == 1 and outbox_row(service.store, comment_id)[2],
               what="the attempt timed out")
    assert "timed out" in outbox_row(service.store, comment_id)[2]
    silent_smtp.close()
    with SmtpServer(port) as smtp:
        assert retry_mail(build_sender(service.config, service.store), utc_now()).sent == 1
        assert confirm_link(verification_link(smtp.sink.wait_for(1)), service.store).status == 200


def test_a_held_database_lock_holds_up_no_request_for_long(start_service):
    service = start_service()
    waiting = service.submit_json(service.fields(email="before@example.org"))
    link = verification_link(service.smtp.sink.wait_for(1))
    stored = service.store.ids()
    locker = sqlite3.connect(service.store.path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")  # a backup, say, or a stuck owner's task
    try:
        answers = answers_within_bound(service, [*submissions(service, 4), *[("GET", "/health", None)] * 4])
        page = http("GET", link, timeout=BOUND)  # reads go on beside a writer
    finally:
        locker.execute("ROLLBACK")

    assert [answer.status for answer in answers] == [503] * 8
    assert {answer.json().get("error") for answer in answers[:4]} == {"busy"}
    assert {answer.json()["status"] for answer in answers[4:]} == {"busy"}
    assert all(int(answer.headers["Retry-After"]) > 0 for answer in answers)
    assert page.status == 200 and "Confirm my comment" in page.text
    assert service.store.ids() == stored  # a 503 stored nothing
    assert waiting.status == 202 and http("GET", f"{service.url}/health").status == 200
    assert service.submit_json(service.fields()).status == 202


def test_a_database_locked_for_reading_too_answers_busy_pages(start_service):
    service = start_service()
    service.submit_json(service.fields())
    link = verification_link(service.smtp.sink.wait_for(1))
    locker = sqlite3.connect(service.store.path, isolation_level=None)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")  # keeps readers out as well
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("UPDATE heartbeat SET at = at")
    try:
        page = http("GET", link, timeout=BOUND)
    finally:
        locker.close()
    assert page.status == 503 and "try again in a minute" in page.text and page.headers["Retry-After"]
    assert http("GET", link).status == 200


def break_database(store, how):
    companions = [store.path.with_name(store.path.name + suffix) for suffix in ("-wal", "-shm")]
    for path in companions:
        path.unlink(missing_ok=True)
    if how == "deleted":
        store.path.unlink()
    else:
        store.path.write_bytes(b"not a database, whatever it was " * 1000)


@pytest.mark.parametrize("how", ["deleted", "corrupt"])
def test_a_broken_database_answers_unavailable_and_is_never_made_again(start_service, how):
    service = start_service()
    accepted = service.submit_json(service.fields())
    link = verification_link(service.smtp.sink.wait_for(1))
    fields = service.fields(email="ada@example.org")
    break_database(service.store, how)

    answer = service.submit_json(fields)
    health = http("GET", f"{service.url}/health")
    page = http("GET", link)

    assert accepted.status == 202
    assert (answer.status, answer.json()["error"]) == (503, "unavailable") and answer.headers["Retry-After"]
    assert "Nothing was saved" in answer.json()["message"]
    assert (health.status, health.json()["status"]) == (503, "unavailable")
    assert page.status == 503
    assert service.store.path.exists() == (how == "corrupt")  # a deleted one stays deleted


@pytest.fixture
def small_disk(tmp_path):
    """A real filesystem of 2 MB (a tmpfs; mounting one needs root), and ways to fill and free it."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                             capture_output=True, check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small filesystem here: {mounted.stderr.decode().strip()}")
    try:
        yield SmallDisk(mount_point)
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


class SmallDisk:
    def __init__(self, path):
        self.path = path
        self.filler = path / "filler"

    def fill(self):
        descriptor = os.open(self.filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while True:
                os.write(descriptor, bytes(65536))
        except OSError:
            pass  # full
        finally:
            os.close(descriptor)

    def free(self):
        self.filler.unlink()


def test_a_full_disk_refuses_before_storing_and_never_after(start_service, small_disk, caplog):
    store = Store(small_disk.path / "comments.sqlite3").initialize()
    service = start_service(store=store)

    # Full before a comment is stored: a documented refusal, nothing stored, /health says so.
    small_disk.fill()
    refused = service.submit_json(service.fields(email="ada@example.org"))
    health = http("GET", f"{service.url}/health")
    small_disk.free()
    assert (refused.status, refused.json()["error"]) == (503, "unavailable")
    assert (health.status, health.json()["status"]) == (503, "unavailable")
    assert store.ids() == set()

    # Full right after: the comment and its email were stored together, so the answer is 202;
    # the email goes, and its being sent is recorded once there is room again, without a second email.
    service.smtp.sink.released.clear()
    answer = service.submit_json(service.fields())
    comment_id = answer.json()["id"]
    eventually(lambda: outbox_row(store, comment_id)[1] == 1, what="the sender taking the email")
    small_disk.fill()
    service.smtp.sink.released.set()
    service.smtp.sink.wait_for(1)
    eventually(lambda: any(r.getMessage().startswith("Mail sender:") for r in caplog.records),
               what="the sender failing to record the email")
    health = http("GET", f"{service.url}/health")
    small_disk.free()

    assert answer.status == 202 and health.status == 503
    assert store.ids() == {comment_id}
    service.server.app.extensions["handbill_comments"].mail_sender.wake()
    eventually(lambda: store.get(comment_id).verify_mail == "sent", what="the sent email recorded")
    assert len(service.smtp.sink.messages) == 1


def test_killed_service_loses_no_answered_comment(tmp_path, smtp):
    port = free_port()
    manifest_path = tmp_path / "manifest.json"
    manifest_path.write_text(json.dumps(manifest({"first-coffee": {}})), encoding="utf-8")
    db_path = tmp_path / "comments.sqlite3"
    settings_file = write_settings_file(
        tmp_path,
        {
            "port": port, "db_path": str(db_path), "manifest_path": str(manifest_path),
            "allowed_origins": [SITE_ORIGIN], "min_fill_seconds": 0,
            "rate_limit_address": "100000/hour", "rate_limit_email": "100000/day",
        },
        {"service_url": f"http://127.0.0.1:{port}"},
    )
    process, url = start_service_process(settings_file, environment(smtp.port))
    answered, enough = [], threading.Event()

    def commenter(number):
        sent = 0
        while True:
            try:
                token = http("GET", f"{url}/token?post=first-coffee", headers={"Origin": SITE_ORIGIN}).json()["token"]
                answer = http("POST", f"{url}/comments", headers={"Origin": SITE_ORIGIN}, json_body={
                    "post": "first-coffee", "token": token, "name": "Zoë de la Cruz",
                    "email": f"reader{number}.{sent}@example.org", "body": f"Comment {sent} from reader {number}.",
                })
            except OSError:
                return  # the server is gone
            if answer.status == 202:
                answered.append(answer.json()["id"])
                sent += 1
                if len(answered) >= 30:
                    enough.set()

    with ThreadPoolExecutor(4) as pool:
        for number in range(4):
            pool.submit(commenter, number)
        assert enough.wait(60), "the service accepted too few comments"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)

    assert process.returncode == -signal.SIGKILL
    store = Store(db_path).initialize()
    assert set(answered) <= store.ids()
    # Every one of them has its email sent or waiting for the next start.
    assert {store.get(comment_id).verify_mail for comment_id in answered} <= {"queued", "sent"}
