"""The whole project's build: output/ is exactly this build's, and the same content gives the same bytes.

Built with every plugin (handbill.testing.sites), in child processes like `invoke build`.
"""

import shutil
import subprocess
import sys
import time

from handbill.testing.sites import build, run_pelican, write_site
from handbill_comments.tests.sitecontent import comment, post, site
from handbill_output_sync.sync import files_in

BEFORE = site(
    post("kept-as-is", date="2024-01-10 09:00"),
    post("to-change", date="2024-02-10 09:00"),
    post("to-remove", date="2024-03-10 09:00"),
    post("old-name", date="2024-04-10 09:00"),
    comment("to-change", "c-20240211-1000-aaaaaa", date="2024-02-11T10:00:00+00:00"),
    comment("to-remove", "c-20240311-1000-bbbbbb", date="2024-03-11T10:00:00+00:00"),
)
REMOVED = [
    "posts/to-remove.md",
    "posts/old-name.md",
    "comments/to-remove/c-20240311-1000-bbbbbb.md",
    "comments/to-change/c-20240211-1000-aaaaaa.md",
]
AFTER = site(
    post("kept-as-is", date="2024-01-10 09:00"),
    post("to-change", date="2024-02-10 09:00", body="Rewritten."),
    {
        "posts/new-name.md": "Title: New Name\nDate: 2024-04-10 09:00\nSlug: new-name\n"
        "Redirect-From: /posts/2024/old-name/\n\nRenamed.\n"
    },
    post("added", date="2024-05-10 09:00"),
    comment("to-change", "c-20240212-1000-cccccc", date="2024-02-12T10:00:00+00:00"),
)


def tree(folder):
    return {name: (folder / name).read_bytes() for name in files_in(folder)}


def test_a_rebuild_after_changes_equals_a_clean_build(tmp_path):
    rebuilt_root = tmp_path / "rebuilt"
    first = build(rebuilt_root, BEFORE)
    assert first.exists("posts/2024/to-remove/index.html")
    for name in REMOVED:
        (first.content / name).unlink()
    rebuilt = build(rebuilt_root, AFTER)
    clean = build(tmp_path / "clean", AFTER)

    assert not rebuilt.exists("posts/2024/to-remove/index.html")
    assert rebuilt.exists("posts/2024/old-name/index.html")  # now a redirect page
    rebuilt_tree, clean_tree = tree(rebuilt.output), tree(clean.output)
    assert sorted(rebuilt_tree) == sorted(clean_tree)
    assert [name for name in clean_tree if rebuilt_tree[name] != clean_tree[name]] == []


def test_two_builds_of_the_same_content_are_byte_identical(tmp_path):
    first = build(tmp_path / "first", AFTER)
    shutil.rmtree(tmp_path / "first" / "cache", ignore_errors=True)
    second = build(tmp_path / "second", AFTER)
    first_tree, second_tree = tree(first.output), tree(second.output)
    assert sorted(first_tree) == sorted(second_tree)
    assert [name for name in first_tree if first_tree[name] != second_tree[name]] == []


def stamps(folder):
    """{path: (mtime_ns, bytes)} of every file under ``folder``."""
    return {name: ((folder / name).stat().st_mtime_ns, (folder / name).read_bytes()) for name in files_in(folder)}


def rebuild(site):
    result = run_pelican(site.root, site.settings_file)
    assert result.returncode == 0, result.stdout + result.stderr


def test_only_the_files_whose_bytes_change_are_written_again(tmp_path):
    site = build(tmp_path, AFTER)
    before = stamps(site.output)

    rebuild(site)
    assert stamps(site.output) == before  # every mtime kept: sitemap, theme files, handouts…

    post = site.content / "posts" / "kept-as-is.md"
    post.write_text(post.read_text(encoding="utf-8").replace("A post about", "A post all about"), encoding="utf-8")
    rebuild(site)
    after = stamps(site.output)
    kept = after.keys() & before.keys()  # the search index names some files by their content
    new_mtime = {name for name in kept if after[name][0] != before[name][0]}
    new_bytes = {name for name in kept if after[name][1] != before[name][1]}
    assert new_mtime == new_bytes
    assert {"posts/2024/kept-as-is/index.html", "index.html", "feeds/all.atom.xml"} <= new_bytes
    assert "posts/2024/added/index.html" not in new_bytes


def test_pelican_r_removes_what_a_later_run_no_longer_writes(tmp_path):
    """`pelican -r` builds again in one process: each run's stale files go, not only the first's."""
    content, output, settings_file = write_site(tmp_path, BEFORE)
    removed_page = output / "posts/2024/old-name/index.html"
    log_file = tmp_path / "regenerate.log"

    def runs_done():
        return log_file.read_text(encoding="utf-8").count("Done: Processed")

    with (
        log_file.open("w", encoding="utf-8") as log,
        subprocess.Popen(
            [sys.executable, "-m", "handbill.pelican_command", "-s", str(settings_file), "-r"],
            cwd=tmp_path,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
        ) as regenerating,
    ):
        try:
            assert wait_until(lambda: runs_done() == 1), log_file.read_text(encoding="utf-8")
            assert removed_page.exists()
            time.sleep(1)  # Pelican starts watching only after its run has ended
            (content / "posts/old-name.md").unlink()
            assert wait_until(lambda: runs_done() == 2), log_file.read_text(encoding="utf-8")
        finally:
            regenerating.terminate()
            regenerating.wait(timeout=30)
    assert not removed_page.exists(), log_file.read_text(encoding="utf-8")
    assert (output / "posts/2024/kept-as-is/index.html").exists()


def wait_until(condition, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False
