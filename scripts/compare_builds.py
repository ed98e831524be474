"""Compare the sample site built by two versions of the project, byte for byte.

    .venv/bin/python scripts/compare_builds.py --base 8351f1f
    make compare-builds BASE=8351f1f

Each side is copied into a temporary folder (the base from git, the other
from this checkout's working tree, uncommitted changes included) and built
there with its own ``invoke build`` (handouts included), using this
checkout's virtual environment. Both builds run under libfaketime with the
clock stopped at one instant, because some files (the sitemap's lastmod, the
comment manifest's ``generated``) record when they were built; anything else
that differs is a real difference. Exit status 0 when every file of both
output trees is identical, 1 otherwise, listing the files.

Written for the move to one installable package (issue 11): a change of
structure must not change the site.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parent.parent
FROZEN_CLOCK = "2026-01-01 12:00:00"


def copy_revision(revision, destination):
    """The files of ``revision`` as git has them, in ``destination``."""
    destination.mkdir(parents=True)
    archive = destination.with_suffix(".tar")
    subprocess.run(["git", "-C", str(CHECKOUT), "archive", "--output", str(archive), revision], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(destination, filter="data")
    archive.unlink()


def copy_working_tree(destination):
    """This checkout's tracked and untracked, not ignored, files as they are now."""
    listed = subprocess.run(
        ["git", "-C", str(CHECKOUT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        check=True, capture_output=True,
    ).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = CHECKOUT / name
        if source.is_file():
            target = destination / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def build(tree, label):
    """Run the tree's own ``invoke build`` with the clock stopped; its output folder."""
    if shutil.which("faketime") is None:
        sys.exit("compare_builds: needs libfaketime's `faketime` (make compare-builds installs it)")
    environment = {
        **os.environ,
        # Timeouts and the process pool measure time with the monotonic clock: keep it real.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
    }
    invoke = CHECKOUT / ".venv" / "bin" / "invoke"
    print(f"Building {label} in {tree}", flush=True)
    completed = subprocess.run(
        ["faketime", "-f", FROZEN_CLOCK, str(invoke), "build"],
        cwd=tree, env=environment, capture_output=True, text=True, check=False,
    )
    if completed.returncode != 0:
        sys.exit(f"compare_builds: the build of {label} failed:\n{completed.stdout}{completed.stderr}")
    return tree / "output"


def files_in(folder):
    return {path.relative_to(folder) for path in folder.rglob("*") if path.is_file()}


def differences(left, right):
    """(only in left, only in right, with different bytes): paths relative to the two folders."""
    left_files, right_files = files_in(left), files_in(right)
    differing = [
        path for path in left_files & right_files if (left / path).read_bytes() != (right / path).read_bytes()
    ]
    return sorted(left_files - right_files), sorted(right_files - left_files), sorted(differing)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="the git revision to compare against, e.g. 8351f1f")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders and say where")
    arguments = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="compare-builds-"))
    try:
        base_tree, head_tree = work / "base", work / "head"
        copy_revision(arguments.base, base_tree)
        head_tree.mkdir()
        copy_working_tree(head_tree)
        base_output = build(base_tree, f"{arguments.base}")
        head_output = build(head_tree, "the working tree")
        only_base, only_head, differing = differences(base_output, head_output)
        files = len(files_in(head_output))
        for label, paths in (
            (f"only in {arguments.base}'s output", only_base),
            ("only in the working tree's output", only_head),
            ("different bytes", differing),
        ):
            for path in paths:
                print(f"{label}: {path}")
        if only_base or only_head or differing:
            print(f"The outputs differ in {len(only_base) + len(only_head) + len(differing)} file(s).")
            return 1
        print(f"The outputs are byte-identical: {files} files, handouts included.")
        return 0
    finally:
        if arguments.keep:
            print(f"Kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
