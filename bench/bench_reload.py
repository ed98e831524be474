"""Edit-to-reload: from saving a post to a browser's event stream receiving the reload.

Starts Handbill's resident development server (`python -m handbill.livereload`,
as `invoke livereload` runs it) on the generated site, follows the server-sent
events of the edited post's page as the page's own script does, and times each
save of that post until its "reload" event arrives. It also times how long the
rest of the site takes to catch up: until a newly opened stream's "hello" names
the build after the one that reloaded the page.
"""

import http.client
import importlib.util
import json
import queue
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, contextmanager
from urllib.parse import quote

from bench_site_content import edited_text

SERVER_MODULE = "handbill.livereload"
START_TIMEOUT_SECONDS = 900  # it builds the whole site before it serves
RELOAD_TIMEOUT_SECONDS = 120
POLL_SECONDS = 0.05
# The server restarts itself when Python code the build imports changes (someone
# working on the project meanwhile); a save it interrupted is made again.
RESTARTS_ALLOWED = 3


class NotMeasured(Exception):
    pass


class ServerRestarted(Exception):
    pass


def free_port():
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def open_stream(port, page):
    """The HTTP response of the event stream for the page at URL path ``page``."""
    # Imported here: the rest of the benchmark runs without the package.
    from handbill.livereload.pages import EVENTS_PATH

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=RELOAD_TIMEOUT_SECONDS)
    connection.request("GET", f"{EVENTS_PATH}?page={quote(page)}", headers={"Accept": "text/event-stream"})
    return connection.getresponse()


def read_events(response):
    """(arrival time, event name, data) for each named event of the stream, until it ends."""
    name, data = None, None
    for raw in response:
        line = raw.decode("utf-8").rstrip("\r\n")
        if line.startswith("event:"):
            name = line.partition(":")[2].strip()
        elif line.startswith("data:"):
            data = json.loads(line.partition(":")[2])
        elif line == "" and name is not None:
            yield time.perf_counter(), name, data
            name, data = None, None


def follow(response, events):
    try:
        for event in read_events(response):
            events.put(event)
    except OSError:
        pass  # the server stopped
    events.put(None)


def build_number(build):
    """The count in a build id ("<process token>-<count>")."""
    return int(build.rpartition("-")[2])


def current_build(port, page):
    """The build a newly opened stream is told it is looking at (its "hello")."""
    with closing(open_stream(port, page)) as response:
        for _arrived, name, data in read_events(response):
            if name == "hello":
                return data["build"]
    raise NotMeasured("the event stream ended before its hello")


def wait_until_serving(port, process, log):
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise NotMeasured(f"the server ended with status {process.returncode}: {log.read()[-500:]}")
        try:
            with closing(socket.create_connection(("127.0.0.1", port), timeout=1)):
                return
        except OSError:
            time.sleep(0.2)
    raise NotMeasured(f"the server did not serve within {START_TIMEOUT_SECONDS} s")


@contextmanager
def running_server(settings_file, port):
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", SERVER_MODULE, "-s", str(settings_file), "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            wait_until_serving(port, process, log)
            yield lambda: wait_until_serving(port, process, log)
        finally:
            process.send_signal(signal.SIGINT)  # its Ctrl-C: stop watching and serving
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def next_reload(events):
    """(arrival time, data) of the stream's next "reload"; NotMeasured on a "failure" or none."""
    deadline = time.monotonic() + RELOAD_TIMEOUT_SECONDS
    while (left := deadline - time.monotonic()) > 0:
        try:
            event = events.get(timeout=left)
        except queue.Empty:
            break
        if event is None:
            raise ServerRestarted
        arrived, name, data = event
        if name == "failure":
            raise NotMeasured(f"the build failed after a save: {data}")
        if name == "reload":
            return arrived, data
    raise NotMeasured(f"no reload within {RELOAD_TIMEOUT_SECONDS} s of a save")


def wait_for_build(port, page, number):
    """Poll until the server's current build is ``number`` or later."""
    deadline = time.monotonic() + RELOAD_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        try:
            if build_number(current_build(port, page)) >= number:
                return time.perf_counter()
        except OSError:
            raise ServerRestarted from None
        time.sleep(POLL_SECONDS)
    raise NotMeasured(f"the rest of the site did not catch up within {RELOAD_TIMEOUT_SECONDS} s")


def stream_events(port, page):
    events = queue.SimpleQueue()
    threading.Thread(target=follow, args=(open_stream(port, page), events), daemon=True).start()
    return events


def timed_save(port, post, text, page, events):
    """(seconds to the page's reload, seconds to the whole site's, the first reload's stage) of one save."""
    saved = time.perf_counter()
    post.write_text(text, encoding="utf-8")
    reloaded, reload = next_reload(events)
    caught_up = reloaded
    if reload["stage"] == "page":  # the page went first; the whole site's build is the next one
        caught_up = wait_for_build(port, page, build_number(reload["build"]) + 1)
    return reloaded - saved, caught_up - saved, reload["stage"]


def timed_saves(port, post, page, repeats, serving):
    """Each save's timed_save, and how often the server restarted meanwhile."""
    events = stream_events(port, page)
    original = post.read_text(encoding="utf-8")
    saves, restarts = [], 0
    try:
        while len(saves) < repeats:
            # Let the server settle: the previous save's catch-up, and watchfiles' debounce.
            time.sleep(1.0)
            try:
                saves.append(timed_save(port, post, edited_text(original, f"save {len(saves) + 1}"), page, events))
            except ServerRestarted:
                restarts += 1
                if restarts > RESTARTS_ALLOWED:
                    raise NotMeasured(f"the server restarted {restarts} times (Python code changed)") from None
                serving()
                events = stream_events(port, page)
    finally:
        post.write_text(original, encoding="utf-8")
    return saves, restarts


def measure_edit_to_reload(settings_file, post, page, repeats):
    """{"median_s", "runs_s", "site_caught_up_median_s", ...} for ``repeats`` saves of
    ``post`` (its page at URL path ``page``), or {"reason"} when not measured."""
    if importlib.util.find_spec(SERVER_MODULE) is None:
        return {"reason": f"{SERVER_MODULE} is not installed"}
    port = free_port()
    try:
        with running_server(settings_file, port) as serving:
            saves, restarts = timed_saves(port, post, page, repeats, serving)
    except NotMeasured as problem:
        return {"reason": str(problem)}
    except OSError as error:
        return {"reason": f"the connection to the server failed: {error}"}
    reloads, catch_ups, stages = zip(*saves, strict=True)
    return {
        "median_s": round(statistics.median(reloads), 3),
        "runs_s": [round(seconds, 3) for seconds in reloads],
        "site_caught_up_median_s": round(statistics.median(catch_ups), 3),
        "site_caught_up_runs_s": [round(seconds, 3) for seconds in catch_ups],
        "first_reload_stages": list(stages),  # "page": the edited page went first; "site": after everything
        "server_restarts": restarts,
    }
