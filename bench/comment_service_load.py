"""Benchmark: the comment service under concurrent submissions, and killed in the middle of them.

Runs the real service (``invoke comments.serve`` in a child process: waitress,
SQLite in WAL mode with a commit per comment and its confirmation email queued
in it, the service's mail sender sending them to a real SMTP server on loopback
in another child process; C clients write with C addresses, so after each
address's first few emails the rest wait, by the per-address limit) and, in the
same run:

1. baseline: C concurrent clients call ``GET /health`` (a heartbeat write each) for D seconds;
2. load: C concurrent clients each fetch a form token and post a comment, for D seconds;
   every 202 answer's comment id must then be in the database;
3. fault: the same load, and the service is killed with SIGKILL after K seconds;
   every comment answered 202 before the kill must be in the database.

Figures (requests per second, median and 99th-percentile latency, ratios to
the baseline, lost comments) go to bench/results/comment_service.json and .md.

    .venv/bin/invoke bench --suite comment-service
    .venv/bin/python bench/comment_service_load.py --duration 20 --concurrency 16
"""

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from handbill.testing.sites import extending_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
WORK = PROJECT_ROOT / "bench" / "work"  # on the project's disk (git-ignored), as the real database is
SITE_ORIGIN = "https://site.example"
POST = "first-coffee"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port, process, what):
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"{what} exited with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit(f"{what} did not listen on port {port} within 15 s")


def write_site(folder, port):
    """A manifest with one open post, and the settings file `invoke comments.serve --settings` reads."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    manifest = folder / "manifest.json"
    now = dt.datetime.now(dt.UTC)
    manifest.write_text(json.dumps({
        "generated": now.isoformat(), "site_url": SITE_ORIGIN,
        "posts": {POST: {"title": "First Coffee", "url": f"{SITE_ORIGIN}/posts/2024/{POST}/",
                         "date": now.isoformat(), "comments": "open", "closes_at": None, "comment_ids": []}},
    }), encoding="utf-8")
    service = {
        "port": port,
        "db_path": str(folder / "comments.sqlite3"),
        "manifest_path": str(manifest),
        "allowed_origins": [SITE_ORIGIN],
        # Many clients on one address and one clock: the limits are not what is measured.
        "min_fill_seconds": 0,
        "rate_limit_address": "100000000/hour",
        "rate_limit_email": "100000000/day",
    }
    settings = folder / "siteconf.py"
    overrides = {
        "PATH": str(folder / "content"),
        "OUTPUT_PATH": str(folder / "output"),
        "COMMENTS": {"service_url": f"http://127.0.0.1:{port}"},
        "COMMENT_SERVICE": service,
    }
    settings.write_text(extending_settings(PROJECT_ROOT / "pelicanconf.py", overrides), encoding="utf-8")
    return settings, folder / "comments.sqlite3"


class Service:
    def __init__(self, folder, smtp_port):
        self.port = free_port()
        self.settings, self.db_path = write_site(folder, self.port)
        # Held open for the service's whole lifetime and closed in stop(), so no `with` block.
        self.log = open(folder / "service.log", "a", encoding="utf-8")  # noqa: SIM115
        env = {
            **os.environ,
            "HANDBILL_COMMENT_SECRET": "bench-secret-0123456789abcdef",
            "HANDBILL_SMTP_HOST": "127.0.0.1",
            "HANDBILL_SMTP_PORT": str(smtp_port),
            "HANDBILL_SMTP_FROM": "comments@site.example",
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "invoke", "comments.serve",
             "--settings", str(self.settings)],
            cwd=PROJECT_ROOT, env=env, stdout=self.log, stderr=self.log,
        )
        wait_for_port(self.port, self.process, "the comment service")

    def stop(self, sig=signal.SIGTERM):
        if self.process.poll() is None:
            self.process.send_signal(sig)
        self.process.wait(30)
        self.log.close()

    def stored_ids(self):
        with sqlite3.connect(self.db_path) as connection:  # reading also recovers the WAL after a kill
            return {row[0] for row in connection.execute("SELECT id FROM comments")}


class Client:
    """One visitor's keep-alive connection, reconnecting after a dropped one."""

    def __init__(self, port):
        self.port = port
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            self.connection.request(method, path, body=body, headers=headers or {})
            answer = self.connection.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise


def run_clients(port, concurrency, duration, work, stop_event=None):
    """Run ``work(client, number, iteration)`` in a loop in each client thread; merged results."""
    deadline = time.perf_counter() + duration
    results = []
    lock = threading.Lock()

    def loop(number):
        client, mine, iteration = Client(port), [], 0
        while time.perf_counter() < deadline and not (stop_event and stop_event.is_set()):
            try:
                mine.append(work(client, number, iteration))
            except (OSError, http.client.HTTPException):
                mine.append(("error", None, 0.0))
                if stop_event is not None:
                    break  # the server was killed; this visitor gives up
            iteration += 1
        with lock:
            results.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def health(client, number, iteration):
    started = time.perf_counter()
    status, _ = client.request("GET", "/health")
    return (status, None, time.perf_counter() - started)


def submission(client, number, iteration):
    """Fetch a token and post a comment, as the form does; (status, comment id, seconds for the POST)."""
    status, body = client.request("GET", f"/token?post={POST}", headers={"Origin": SITE_ORIGIN})
    if status != 200:
        return (f"token {status}", None, 0.0)
    token = json.loads(body)["token"]
    payload = json.dumps({
        "post": POST, "token": token, "name": "Zoë de la Cruz",
        "email": f"reader{number}@example.org",
        "body": f"Comment {iteration} from reader {number}: the second meeting is where it starts.",
    }).encode()
    started = time.perf_counter()
    status, body = client.request(
        "POST", "/comments", body=payload, headers={"Origin": SITE_ORIGIN, "Content-Type": "application/json"}
    )
    seconds = time.perf_counter() - started
    return (status, json.loads(body).get("id") if status == 202 else None, seconds)


def summarize(results, elapsed, ok_status):
    latencies = sorted(seconds for status, _, seconds in results if status == ok_status)
    statuses = {}
    for status, _, _ in results:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def percentile(p):
        if not latencies:
            return None
        return latencies[min(len(latencies) - 1, round(p / 100 * (len(latencies) - 1)))] * 1000

    return {
        "ok": len(latencies),
        "per_second": round(len(latencies) / elapsed, 1),
        "median_ms": round(statistics.median(latencies) * 1000, 2) if latencies else None,
        "p99_ms": round(percentile(99), 2) if latencies else None,
        "statuses": statuses,
        "seconds": round(elapsed, 2),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=float, default=20, help="seconds per phase (default 20)")
    parser.add_argument("--concurrency", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--kill-after", type=float, default=5, help="seconds into the fault phase (default 5)")
    args = parser.parse_args()

    WORK.mkdir(parents=True, exist_ok=True)
    smtp_port = free_port()
    smtp = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-u", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{smtp_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for_port(smtp_port, smtp, "the SMTP server")
    try:
        with tempfile.TemporaryDirectory(dir=WORK) as temporary:
            folder = Path(temporary)

            service = Service(folder / "load", smtp_port)
            print(f"baseline: GET /health, {args.concurrency} clients, {args.duration:g} s", flush=True)
            baseline = summarize(*run_clients(service.port, args.concurrency, args.duration, health), 200)
            print(f"load: token + POST /comments, {args.concurrency} clients, {args.duration:g} s", flush=True)
            results, elapsed = run_clients(service.port, args.concurrency, args.duration, submission)
            service.stop()
            load = summarize(results, elapsed, 202)
            answered = {comment_id for status, comment_id, _ in results if status == 202}
            stored = service.stored_ids()
            load["lost"] = len(answered - stored)
            load["stored"] = len(stored)

            service = Service(folder / "fault", smtp_port)
            print(f"fault: the same load, SIGKILL after {args.kill_after:g} s", flush=True)
            stop = threading.Event()
            killer = threading.Timer(args.kill_after, lambda: (service.process.kill(), stop.set()))
            killer.start()
            results, elapsed = run_clients(service.port, args.concurrency, args.duration, submission, stop)
            killer.join()
            service.stop()
            fault = summarize(results, elapsed, 202)
            answered = {comment_id for status, comment_id, _ in results if status == 202}
            stored = service.stored_ids()
            fault.update(
                killed_by=-service.process.returncode,
                lost=len(answered - stored),
                stored=len(stored),
                stored_without_answer=len(stored - answered),
            )
    finally:
        smtp.terminate()
        smtp.wait(10)

    report = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "concurrency": args.concurrency,
        "duration_s": args.duration,
        "kill_after_s": args.kill_after,
        "baseline_health": baseline,
        "submissions": load,
        "fault": fault,
        "ratios": {
            "throughput_vs_health": round(load["per_second"] / baseline["per_second"], 3),
            "median_latency_vs_health": round(load["median_ms"] / baseline["median_ms"], 1),
            "p99_latency_vs_health": round(load["p99_ms"] / baseline["p99_ms"], 1),
        },
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "comment_service.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "comment_service.md").write_text(markdown(report), encoding="utf-8")
    print(markdown(report))
    if load["lost"] or fault["lost"]:
        sys.exit("comments answered with success are missing from the database")


def markdown(report):
    base, load, fault, ratios = report["baseline_health"], report["submissions"], report["fault"], report["ratios"]
    return (
        f"# Comment service under load ({report['generated']})\n\n"
        f"Machine: {report['machine']}. {report['concurrency']} concurrent clients on loopback, "
        f"{report['duration_s']:g} s per phase; the service (waitress, SQLite WAL with a durable commit per "
        "comment and its queued email, a mail sender thread sending to an SMTP server on loopback; /health "
        "writes a heartbeat row) runs in its own process. "
        "A submission is a token fetch and a POST; latencies are the POST's.\n\n"
        "| phase | answered OK | per second | median ms | p99 ms | statuses |\n"
        "|---|---:|---:|---:|---:|---|\n"
        f"| baseline: GET /health | {base['ok']} | {base['per_second']} | {base['median_ms']} | {base['p99_ms']} "
        f"| {base['statuses']} |\n"
        f"| submissions | {load['ok']} | {load['per_second']} | {load['median_ms']} | {load['p99_ms']} "
        f"| {load['statuses']} |\n"
        f"| submissions, SIGKILL after {report['kill_after_s']:g} s | {fault['ok']} | {fault['per_second']} "
        f"| {fault['median_ms']} | {fault['p99_ms']} | {fault['statuses']} |\n\n"
        f"Ratios to the baseline: throughput {ratios['throughput_vs_health']}, median latency "
        f"{ratios['median_latency_vs_health']}×, p99 latency {ratios['p99_latency_vs_health']}×.\n\n"
        f"Nothing lost: {load['lost']} of {load['ok']} accepted comments missing under load "
        f"({load['stored']} rows); {fault['lost']} of {fault['ok']} missing after the kill "
        f"(signal {fault['killed_by']}; {fault['stored']} rows, {fault['stored_without_answer']} stored "
        "but killed before the answer went out).\n"
    )


if __name__ == "__main__":
    main()
