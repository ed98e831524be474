"""The production build of a publish, run in a child process (production_build.py).

A child process keeps each build's plugins and signals apart from the
caller's; it reports back in a JSON file: the errors that ended the build
and the drafts, with the paths they would have if they were published.
"""

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Draft:
    title: str
    slug: str
    source: str  # the draft's file
    paths: tuple[str, ...]  # where it would be in the output if it were published
    url: str  # the address it would have


@dataclass(frozen=True)
class BuildReport:
    returncode: int
    errors: tuple[str, ...]
    drafts: tuple[Draft, ...]
    site_url: str


def run_production_build(settings_file, output_dir):
    """Build the site of ``settings_file`` into ``output_dir``; the BuildReport."""
    output_dir = Path(output_dir)
    report_file = output_dir.parent / f"{output_dir.name}.build-report.json"
    completed = subprocess.run(
        [
            sys.executable, "-m", "handbill.publishing.production_build",
            str(settings_file), str(output_dir), str(report_file),
        ],
        cwd=Path(settings_file).parent,
        check=False,
    )
    if not report_file.exists():
        stopped = f"the build stopped (exit status {completed.returncode}); see its output above"
        return BuildReport(completed.returncode, (stopped,), (), "")
    data = json.loads(report_file.read_text(encoding="utf-8"))
    return BuildReport(
        returncode=completed.returncode,
        errors=tuple(data["errors"]),
        drafts=tuple(Draft(**{**draft, "paths": tuple(draft["paths"])}) for draft in data["drafts"]),
        site_url=data["site_url"],
    )
