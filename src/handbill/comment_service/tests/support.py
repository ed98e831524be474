"""Real parts for the service's tests: a loopback SMTP server, the service under waitress, HTTP calls."""

import json
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import waitress
from aiosmtpd.controller import Controller

from handbill.comment_service.config import load_service_config, origin_of
from handbill.comment_service.store import STATES

SECRET = "test-secret-key-0123456789abcdef"
SITE_ORIGIN = "https://site.example"
VERIFY_LINK = re.compile(r"https?://\S+/verify/\S+")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class MailSink:
    """aiosmtpd handler that keeps every message it is given; a test may make it refuse them
    (``refusal``, an SMTP reply) or stall on them (``released.clear()``, until ``.set()``)."""

    def __init__(self):
        self.messages = []
        self._arrived = threading.Condition()
        self.refusal = None
        self.released = threading.Event()
        self.released.set()

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        from email import message_from_bytes
        from email.policy import default

        while not self.released.is_set():  # without blocking the server's other connections
            await asyncio.sleep(0.02)
        if self.refusal:
            return self.refusal
        with self._arrived:
            self.messages.append(message_from_bytes(envelope.content, policy=default))
            self._arrived.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=10):
        with self._arrived:
            if not self._arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"expected {count} email(s), got {len(self.messages)}")
            return self.messages[count - 1]


class SmtpServer:
    def __init__(self, port=None):
        self.sink = MailSink()
        self.port = port or free_port()
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


def eventually(condition, timeout=10, what="the condition"):
    """Wait for ``condition()`` to hold, as the mail sender thread works at its own pace;
    fail after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not hold within {timeout} s")
        time.sleep(0.02)


def verification_link(message):
    match = VERIFY_LINK.search(message.get_content())
    assert match, f"no verification link in:\n{message.get_content()}"
    return match.group(0)


def confirm_link(link, store):
    """Follow the emailed link as a person does: open its page, which must change nothing in
    ``store``, then press its button, which posts back to the same address from the page's
    origin. The answer to the button."""
    before = store.in_states(*STATES)
    page = http("GET", link)
    assert page.status == 200 and "Confirm my comment" in page.text, page.text
    assert store.in_states(*STATES) == before, "opening the link changed the store"
    return http("POST", link, form={}, headers={"Origin": origin_of(link)})


class LoopbackServer:
    """waitress on 127.0.0.1, bound before its app exists (a built site needs the service's URL);
    ``options`` are waitress's (``app.waitress_options``, say)."""

    def __init__(self, threads=4, **options):
        self.app = None
        # A short select() timeout lets stop() end the loop quickly.
        self.server = waitress.create_server(
            self._dispatch, host="127.0.0.1", port=0, **{"threads": threads, **options}, asyncore_loop_timeout=0.1
        )
        self.port = self.server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.stopping = False

    def _run(self):
        try:
            self.server.run()
        except OSError:
            if not self.stopping:  # closing the sockets under select() is how stop() ends it
                raise

    def _dispatch(self, environ, start_response):
        return self.app(environ, start_response)

    def start(self, app):
        self.app = app
        self.thread.start()
        return self

    def stop(self):
        # As webtest's StopableWSGIServer does: close every channel so run() returns.
        self.stopping = True
        while self.server._map:
            for channel in list(self.server._map.values()):
                channel.handle_close()
        self.server.task_dispatcher.shutdown()
        self.thread.join(timeout=10)
        if self.app is not None:
            self.app.extensions["handbill_comments"].mail_sender.stop()


def manifest(posts, site_url=""):
    """A manifest as the comments plugin writes it; ``posts`` maps slug to overrides."""
    now = datetime.now(UTC)
    entries = {}
    for slug, overrides in posts.items():
        entries[slug] = {
            "title": slug.replace("-", " ").title(),
            "url": f"posts/2024/{slug}/",
            "date": (now - timedelta(days=3)).isoformat(),
            "comments": "open",
            "closes_at": None,
            "comment_ids": [],
            **overrides,
        }
    return {"generated": now.isoformat(), "site_url": site_url, "posts": entries}


def service_config(tmp_path, smtp_port, service_url, *, manifest_path=None, service=None, comments=None, settings=None):
    """A ServiceConfig for a service at ``service_url`` with its database under ``tmp_path``."""
    pelican_settings = {
        "PROJECT_ROOT": tmp_path,
        "AUTHOR": "Dana Whitfield",
        "SITENAME": "Test Site",
        "SITEURL": "",
        "OUTPUT_PATH": str(tmp_path / "output"),
        "PATH": str(tmp_path / "content"),
        "COMMENTS": {"service_url": service_url, **(comments or {})},
        "COMMENT_SERVICE": {
            "db_path": str(tmp_path / "comments.sqlite3"),
            "allowed_origins": [SITE_ORIGIN],
            "min_fill_seconds": 0,
            "rate_limit_address": "1000/hour",
            "rate_limit_email": "1000/day",
            **({"manifest_path": str(manifest_path)} if manifest_path else {}),
            **(service or {}),
        },
        **(settings or {}),
    }
    environ = {
        "HANDBILL_COMMENT_SECRET": SECRET,
        "HANDBILL_SMTP_HOST": "127.0.0.1",
        "HANDBILL_SMTP_PORT": str(smtp_port),
        "HANDBILL_SMTP_FROM": "Comments <comments@site.example>",
    }
    return load_service_config(pelican_settings, environ)


@dataclass
class Response:
    status: int
    headers: dict
    text: str

    def json(self):
        return json.loads(self.text)


def http(method, url, *, form=None, json_body=None, data=None, headers=None, timeout=30):
    """One HTTP request; the Response whatever its status (raises if none comes in ``timeout`` s)."""
    headers = dict(headers or {})
    if form is not None:
        data = urllib.parse.urlencode(form).encode()
        headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
    elif json_body is not None:
        data = json.dumps(json_body).encode()
        headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, dict(answer.headers), answer.read().decode("utf-8"))
    except urllib.error.HTTPError as error:
        return Response(error.code, dict(error.headers), error.read().decode("utf-8"))


class Service:
    """A running service with its SMTP server: the things a test talks to."""

    def __init__(self, config, server, smtp, store):
        self.config = config
        self.server = server
        self.smtp = smtp
        self.store = store
        self.url = server.url

    def token(self, post, origin=SITE_ORIGIN):
        """A form token from GET /token, as the form's script fetches it."""
        answer = http("GET", f"{self.url}/token?post={urllib.parse.quote(post)}", headers={"Origin": origin})
        assert answer.status == 200, answer.text
        return answer.json()["token"]

    def signed_token(self, post):
        """A token signed for ``post`` directly, as if issued while the post was still open."""
        return self.server.app.extensions["handbill_comments"].tokens.form_token(post)

    def fields(self, post="first-coffee", **overrides):
        values = {
            "post": post,
            "reply_to": "",
            "name": "Zoë de la Cruz",
            "email": "zoe@example.org",
            "website": "",
            "body": "Thank you, this helped me follow up after a conference.",
            "nickname": "",
        }
        values.update(overrides)
        if "token" not in overrides:
            # The endpoint gives no token for a closed or unknown post; the form may have
            # been opened before the post closed (or a script may be making things up).
            answer = http("GET", f"{self.url}/token?post={urllib.parse.quote(values['post'])}",
                          headers={"Origin": SITE_ORIGIN})
            values["token"] = answer.json()["token"] if answer.status == 200 else self.signed_token(values["post"])
        return values

    def submit_json(self, fields, origin=SITE_ORIGIN, headers=None):
        return http("POST", f"{self.url}/comments", json_body=fields, headers={"Origin": origin, **(headers or {})})

    def submit_form(self, fields, origin=SITE_ORIGIN):
        return http("POST", f"{self.url}/comments", form=fields, headers={"Origin": origin})


def write_settings_file(folder, comment_service, comments=None):
    """A Pelican settings file importing the project's, with our blocks: what `--settings` takes."""
    from handbill.testing.sites import PROJECT_ROOT, extending_settings

    (folder / "content").mkdir(parents=True, exist_ok=True)
    path = folder / "siteconf.py"
    overrides = {
        "OUTPUT_PATH": str(folder / "output"),
        "PATH": str(folder / "content"),
        "COMMENT_SERVICE": comment_service,
        "COMMENTS": comments or {},
    }
    path.write_text(extending_settings(PROJECT_ROOT / "pelicanconf.py", overrides), encoding="utf-8")
    return path


def environment(smtp_port, **extra):
    """What the service needs from the environment, for a child process."""
    import os

    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HANDBILL_COMMENT_SECRET": SECRET,
        "HANDBILL_SMTP_HOST": "127.0.0.1",
        "HANDBILL_SMTP_PORT": str(smtp_port),
        "HANDBILL_SMTP_FROM": "comments@site.example",
        **extra,
    }


def invoke_task(task, *arguments, settings_file, env=None):
    """Run one of the service's tasks as the owner does, in a child process (``task``: a name in
    the ``comments`` namespace, or a whole dotted name such as ``events.report``)."""
    import subprocess
    import sys

    from handbill.testing.sites import PROJECT_ROOT

    return subprocess.run(
        [sys.executable, "-m", "invoke", task if "." in task else f"comments.{task}", *arguments,
         "--settings", str(settings_file)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120, env=env, check=False,
    )


def start_service_process(settings_file, env):
    """``invoke comments.serve`` in a child process; returns it once /health answers."""
    import subprocess
    import sys
    import time

    from handbill.comment_service.config import load_service_config_from_file
    from handbill.testing.sites import PROJECT_ROOT

    config = load_service_config_from_file(settings_file, env)
    process = subprocess.Popen(
        [sys.executable, "-m", "invoke", "comments.serve",
         "--settings", str(settings_file)],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    url = f"http://{config.host}:{config.port}"
    for _ in range(200):
        if process.poll() is not None:
            raise AssertionError(f"the service exited: {process.stderr.read()}")
        try:
            if http("GET", f"{url}/health").status == 200:
                return process, url
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise AssertionError("the service did not answer within 10 s")
