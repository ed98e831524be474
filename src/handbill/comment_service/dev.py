"""``invoke comments.dev``: the whole comment loop on one machine, with one command.

For a new owner trying comments out, and for the end-to-end test. It needs no settings edits
and no mail server:

- writes ``.handbill/devconf.py`` next to the settings file it is given (default
  ``publishconf.py``): those settings with the site at ``http://127.0.0.1:PORT/``, the form
  posting to a service on another loopback port, a development database, and publishing on
  approval into the served ``OUTPUT_PATH`` (the ``directory`` target, debounced 1 s);
- generates a development secret once (``.handbill/dev-secret``, mode 0600; ``.handbill/`` is
  git-ignored);
- builds and deploys the site through the same publisher the service uses after approvals;
- runs the service on loopback with a mailer that writes each email as an ``.eml`` file under
  ``.handbill/dev-mail/`` instead of sending it, listed on the service's ``/dev/mail`` page;
- serves ``OUTPUT_PATH`` on 127.0.0.1 until Ctrl-C, then stops everything cleanly (a build
  that runs is finished first).
"""

import functools
import http.server
import logging
import secrets
import signal
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import waitress
from pelican.settings import get_settings_from_file

from handbill.core.atomic import atomic_write_text

from .app import create_app, waitress_options
from .config import SECRET_VARIABLE, load_service_config_from_file
from .publisher import publish_lock, publish_once, publisher_for
from .views import dev as dev_views
from .views.responses import EXTENSION

logger = logging.getLogger(__name__)

STATE_FOLDER = ".handbill"
MAIL_FOLDER = "dev-mail"
SECRET_FILE = "dev-secret"
DATABASE_FILE = "dev-comments.sqlite3"
SETTINGS_FILE = "devconf.py"
# Short, so a comment shows up soon after it is approved; a second approval still joins it.
DEBOUNCE_SECONDS = 1.0
# The form refuses a comment sent sooner than this after the page was opened.
MIN_FILL_SECONDS = 1.0
OWNER_EMAIL = "owner@localhost"


class MailCatcher:
    """A mailer (as mailer.Mailer) that writes each message to ``folder`` as an .eml file."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def send(self, message):
        self.folder.mkdir(parents=True, exist_ok=True)
        # Nanoseconds first: file names sort in the order the emails were written.
        path = self.folder / f"{time.time_ns()}-{secrets.token_hex(3)}.eml"
        atomic_write_text(path, message.as_string())
        logger.info("Caught email %r, written to %s", message["Subject"], path)


def dev_secret(state):
    """The development signing key, made once and kept in ``state`` (readable by its owner only)."""
    path = state / SECRET_FILE
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32), encoding="utf-8")
    return path.read_text(encoding="utf-8").strip()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def dev_settings(base_settings_file, base, state, *, site_url, service_url, service_port):
    """The text of ``devconf.py``: ``base_settings_file`` (its settings: ``base``) with the
    development overrides."""
    output = str(Path(base["OUTPUT_PATH"]).resolve())
    overrides = {
        "SITEURL": site_url,
        "FEED_DOMAIN": site_url,
        "COMMENTS": {**base.get("COMMENTS", {}), "service_url": service_url},
        "COMMENT_SERVICE": {
            **base.get("COMMENT_SERVICE", {}),
            "host": "127.0.0.1",
            "port": service_port,
            "public_url": service_url,
            "allowed_origins": [site_url],
            "trusted_proxy": "",
            "db_path": str(state / DATABASE_FILE),
            "min_fill_seconds": MIN_FILL_SECONDS,
            "notify_owner": True,
            "owner_email": base.get("COMMENT_SERVICE", {}).get("owner_email") or OWNER_EMAIL,
            "publish_on_approve": "local",
            "publish_settings": str(state / SETTINGS_FILE),
            "publish_target": "directory",
            "publish_debounce_seconds": DEBOUNCE_SECONDS,
        },
        "PUBLISH": {**base.get("PUBLISH", {}), "target": "directory", "directory": output},
    }
    return (
        '"""Written by `invoke comments.dev` on every start; edit the settings file it extends instead."""\n'
        "from pelican.settings import get_settings_from_file\n"
        f"globals().update(get_settings_from_file({str(base_settings_file)!r}))\n"
        + "".join(f"{name} = {value!r}\n" for name, value in overrides.items())
    )


@dataclass
class DevSite:
    """A running development setup; ``stop()`` ends it."""

    site_url: str
    service_url: str
    mail_url: str
    mail_folder: Path
    output: Path
    app: object
    publisher: object
    service_server: object
    site_server: object

    def stop(self):
        self.site_server.shutdown()
        self.site_server.server_close()
        self.service_server.close()
        self.service_server.task_dispatcher.shutdown()
        self.publisher.stop()  # after the build that runs, if any
        self.app.extensions[EXTENSION].mail_sender.stop()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


def start(base_settings_file, port=0, service_port=0, say=print):
    """Build, deploy and serve; the DevSite, running."""
    base_settings_file = Path(base_settings_file).resolve()
    state = base_settings_file.parent / STATE_FOLDER
    state.mkdir(exist_ok=True)
    port, service_port = int(port) or free_port(), int(service_port) or free_port()
    site_url, service_url = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{service_port}"
    base = get_settings_from_file(str(base_settings_file))
    output = Path(base["OUTPUT_PATH"]).resolve()
    settings_file = state / SETTINGS_FILE
    settings_file.write_text(
        dev_settings(
            base_settings_file, base, state, site_url=site_url, service_url=service_url, service_port=service_port
        ), encoding="utf-8"
    )
    mail_folder = state / MAIL_FOLDER
    environ = {
        SECRET_VARIABLE: dev_secret(state),
        # Never connected to: MailCatcher takes every email. The sender's address is the From line.
        "HANDBILL_SMTP_HOST": "mail-catcher.invalid",
        "HANDBILL_SMTP_FROM": "Comments (development) <comments@localhost>",
    }
    config = load_service_config_from_file(settings_file, environ)

    mailer = MailCatcher(mail_folder)
    publisher = publisher_for(config, mailer)
    app = create_app(config, mailer=mailer, publish_hook=publisher)
    app.config[dev_views.MAIL_FOLDER] = str(mail_folder)
    app.register_blueprint(dev_views.bp)
    store = app.extensions[EXTENSION].store
    say(f"Building the site into {output} (a production build, then deployed)...")
    started = time.monotonic()
    with publish_lock(config):
        outcome = publish_once(config, store)
    if not outcome.succeeded:
        app.extensions[EXTENSION].mail_sender.stop()
        raise RuntimeError(f"the site could not be built and deployed:\n{outcome.summary}")
    say(f"Built in {time.monotonic() - started:.1f} s: {outcome.summary}")
    publisher.start()

    service_server = waitress.create_server(app, host="127.0.0.1", port=service_port, **waitress_options(config))
    threading.Thread(target=service_server.run, name="handbill-dev-service", daemon=True).start()
    # The handler looks the folder up by name on each request, so a deploy swapping it in is served at once.
    handler = functools.partial(_QuietHandler, directory=str(output))
    site_server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=site_server.serve_forever, name="handbill-dev-site", daemon=True).start()
    return DevSite(
        site_url=f"{site_url}/",
        service_url=service_url,
        mail_url=f"{service_url}/dev/mail",
        mail_folder=mail_folder,
        output=output,
        app=app,
        publisher=publisher,
        service_server=service_server,
        site_server=site_server,
    )


def run(base_settings_file, port=0, service_port=0):
    """``invoke comments.dev``: start, say where everything is, run until Ctrl-C."""
    dev = start(base_settings_file, port, service_port)
    print(
        f"\nSite:            {dev.site_url}\n"
        f"Comment service: {dev.service_url}\n"
        f"Emails (caught): {dev.mail_url}  (files in {dev.mail_folder})\n"
        f"Owner's emails go there too; approve a comment with its link or `invoke comments.approve ID "
        f"--settings {dev.app.extensions[EXTENSION].config.publish_settings}`.\n"
        "Approved comments appear on the site a few seconds later. Ctrl-C stops.\n",
        flush=True,
    )
    # Ctrl-C, and a stop from a process manager (or a test), end it the same way; a shell
    # starting it in the background may have told it to ignore SIGINT.
    for stop_signal in (signal.SIGINT, signal.SIGTERM):
        signal.signal(stop_signal, signal.default_int_handler)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("Stopping (a build that runs is finished first)...", flush=True)
    finally:
        dev.stop()
    print("Stopped.")
