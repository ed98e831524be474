"""What the edited page takes over from the last build, and which output files a build changed."""

import os

from handbill.livereload.resident import carried_attributes
from handbill.livereload.snapshot import OutputSnapshot


def test_plugin_attributes_are_carried_but_nothing_the_file_itself_set():
    old = {
        "metadata": {"title": "T", "tags": ["a"], "summary": "S", "save_as": "x.html"},
        "title": "T",
        "tags": ["a"],
        "override_save_as": "x.html",
        "_summary": "S",
        "locale_modified": "1 May",
        "comment_section": "comments",
        "reading_time": 3,
        "next_article": "newer",
    }
    new = {"metadata": {"title": "T2"}, "title": "T2"}
    plugins_attached = {"comment_section": "comments", "reading_time": 3, "next_article": "newer"}
    assert carried_attributes(old, new) == plugins_attached
    recomputed = carried_attributes(old, {**new, "reading_time": 4})
    assert recomputed == {"comment_section": "comments", "next_article": "newer"}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_file_rewritten_with_the_same_bytes_is_no_change(tmp_path):
    write(tmp_path / "index.html", "home")
    write(tmp_path / "posts/a/index.html", "a")
    write(tmp_path / "theme/css/site.css", "css")
    write(tmp_path / "handouts/a.pdf", "untracked")
    snapshot = OutputSnapshot(tmp_path)
    assert snapshot.update() == ["index.html", "posts/a/index.html", "theme/css/site.css"]

    write(tmp_path / "index.html", "home")
    os.utime(tmp_path / "index.html", ns=(1, 1))  # a new mtime, the same bytes
    write(tmp_path / "posts/a/index.html", "changed")
    (tmp_path / "theme/css/site.css").unlink()
    write(tmp_path / "posts/b/index.html", "new")
    write(tmp_path / "handouts/a.pdf", "still untracked")
    assert snapshot.update() == ["posts/a/index.html", "posts/b/index.html", "theme/css/site.css"]
    assert snapshot.update() == []


def test_a_page_noted_between_builds_is_no_change_to_the_next(tmp_path):
    snapshot = OutputSnapshot(tmp_path)
    write(tmp_path / "posts/a/index.html", "before")
    snapshot.update()
    write(tmp_path / "posts/a/index.html", "written first")
    snapshot.note("posts/a/index.html")
    assert snapshot.update() == []
