"""Time from an approval to the comment on the served page, with publish on approve.

For the sample site and a generated site (site_bench's generator, 1,000 posts by default):
a plain production build of the same site (``pelican -s`` with its publish settings, no
deploy) is the baseline, measured in the same run; then a Publisher (publisher.py, as the
service runs it) deploys the site once, a comment is approved, and the clock runs until the
comment is in the post's page as a real HTTP server on 127.0.0.1 serves it. The debounce is
0 here: the figure is the pipeline (export, production build, checks, deploy); the service adds
``publish_debounce_seconds`` on top. Target: at most 60 s, and at most 2x the plain build on
the sample site. Results: bench/results/comment_publish.{json,md}.

    .venv/bin/python bench/comment_publish_bench.py [--posts 1000]
"""

import argparse
import datetime as dt
import functools
import http.server
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from site_bench import write_posts

from handbill.comment_service.config import load_service_config_from_file
from handbill.comment_service.mailer import Mailer
from handbill.comment_service.publisher import Publisher
from handbill.comment_service.store import Store, StoredComment, timestamp, utc_now
from handbill.testing.sites import extending_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
TARGET_SECONDS = 60
TARGET_RATIO_SAMPLE = 2.0
COMMENT = "Benchmark comment: one new person per event is a goal I can keep."
ENVIRON = {
    "HANDBILL_COMMENT_SECRET": "bench-secret-0123456789abcdef",
    "HANDBILL_SMTP_HOST": "127.0.0.1",  # never reached: nothing fails, so nothing is mailed
    "HANDBILL_SMTP_FROM": "comments@bench.example",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def write_settings(root, content):
    settings_file = root / "siteconf.py"
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(root / "output"),
        "CACHE_PATH": str(root / "cache"),
        "SITEURL": "http://127.0.0.1:1",
        "COMMENT_SERVICE": {
            "db_path": str(root / "comments.sqlite3"),
            "publish_on_approve": "local",
            "publish_settings": str(settings_file),
            "publish_debounce_seconds": 0,
        },
        "PUBLISH": {"target": "directory", "directory": str(root / "www")},
    }
    settings_file.write_text(extending_settings(PROJECT_ROOT / "publishconf.py", overrides), encoding="utf-8")
    return settings_file


def plain_build_seconds(settings_file, output):
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pelican", "-s", str(settings_file), "-o", str(output), "-q"],
                   check=True, capture_output=True)
    return time.perf_counter() - started


def approval_to_page_seconds(root, settings_file):
    config = load_service_config_from_file(settings_file, ENVIRON)
    store = Store(config.db_path).initialize()
    publisher = Publisher(config, store, Mailer(config.require_smtp()))
    print(f"  first deployment of {root.name}...", flush=True)
    assert publisher.publish_now()["outcome"] == "published"
    manifest = json.loads((root / "www" / "comments" / "manifest.json").read_text(encoding="utf-8"))
    slug, post = next((slug, post) for slug, post in manifest["posts"].items() if post["comments"] == "open")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(root / "www"))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    page_url = f"http://127.0.0.1:{server.server_address[1]}/{post['url'].split('/', 3)[3]}"
    publisher.start()
    try:
        now = utc_now()
        comment = StoredComment(
            id="c-20240301-0900-abcdef", post=slug, reply_to="", author="Zoë de la Cruz", email="zoe@example.org",
            website="", body=COMMENT, identity="email-verified", state="approved", created_at=timestamp(now),
            verified_at=timestamp(now), decided_at=timestamp(now),
        )
        store.add_comment(comment)
        print("  approved; waiting for the page...", flush=True)
        started = time.perf_counter()
        publisher.comments_approved([comment.id])
        while COMMENT not in urllib.request.urlopen(page_url, timeout=30).read().decode("utf-8"):
            time.sleep(0.05)
        return time.perf_counter() - started
    finally:
        publisher.stop()
        server.shutdown()
        server.server_close()


def bench(name, make_content):
    with tempfile.TemporaryDirectory(prefix=f"handbill-publish-bench-{name}-") as tmp:
        root = Path(tmp)
        content = root / "content"
        make_content(content)
        settings_file = write_settings(root, content)
        print(f"{name}: plain production build...", flush=True)
        plain = plain_build_seconds(settings_file, root / "plain-output")
        seconds = approval_to_page_seconds(root, settings_file)
        ratio = seconds / plain
        print(f"{name}: approval to page {seconds:.1f} s, plain build {plain:.1f} s, ratio {ratio:.2f}", flush=True)
        return {"site": name, "approval_to_page_seconds": round(seconds, 2),
                "plain_build_seconds": round(plain, 2), "ratio": round(ratio, 2)}


def sample_content(content):
    shutil.copytree(PROJECT_ROOT / "content", content)


def generated_content(count):
    def make(content):
        write_posts(content, count)
        shutil.copytree(PROJECT_ROOT / "content" / "images", content / "images")
    return make


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000, help="posts of the generated site (default 1000)")
    args = parser.parse_args(argv)
    results = [bench("sample", sample_content), bench(f"generated-{args.posts}", generated_content(args.posts))]
    for result in results:
        result["within_target"] = result["approval_to_page_seconds"] <= TARGET_SECONDS and (
            result["site"] != "sample" or result["ratio"] <= TARGET_RATIO_SAMPLE
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "python": sys.version.split()[0],
            "debounce_seconds": 0, "target_seconds": TARGET_SECONDS, "target_ratio_sample": TARGET_RATIO_SAMPLE}
    (RESULTS / "comment_publish.json").write_text(json.dumps({**meta, "results": results}, indent=2) + "\n")
    lines = [
        "# Publish on approve: approval to served page",
        "",
        (f"Measured {meta['when']} (Python {meta['python']}), debounce 0 s (the service adds its "
         f"`publish_debounce_seconds`). Target: at most {TARGET_SECONDS} s, and at most "
         f"{TARGET_RATIO_SAMPLE:g}x a plain build on the sample site."),
        "",
        "| site | approval to page (s) | plain production build (s) | ratio | within target |",
        "|---|---|---|---|---|",
        *(f"| {r['site']} | {r['approval_to_page_seconds']} | {r['plain_build_seconds']} | {r['ratio']} | "
          f"{'yes' if r['within_target'] else 'no'} |" for r in results),
        "",
    ]
    (RESULTS / "comment_publish.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
