"""Faults: SMTP down, a busy database, a killed process. No answered comment is ever lost."""

import json
import os
import signal
import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor

from handbill.comment_service.app import build_notifier
from handbill.comment_service.moderation import retry_mail
from handbill.comment_service.store import Store, utc_now

from .support import (
    SITE_ORIGIN,
    SmtpServer,
    confirm_link,
    environment,
    free_port,
    http,
    manifest,
    start_service_process,
    verification_link,
    write_settings_file,
)


def test_smtp_down_keeps_the_comment_and_retry_mail_sends_it(start_service):
    smtp_port = free_port()  # nothing listens there yet
    service = start_service(smtp_port=smtp_port)

    answer = service.submit_json(service.fields())
    page = service.submit_form(service.fields(body="And the same from the form."))

    assert answer.status == 202 and answer.json()["mail"] == "delayed"
    assert "will follow" in answer.json()["message"]
    assert page.status == 202 and "will follow" in page.text
    comment = service.store.get(answer.json()["id"])
    assert (comment.state, comment.verify_mail) == ("unverified", "failed")

    with SmtpServer(smtp_port) as smtp:
        sent = retry_mail(service.store, build_notifier(service.config, service.store), utc_now())
        assert sent == (2, 0)
        link = verification_link(smtp.sink.wait_for(1))
        assert retry_mail(service.store, build_notifier(service.config, service.store), utc_now()) == (0, 0)
    assert confirm_link(link, service.store).status == 200
    assert service.store.get(comment.id).verify_mail == "sent"
    assert len(service.store.in_states("verified")) == 1


def test_locked_database_is_waited_for(start_service, tmp_path):
    store = Store(tmp_path / "waits.sqlite3", busy_timeout=0.1, attempts=8).initialize()
    service = start_service(store=store)
    fields = service.fields()
    locker = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    locker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.4, lambda: locker.execute("ROLLBACK"))
    release.start()
    try:
        answer = service.submit_json(fields)
    finally:
        release.join()
        locker.close()
    assert answer.status == 202, answer.text
    assert store.ids() == {answer.json()["id"]}


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
    assert set(answered) <= Store(db_path).initialize().ids()
