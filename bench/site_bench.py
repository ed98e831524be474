"""Benchmark: Handbill's full build against plain Pelican with its default theme.

Generates sites of N posts (~800 words, tags, categories), builds each twice
in the same run -- once with Pelican's defaults (theme "notmyidea", no
plugins), once with Handbill's settings, theme and plugins -- and writes
seconds, posts per second, peak memory and the ratio to bench/results/.

    .venv/bin/invoke bench --suite site            # 1,000 and 5,000 posts
    .venv/bin/python bench/site_bench.py --posts 200
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from handbill.testing.sites import extending_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
TARGET_RATIO = 1.2

WORDS = [
    "meeting", "people", "table", "coffee", "follow-up", "introduction", "referral", "card", "conversation", "listen",
    "question", "name", "handshake", "event", "seminar", "breakfast", "chamber", "community", "trust", "story", "note",
    "email", "call", "invite", "host", "guest", "welcome", "remember", "thank", "connect", "help", "offer", "ask",
    "learn",
]
TAGS = [f"topic-{n}" for n in range(30)]
CATEGORIES = ["In Person", "Online", "Follow-up", "Events", "Referrals", "Speaking"]


def paragraph(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def write_posts(content, count, seed=20261123):
    rng = random.Random(seed)
    posts = content / "posts"
    posts.mkdir(parents=True)
    start = dt.datetime(2015, 1, 1, 9, 0, tzinfo=dt.UTC)
    for number in range(count):
        date = start + dt.timedelta(hours=17 * number)
        body = []
        for section in range(4):
            body.append(f"## Section {section + 1}\n")
            body.extend(paragraph(rng, 50) + "\n" for _ in range(4))
        tags = ", ".join(rng.sample(TAGS, 3))
        (posts / f"post-{number}.md").write_text(
            f"Title: Post {number} about {rng.choice(WORDS)}\n"
            f"Date: {date:%Y-%m-%d %H:%M}\n"
            f"Category: {rng.choice(CATEGORIES)}\n"
            f"Tags: {tags}\n"
            f"Summary: {paragraph(rng, 20)}\n\n" + "\n".join(body),
            encoding="utf-8",
        )


def settings_file(root, flavour, content, output):
    path = root / f"{flavour}conf.py"
    common = f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(output)!r}\nCACHE_PATH = {str(root / 'cache')!r}\n"
    if flavour == "handbill":
        # The project's images (logo, brand mark) sit in the content, as in a real site.
        shutil.copytree(PROJECT_ROOT / "content" / "images", content / "images", dirs_exist_ok=True)
        header = extending_settings(PROJECT_ROOT / "pelicanconf.py", {})
    else:
        header = "SITENAME = 'Plain Pelican'\nTIMEZONE = 'UTC'\nARTICLE_PATHS = ['posts']\n"
    path.write_text(header + common, encoding="utf-8")
    return path


def timed_build(settings):
    """Run pelican in a child process: (seconds, peak resident memory in MiB)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pelican", "-s", str(settings), "-q"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build with {settings.name} failed: {process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def bench_size(count, repeats):
    with tempfile.TemporaryDirectory(prefix=f"handbill-bench-{count}-") as tmp:
        root = Path(tmp)
        content = root / "content"
        write_posts(content, count)
        figures = {}
        for flavour in ("plain", "handbill"):
            settings = settings_file(root, flavour, content, root / f"output-{flavour}")
            runs = [timed_build(settings) for _ in range(repeats)]
            best_seconds = min(seconds for seconds, _ in runs)
            figures[flavour] = {
                "seconds": round(best_seconds, 2),
                "posts_per_second": round(count / best_seconds, 1),
                "peak_memory_mib": round(max(memory for _, memory in runs), 1),
                "runs_seconds": [round(seconds, 2) for seconds, _ in runs],
            }
        ratio = figures["handbill"]["seconds"] / figures["plain"]["seconds"]
        return {
            "posts": count,
            **figures,
            "ratio_time": round(ratio, 3),
            "ratio_memory": round(figures["handbill"]["peak_memory_mib"] / figures["plain"]["peak_memory_mib"], 3),
            "within_target": ratio <= TARGET_RATIO,
        }


def write_results(results, name="site_build"):
    RESULTS.mkdir(parents=True, exist_ok=True)
    meta = {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "target_ratio": TARGET_RATIO,
    }
    (RESULTS / f"{name}.json").write_text(json.dumps({**meta, "results": results}, indent=2) + "\n")
    lines = [
        f"# Site build: Handbill vs plain Pelican ({meta['when']})",
        "",
        f"Machine: {meta['machine']}. Best of the runs; ratio = Handbill / plain Pelican, target ≤ {TARGET_RATIO}.",
        "",
        (
            "| posts | plain s | Handbill s | plain posts/s | Handbill posts/s | plain MiB | Handbill MiB "
            "| time ratio | memory ratio |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        p, h = r["plain"], r["handbill"]
        lines.append(
            f"| {r['posts']} | {p['seconds']} | {h['seconds']} | {p['posts_per_second']} | "
            f"{h['posts_per_second']} | {p['peak_memory_mib']} | {h['peak_memory_mib']} | "
            f"{r['ratio_time']} | {r['ratio_memory']} |"
        )
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    write_results([bench_size(count, args.repeats) for count in args.posts])


if __name__ == "__main__":
    main()
