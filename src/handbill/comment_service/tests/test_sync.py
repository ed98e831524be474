"""Mode 2: approved comments fetched from a real service over HTTP into content/comments/."""

import json
import subprocess
from dataclasses import replace

import pytest

from handbill.comment_service.app import create_app
from handbill.comment_service.config import load_service_config
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now
from handbill.comment_service.sync import SyncError, commit, sync
from handbill.core.records import read_record

from .support import SECRET, LoopbackServer, Service, http, manifest, service_config

TOKEN = "sync-token-0123456789abcdef"


@pytest.fixture
def start_service(tmp_path, smtp):
    """``start_service(sync_token)``: the service with HANDBILL_SYNC_TOKEN as given."""
    servers = []

    def start(sync_token=TOKEN):
        manifest_path = tmp_path / "output" / "comments" / "manifest.json"
        manifest_path.parent.mkdir(parents=True, exist_ok=True)
        manifest_path.write_text(json.dumps(manifest({"first-coffee": {}})), encoding="utf-8")
        server = LoopbackServer()
        config = replace(service_config(tmp_path, smtp.port, server.url, manifest_path=manifest_path),
                         sync_token=sync_token)
        store = Store(config.db_path).initialize()
        servers.append(server.start(create_app(config, store=store)))
        return Service(config, server, smtp, store)

    yield start
    for server in servers:
        server.stop()


def test_the_token_comes_from_the_environment():
    settings = {"COMMENTS": {"service_url": "https://comments.site.example"}}
    environ = {"HANDBILL_COMMENT_SECRET": SECRET, "HANDBILL_SYNC_TOKEN": f" {TOKEN}\n"}
    assert load_service_config(settings, environ).sync_token == TOKEN
    assert load_service_config(settings, {"HANDBILL_COMMENT_SECRET": SECRET}).sync_token == ""


def stored(number, state, body, reason=""):
    now = utc_now()
    return StoredComment(
        id=f"c-20240301-0900-00000{number}", post="first-coffee", reply_to="", author="Zoë de la Cruz",
        email="zoe@example.org", website="", body=body, identity="email-verified", state=state,
        created_at=timestamp(now), verified_at=timestamp(now), decided_at=timestamp(now), reason=reason,
    )


def test_sync_fetches_approved_records_idempotently_and_holds_rejected_ones(start_service, tmp_path):
    service = start_service()
    service.store.add_comment(stored(1, "approved", "The second meeting is where it starts."))
    service.store.add_comment(stored(2, "verified", "Not approved yet."))
    comments_dir = tmp_path / "site" / "content" / "comments"

    result = sync(service.url, TOKEN, comments_dir)
    assert [path.name for path in result.written] == ["c-20240301-0900-000001.md"] and not result.problems
    record = read_record(comments_dir / "first-coffee" / "c-20240301-0900-000001.md")
    assert record.is_published and record.body == "The second meeting is where it starts."
    assert "zoe@example.org" not in (comments_dir / "first-coffee" / "c-20240301-0900-000001.md").read_text()
    again = sync(service.url, TOKEN, comments_dir, since=result.until)
    assert again.written == []  # since is inclusive (to the second): nothing is missed, nothing rewritten
    assert sync(service.url, TOKEN, comments_dir).unchanged == 1

    service.store.decide("c-20240301-0900-000001", "rejected", utc_now(), "spam after all", from_states=("approved",))
    service.store.add_comment(stored(3, "rejected", "Never published."))
    held = sync(service.url, TOKEN, comments_dir)
    assert [path.name for path in held.written] == ["c-20240301-0900-000001.md"]
    record = read_record(comments_dir / "first-coffee" / "c-20240301-0900-000001.md")
    assert record.status == "held" and record.held_reason == "spam after all"
    assert not (comments_dir / "first-coffee" / "c-20240301-0900-000003.md").exists()


def test_the_api_wants_the_token(start_service):
    service = start_service()
    for headers in ({}, {"Authorization": "Bearer wrong-token"}, {"Authorization": f"Basic {TOKEN}"}):
        answer = http("GET", f"{service.url}/api/comments", headers={"Accept": "application/json", **headers})
        assert answer.status == 401 and answer.json()["error"] == "unauthorized", answer.text
    bad_since = http("GET", f"{service.url}/api/comments?since=yesterday",
                     headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/json"})
    assert bad_since.status == 400
    try:
        sync(service.url, "wrong-token", "unused")
    except SyncError as error:
        assert "401" in str(error)
    else:
        raise AssertionError("a wrong token synced")


def test_the_api_is_off_without_a_token(start_service):
    service = start_service(sync_token="")
    answer = http("GET", f"{service.url}/api/comments",
                  headers={"Authorization": "Bearer ", "Accept": "application/json"})
    assert answer.status == 404 and answer.json()["error"] == "sync_off"


def test_commit_commits_only_the_synced_records(tmp_path):
    repository = tmp_path / "site"
    record = repository / "content" / "comments" / "first-coffee" / "c-1.md"
    record.parent.mkdir(parents=True)
    record.write_text("a record", encoding="utf-8")
    (repository / "draft.md").write_text("not for this commit", encoding="utf-8")
    git = ["git", "-c", "user.name=Dana", "-c", "user.email=dana@example.com"]
    subprocess.run([*git, "init", "-q", str(repository)], check=True)
    subprocess.run(["git", "config", "user.name", "Dana"], cwd=repository, check=True)
    subprocess.run(["git", "config", "user.email", "dana@example.com"], cwd=repository, check=True)
    assert commit([record], repository)
    shown = subprocess.run(["git", "show", "--name-only", "--format=%s"], cwd=repository, capture_output=True,
                           text=True, check=True).stdout
    assert "content/comments/first-coffee/c-1.md" in shown and "draft.md" not in shown
    assert not commit([], repository)
