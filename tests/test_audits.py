"""Automated audits of the sample site as a visitor gets it: axe-core finds no
accessibility violation, and Lighthouse (mobile) scores at least 0.95 in
performance, accessibility and best practices, on the index, an article with
comments, the handouts page and the search page.

The site is built once per module and served by a real HTTP server on
127.0.0.1; both audits drive Debian's Chromium. Lighthouse is the pinned npm
package in tools/audit/ (`make test` installs it with `npm ci`).
"""

import datetime as dt
import json
import os
import subprocess

import pytest
from axe_playwright_python.sync_playwright import Axe

from handbill.testing.browser import CHROMIUM, CHROMIUM_ARGS, serve_directory
from handbill.testing.sites import PROJECT_ROOT

WIDTHS = (375, 1280)
COLOUR_SCHEMES = ("light", "dark")
PAGES = ("index", "article with comments", "handouts", "search")
# axe also looks at the search page once it lists results (marked excerpts, handout links).
SEARCH_RESULTS = "search/?q=follow"

LIGHTHOUSE = PROJECT_ROOT / "tools" / "audit" / "node_modules" / ".bin" / "lighthouse"
LIGHTHOUSE_CATEGORIES = ("performance", "accessibility", "best-practices")
LIGHTHOUSE_MIN_SCORE = 0.95
RESULTS = PROJECT_ROOT / "bench" / "results"


@pytest.fixture(scope="module")
def sample_site(sample_site_output):
    """(output folder, base URL of a real HTTP server serving it)."""
    output = sample_site_output
    base_url, server = serve_directory(output)
    yield output, base_url
    server.shutdown()
    server.server_close()


def article_with_most_comments(output):
    """The published article whose page shows the most comments (a thread with replies, ideally)."""
    counts = {
        page: page.read_text(encoding="utf-8").count('class="comment__card"')
        for page in sorted((output / "posts").rglob("index.html"))
    }
    page = max(counts, key=counts.get)
    assert counts[page] > 0, "no sample article shows a comment"
    return page.relative_to(output).parent.as_posix() + "/"


def audited_pages(output):
    """{name: address relative to the site root} of the pages both audits look at."""
    return {
        "index": "",
        "article with comments": article_with_most_comments(output),
        "handouts": "handouts/",
        "search": "search/",
    }


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} <{violation['helpUrl']}>")
        for node in violation["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    at {' '.join(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", COLOUR_SCHEMES)
@pytest.mark.parametrize("name", [*PAGES, "search results"])
def test_axe_finds_no_accessibility_violation(sample_site, chromium, name, scheme, width):
    output, base_url = sample_site
    path = SEARCH_RESULTS if name == "search results" else audited_pages(output)[name]
    url = f"{base_url}/{path}"
    # The scheme is set on the context, so the page loads in it as on a reader's system.
    context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response.ok, f"{url}: HTTP {response.status}"
        page.wait_for_load_state("networkidle")
        if name == "search results":
            page.wait_for_selector(".search-result")
        violations = Axe().run(page).response["violations"]
    finally:
        context.close()
    assert violations == [], f"{url} ({scheme}, {width}px):\n{describe_violations(violations)}"


def chromium_version():
    result = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=True, timeout=60)
    return result.stdout.strip()


def run_lighthouse(url, report_path):
    """Lighthouse's JSON report of ``url`` at its default (mobile) settings."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    result = subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            f"--only-categories={','.join(LIGHTHOUSE_CATEGORIES)}",
            f"--chrome-flags={flags}",
        ],
        env={**os.environ, "CHROME_PATH": CHROMIUM},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"lighthouse {url} failed ({result.returncode}):\n{result.stderr[-3000:]}"
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert not report.get("runtimeError"), f"lighthouse {url}: {report['runtimeError']}"
    return report


def shortfall_causes(report, category):
    """The audits that cost ``category`` points, heaviest first, as one line each."""
    refs = sorted(report["categories"][category]["auditRefs"], key=lambda ref: -ref["weight"])
    causes = []
    for ref in refs:
        audit = report["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
            causes.append(f"{audit['id']} score {audit['score']}{value}: {audit['title']}")
    return causes


def write_lighthouse_results(rows, lighthouse_version, chromium, measured):
    record = {
        "measured": measured,
        "lighthouse": lighthouse_version,
        "chromium": chromium,
        "form_factor": "mobile (Lighthouse's default settings, simulated throttling)",
        "scores": rows,
    }
    (RESULTS / "lighthouse.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    table = [
        f"| {row['page']} | /{row['path']} | {row['category']} | {row['score']:.2f} | {'; '.join(row['lost_on'])} |"
        for row in rows
    ]
    (RESULTS / "lighthouse.md").write_text(
        "\n".join(
            [
                f"# Lighthouse scores of the sample site ({measured})",
                "",
                f"Lighthouse {lighthouse_version}, {chromium}, mobile (the default form factor and throttling),",
                "pages served from a local build on 127.0.0.1 by tests/test_audits.py.",
                f"Target: every score at least {LIGHTHOUSE_MIN_SCORE}.",
                "",
                "| page | address | category | score | audits that cost points |",
                "|---|---|---|---:|---|",
                *table,
                "",
            ]
        ),
        encoding="utf-8",
    )


@pytest.mark.slow
@pytest.mark.browser
def test_lighthouse_scores_at_least_95_on_mobile(sample_site, tmp_path):
    assert LIGHTHOUSE.exists(), f"{LIGHTHOUSE} is missing: run `make setup-test` (npm ci --prefix tools/audit)"
    output, base_url = sample_site
    rows, shortfalls, version = [], [], None
    for name, path in audited_pages(output).items():
        report = run_lighthouse(f"{base_url}/{path}", tmp_path / f"{name.replace(' ', '-')}.json")
        version = report["lighthouseVersion"]
        for category in LIGHTHOUSE_CATEGORIES:
            score = report["categories"][category]["score"]
            causes = shortfall_causes(report, category)
            rows.append({"page": name, "path": path, "category": category, "score": score, "lost_on": causes})
            if score is None or score < LIGHTHOUSE_MIN_SCORE:
                shortfalls.append(f"{name} (/{path}) {category} {score}:\n" + "\n".join(f"    {c}" for c in causes))
    measured = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    write_lighthouse_results(rows, version, chromium_version(), measured)
    assert not shortfalls, "Lighthouse scores below 0.95:\n" + "\n".join(shortfalls)
