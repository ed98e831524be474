"""GET /health: a real write to the database, the outbox's backlog, the mail sender's life."""

import sqlite3
from contextlib import closing
from datetime import datetime, timedelta

from handbill.comment_service.store import timestamp, utc_now

from .support import http


def test_health_writes_to_the_database_and_reports_the_mail_backlog(service):
    service.smtp.sink.released.clear()  # the first email hangs at the SMTP server
    first = service.submit_json(service.fields()).json()["id"]
    second = service.submit_json(service.fields(email="ada@example.org")).json()["id"]
    with closing(sqlite3.connect(service.store.path)) as connection, connection:
        connection.execute("UPDATE outbox SET state = 'failed' WHERE comment_id = ?", (second,))
        connection.execute("UPDATE outbox SET queued_at = ?, next_attempt_at = ? WHERE comment_id = ?",
                           (*[timestamp(utc_now() - timedelta(minutes=5))] * 2, first))

    answer = http("GET", f"{service.url}/health")

    assert answer.status == 200 and answer.headers["Cache-Control"] == "no-store"
    health = answer.json()
    assert (health["status"], health["database"], health["mail_sender"]) == ("ok", "ok", "running")
    mail = health["mail"]
    assert (mail["queued"], mail["failed"]) == (1, 1)
    assert 290 < mail["oldest_queued_seconds"] < 600 and 290 < mail["overdue_seconds"] < 600
    with closing(sqlite3.connect(service.store.path)) as connection:
        (beat,) = connection.execute("SELECT at FROM heartbeat").fetchone()
    assert abs(datetime.fromisoformat(beat) - utc_now()) < timedelta(minutes=1)
    service.smtp.sink.released.set()


def test_health_is_503_when_the_mail_sender_stopped(service):
    service.server.app.extensions["handbill_comments"].mail_sender.stop()

    answer = http("GET", f"{service.url}/health")

    assert answer.status == 503 and answer.headers["Retry-After"]
    assert (answer.json()["status"], answer.json()["mail_sender"]) == ("unavailable", "stopped")
