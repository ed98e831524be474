"""The whole project's build: output/ is exactly this build's, and the same content gives the same bytes.

Built with every plugin (handbill.testing.sites), in child processes like `invoke build`.
"""

import shutil

from handbill_output_sync.sync import files_in

from handbill.testing.sites import build
from handbill_comments.tests.sitecontent import comment, post, site

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
