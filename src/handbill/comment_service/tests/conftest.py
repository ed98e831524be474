import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from handbill.comment_service.app import create_app
from handbill.comment_service.config import load_service_config_from_file
from handbill.comment_service.store import Store
from handbill.testing.sites import build

from .support import LoopbackServer, Service, SmtpServer, environment, manifest, service_config

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


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def site_and_service(tmp_path, smtp):
    """A built site served on 127.0.0.1 and the service for it: (site, site origin, service server)."""
    from .test_end_to_end import POST, site_settings

    service = LoopbackServer()
    site_server = ThreadingHTTPServer(("127.0.0.1", 0), None)
    origin = f"http://127.0.0.1:{site_server.server_address[1]}"
    site = build(tmp_path / "site", {"posts/first-coffee.md": POST},
                 site_settings(tmp_path, service.url, allowed_origins=[origin]))
    site_server.RequestHandlerClass = functools.partial(QuietHandler, directory=str(site.output))
    threading.Thread(target=site_server.serve_forever, daemon=True).start()
    service.start(create_app(load_service_config_from_file(site.settings_file, environment(smtp.port))))
    yield site, origin, service
    service.stop()
    site_server.shutdown()
    site_server.server_close()
