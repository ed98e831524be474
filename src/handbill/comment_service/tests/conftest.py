import json

import pytest

from handbill.comment_service.app import create_app
from handbill.comment_service.store import Store

from .support import LoopbackServer, Service, SmtpServer, manifest, service_config

POSTS = {
    "first-coffee": {"comment_ids": ["c-20240301-0900-abcdef"]},
    "closed-post": {"comments": "closed"},
    "hidden-post": {"comments": "hidden"},
    "past-closing": {"closes_at": "2020-01-01T00:00:00+00:00"},
}


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def start_service(tmp_path, smtp):
    """``start_service(service=..., comments=..., store=..., posts=...)`` → a running Service."""
    running = []

    def start(*, service=None, comments=None, store=None, posts=POSTS, manifest_path=None, smtp_port=None):
        if manifest_path is None:
            manifest_path = tmp_path / "output" / "comments" / "manifest.json"
            manifest_path.parent.mkdir(parents=True, exist_ok=True)
            manifest_path.write_text(json.dumps(manifest(posts)), encoding="utf-8")
        server = LoopbackServer()
        config = service_config(
            tmp_path, smtp_port or smtp.port, server.url,
            manifest_path=manifest_path, service=service, comments=comments,
        )
        store = store or Store(config.db_path).initialize()
        running.append(server.start(create_app(config, store=store)))
        return Service(config, server, smtp, store)

    yield start
    for server in running:
        server.stop()


@pytest.fixture
def service(start_service):
    return start_service()
