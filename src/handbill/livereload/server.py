"""The development server: output/ as Pelican's server shows it, the reload
script added to every HTML response (never to the files), and the
Server-Sent Events the script listens to.

Each request has its own thread, so an open event stream never holds up
a page or a stylesheet.
"""

import http.server
import logging
import os
import queue
import threading
from urllib.parse import parse_qs, urlsplit

from pelican.server import ComplexHTTPRequestHandler

from .pages import EVENTS_PATH, files_for_url, inject_script, page_is_affected, sse_message

logger = logging.getLogger(__name__)

# An idle stream sends a comment this often, so a closed tab's stream is noticed and ended.
KEEPALIVE_SECONDS = 15


class _Stream:
    def __init__(self, page):
        self.page = page  # the URL path of the page that opened it
        self.messages = queue.SimpleQueue()


class Broadcaster:
    """The open event streams, and what a newly opened one is told first:
    the build it is looking at, and what failed, if the last save did."""

    def __init__(self):
        self._lock = threading.Lock()
        self._streams = set()
        self.build = None
        self.failures = ()

    def subscribe(self, page):
        stream = _Stream(page)
        with self._lock:
            self._streams.add(stream)
            stream.messages.put(sse_message("hello", {"build": self.build}))
            if self.failures:
                stream.messages.put(sse_message("failure", {"failures": list(self.failures)}))
        return stream

    def unsubscribe(self, stream):
        with self._lock:
            self._streams.discard(stream)

    def reload(self, stage, changed, build):
        """Tell the pages that ``changed`` (output files) concerns to reload;
        every page when the last save had failed, so its notice goes."""
        message = sse_message("reload", {"stage": stage, "build": build, "files": changed[:20], "count": len(changed)})
        with self._lock:
            everyone = bool(self.failures)
            self.build, self.failures = build, ()
            for stream in self._streams:
                if everyone or page_is_affected(stream.page, changed):
                    stream.messages.put(message)

    def fail(self, failures):
        message = sse_message("failure", {"failures": list(failures)})
        with self._lock:
            self.failures = tuple(failures)
            for stream in self._streams:
                stream.messages.put(message)

    def settle(self, build):
        """A build that changed nothing a page shows: only newly opened streams need to know."""
        with self._lock:
            self.build = build

    def close(self):
        with self._lock:
            for stream in self._streams:
                stream.messages.put(None)


class LiveReloadHandler(ComplexHTTPRequestHandler):
    # Pelican's handler reads the folder from its class (RootedHTTPServer sets
    # it there); here each server has its own.
    @property
    def base_path(self):
        return self.server.output

    def end_headers(self):
        # What is served changes on every save; the browser must always ask again.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, msg_format, *args):
        logger.debug(msg_format, *args)

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            self._stream_events(parse_qs(url.query).get("page", ["/"])[0])
            return
        for candidate in files_for_url(url.path):
            full_path = self.translate_path("/" + candidate)
            if os.path.isfile(full_path):
                if candidate.endswith("/index.html") and not url.path.endswith("/"):
                    # Relative links in a directory's page resolve only under its "/" address.
                    self._redirect(url.path + "/" + (f"?{url.query}" if url.query else ""))
                elif candidate.endswith(".html"):
                    self._send_page(full_path)
                else:
                    self.path = "/" + candidate
                    super(ComplexHTTPRequestHandler, self).do_GET()
                return
        self.send_error(404, f"Nothing in the output folder for {url.path}")

    def _redirect(self, location):
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _send_page(self, full_path):
        with open(full_path, "rb") as file:
            body = inject_script(file.read())
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream_events(self, page):
        stream = self.server.broadcaster.subscribe(page)
        try:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            # How soon the browser reconnects after the server restarted.
            self.wfile.write(b"retry: 500\n\n")
            self.wfile.flush()
            while True:
                try:
                    message = stream.messages.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = b": keep-alive\n\n"
                if message is None:
                    break
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away
        finally:
            self.server.broadcaster.unsubscribe(stream)


class LiveReloadServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, output, address, broadcaster):
        self.output = os.fspath(output)
        self.broadcaster = broadcaster
        super().__init__(address, LiveReloadHandler)

    @property
    def url(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self):
        threading.Thread(target=self.serve_forever, name="livereload-http", daemon=True).start()

    def stop(self):
        self.broadcaster.close()
        self.shutdown()
        self.server_close()
