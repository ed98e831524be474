"""Benchmark: the handouts plugin against bare WeasyPrint, in the same run.

Generates a site of N posts (~800 words, links, tags; all `Handout: yes`) and
measures, each build in a fresh `pelican` process:

- the site without the handouts plugin (baseline for the rest);
- the site with its handouts rendered in one process (workers=1): the
  plugin's seconds per handout are (this - baseline) / N;
- bare WeasyPrint rendering the very same handout HTML (same CSS, fonts,
  images) to PDF in a fresh process: its seconds per handout;
- the same build with one worker per core: the parallel speed-up;
- a rebuild with nothing changed (must render no PDF).

Every measurement is taken once per round (default 3 rounds); the best counts.

Figures go to bench/results/handouts.json and handouts.md.

    .venv/bin/python bench/handouts_bench.py            # 50 posts
    .venv/bin/python bench/handouts_bench.py --posts 10 --repeat 1
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
from importlib.metadata import version
from pathlib import Path

# The same generated prose as the site benchmark (run as a script, its folder is first on the path).
from site_bench import WORDS
from site_bench import paragraph as sentence

from handbill.core.cores import usable_cores
from handbill.testing.sites import extending_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
TARGET_OVERHEAD = 1.15


def write_site(content, count, seed=20261203):
    """N posts of ~800 words: 4 sections, a list, links (printed as notes)."""
    rng = random.Random(seed)
    posts = content / "posts"
    posts.mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "content" / "images", content / "images")
    start = dt.datetime(2020, 1, 6, 8, 0, tzinfo=dt.UTC)
    for number in range(count):
        body = []
        for section in range(4):
            body.append(f"## Section {section + 1}: {rng.choice(WORDS)} and {rng.choice(WORDS)}\n")
            body.append(
                " ".join(sentence(rng, 16) for _ in range(4))
                + f" See [the {rng.choice(WORDS)} guide](https://example.org/{number}/{section}).\n"
            )
            body.append(" ".join(sentence(rng, 15) for _ in range(5)) + "\n")
            if section == 1:
                body.extend(f"- {sentence(rng, 9)}" for _ in range(3))
                body.append("")
        (posts / f"post-{number}.md").write_text(
            f"Title: Post {number}: {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
            f"Date: {start + dt.timedelta(days=3 * number):%Y-%m-%d %H:%M}\n"
            f"Category: Networking\nTags: {rng.choice(WORDS)}, {rng.choice(WORDS)}\n"
            f"Summary: {sentence(rng, 18)}\nHandout: yes\n\n" + "\n".join(body),
            encoding="utf-8",
        )


def settings_file(root, name, content, output, *, with_handouts=True, workers=None):
    path = root / f"{name}conf.py"
    lines = [
        extending_settings(PROJECT_ROOT / "pelicanconf.py", {}),
        f"PATH = {str(content)!r}",
        f"OUTPUT_PATH = {str(output)!r}",
        f"CACHE_PATH = {str(root / (name + '-cache'))!r}",
        f"HANDOUTS = {{**HANDOUTS, 'workers': {workers!r}}}",
    ]
    if not with_handouts:
        lines.append("PLUGINS = [plugin for plugin in PLUGINS if plugin != 'handbill_handouts']")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(command, cwd):
    """Seconds a child process takes; its output, to check what it did."""
    started = time.perf_counter()
    result = subprocess.run(
        command, check=False, cwd=cwd, capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}")
    return seconds, result.stdout + result.stderr


def pelican(settings, cwd):
    return run([sys.executable, "-m", "pelican", "-s", str(settings)], cwd)


def fresh_build(settings, root, output, name):
    """A build from scratch: no handouts in the output, no cache."""
    shutil.rmtree(output, ignore_errors=True)
    shutil.rmtree(root / f"{name}-cache", ignore_errors=True)
    return pelican(settings, root)


CAPTURE_JOBS = """
import json
from pelican import Pelican, signals
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings
from handbill_handouts.build import HandoutBuild
from handbill_handouts.settings import read_settings as read_handout_settings

def capture(generators):
    articles = next(g for g in generators if isinstance(g, ArticlesGenerator))
    handouts = HandoutBuild(read_handout_settings(articles.settings), articles.context)
    jobs = [handouts.job(item) for item in handouts.plan(handouts.selected(articles.articles))]
    json.dump([{{"html": job.html, "folders": {{k: str(v) for k, v in job.folders.items()}}}} for job in jobs],
              open({target!r}, "w"))

signals.all_generators_finalized.connect(capture)
Pelican(read_settings({settings!r})).run()
"""

BARE_WEASYPRINT = """
import json, sys, time
from pathlib import Path
started = time.perf_counter()
from weasyprint import HTML
jobs = json.load(open({jobs!r}))
out = Path({out!r})
for number, job in enumerate(jobs):
    html = job["html"]
    for name, folder in job["folders"].items():
        html = html.replace(f"handout://{{name}}/", Path(folder).as_uri() + "/")
    HTML(string=html, base_url=job["folders"]["content"] + "/").write_pdf(out / f"{{number}}.pdf")
print(time.perf_counter() - started)
"""


def capture_jobs(root, settings_without_plugin, count):
    """The plugin's handout HTML for every post, by its own code (rendering nothing)."""
    jobs = root / "jobs.json"
    script = CAPTURE_JOBS.format(target=str(jobs), settings=str(settings_without_plugin))
    run([sys.executable, "-c", script], root)
    captured = json.loads(jobs.read_text())
    assert len(captured) == count, f"captured {len(captured)} handouts, expected {count}"
    return jobs


def bare_weasyprint(root, jobs):
    """Seconds bare WeasyPrint takes for the plugin's handout HTML, import included."""
    out = root / "bare"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    _, printed = run([sys.executable, "-c", BARE_WEASYPRINT.format(jobs=str(jobs), out=str(out))], root)
    return float(printed.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of measurements; the best counts")
    arguments = parser.parse_args()
    count = arguments.posts
    cores = usable_cores()

    with tempfile.TemporaryDirectory(prefix="handouts-bench-") as folder:
        root = Path(folder)
        content = root / "content"
        write_site(content, count)
        baseline = settings_file(root, "site", content, root / "out-site", with_handouts=False)
        serial = settings_file(root, "serial", content, root / "out-serial", workers=1)
        parallel = settings_file(root, "parallel", content, root / "out-parallel", workers=None)

        # Rounds of every measurement one after the other, so that they all
        # see the same machine load; the best of the rounds counts.
        jobs = capture_jobs(root, baseline, count)
        rounds = []
        for _ in range(arguments.repeat):
            site = fresh_build(baseline, root, root / "out-site", "site")[0]
            one_worker = fresh_build(serial, root, root / "out-serial", "serial")[0]
            rendered = len(list((root / "out-serial" / "handouts").glob("*.pdf")))
            assert rendered == count, f"the plugin rendered {rendered} handouts, expected {count}"
            bare = bare_weasyprint(root, jobs)
            all_workers = fresh_build(parallel, root, root / "out-parallel", "parallel")[0]
            no_change, log = pelican(parallel, root)
            assert "Handouts: rendering" not in log, "a rebuild with no change rendered handouts"
            rounds.append((site, one_worker, bare, all_workers, no_change))
        site_seconds, serial_seconds, bare_seconds, parallel_seconds, noop_seconds = map(min, zip(*rounds, strict=True))

    plugin_per_handout = (serial_seconds - site_seconds) / count
    bare_per_handout = bare_seconds / count
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"cores": cores, "python": platform.python_version(), "weasyprint": version("weasyprint")},
        "handouts": count,
        "repeat": arguments.repeat,
        "seconds": {
            "site_without_handouts": round(site_seconds, 3),
            "site_with_handouts_1_worker": round(serial_seconds, 3),
            f"site_with_handouts_{cores}_workers": round(parallel_seconds, 3),
            "bare_weasyprint_same_html": round(bare_seconds, 3),
            "no_change_rebuild": round(noop_seconds, 3),
        },
        "seconds_per_handout": {
            "plugin": round(plugin_per_handout, 4),
            "bare_weasyprint": round(bare_per_handout, 4),
        },
        "overhead_vs_bare_weasyprint": round(plugin_per_handout / bare_per_handout, 3),
        "overhead_target": TARGET_OVERHEAD,
        "parallel_speedup": round((serial_seconds - site_seconds) / (parallel_seconds - site_seconds), 2),
        "no_change_rebuild_vs_site_without_handouts": round(noop_seconds / site_seconds, 3),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "handouts.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    seconds = results["seconds"]
    verdict = "meets" if results["overhead_vs_bare_weasyprint"] <= TARGET_OVERHEAD else "MISSES"
    rows = [
        ("plugin, seconds per handout (1 worker, preview and cache included)", f"{plugin_per_handout:.3f}"),
        ("bare WeasyPrint, same HTML and CSS, seconds per handout", f"{bare_per_handout:.3f}"),
        (
            f"overhead of the plugin (target ≤ {TARGET_OVERHEAD}×)",
            f"{results['overhead_vs_bare_weasyprint']}× ({verdict} the target)",
        ),
        (f"parallel speed-up, {cores} workers vs 1", f"{results['parallel_speedup']}×"),
        ("site build without handouts, s", seconds["site_without_handouts"]),
        (f"site build with {count} handouts, 1 worker, s", seconds["site_with_handouts_1_worker"]),
        (f"site build with {count} handouts, {cores} workers, s", seconds[f"site_with_handouts_{cores}_workers"]),
        (
            "rebuild with no change (renders nothing), s",
            f"{seconds['no_change_rebuild']} ({results['no_change_rebuild_vs_site_without_handouts']}× the site alone)",
        ),
    ]
    machine = results["machine"]
    (RESULTS / "handouts.md").write_text(
        "# Handouts benchmark\n\n"
        f"{count} handouts of ~800-word posts, {cores} cores, Python {machine['python']},\n"
        f"WeasyPrint {machine['weasyprint']}; best of {arguments.repeat} runs, {results['date']}.\n\n"
        "| measure | value |\n| --- | --- |\n" + "".join(f"| {measure} | {value} |\n" for measure, value in rows),
        encoding="utf-8",
    )
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
