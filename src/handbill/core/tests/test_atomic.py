"""atomic_write_*: the old file or the new one, never half of one, and no temporary file left."""

import os
import stat

import pytest

from handbill.core.atomic import (
    atomic_file,
    atomic_write_bytes,
    atomic_write_text,
    write_bytes_if_changed,
    write_text_if_changed,
)


def leftovers(folder, keep):
    return sorted(path.name for path in folder.iterdir() if path.name != keep)


def test_writes_new_file_and_missing_folders(tmp_path):
    path = tmp_path / "a" / "b" / "manifest.json"
    atomic_write_text(path, "{}\n")
    assert path.read_bytes() == b"{}\n"
    assert leftovers(path.parent, "manifest.json") == []


def test_replaces_existing_file(tmp_path):
    path = tmp_path / "record.md"
    path.write_text("old", encoding="utf-8")
    atomic_write_bytes(path, b"new")
    assert path.read_bytes() == b"new"


def test_text_is_encoded_without_newline_translation(tmp_path):
    path = tmp_path / "post.md"
    atomic_write_text(path, "Zoë\r\nline\n")
    assert path.read_bytes() == "Zoë\r\nline\n".encode()


def test_file_is_readable_by_others_not_private_like_a_temporary_file(tmp_path):
    path = tmp_path / "manifest.json"
    atomic_write_text(path, "{}")
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    atomic_write_text(path, "{}", mode=0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_unencodable_text_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "feed.xml"
    path.write_text("old", encoding="utf-8")
    with pytest.raises(UnicodeEncodeError):
        atomic_write_text(path, "caf\u00e9", encoding="ascii")
    assert path.read_text(encoding="utf-8") == "old"
    assert leftovers(tmp_path, "feed.xml") == []


def test_failure_mid_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    path = tmp_path / "site.zip"
    path.write_bytes(b"old archive")
    with pytest.raises(RuntimeError, match="disk full"), atomic_file(path) as stream:
        stream.write(b"half of the new ")
        raise RuntimeError("disk full")
    assert path.read_bytes() == b"old archive"
    assert leftovers(tmp_path, "site.zip") == []


def test_failing_replace_removes_the_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "record.md"

    def refuse(source, destination):
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(PermissionError):
        atomic_write_text(path, "text")
    assert list(tmp_path.iterdir()) == []


def test_contents_are_flushed_to_disk_before_the_rename(tmp_path, monkeypatch):
    events = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (events.append("fsync"), real_fsync(fd))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    atomic_write_bytes(tmp_path / "x", b"data")
    assert events[:2] == ["fsync", "replace"]


@pytest.mark.parametrize(
    "write",
    [
        lambda path: write_bytes_if_changed(path, b"<p>new</p>", durable=False),
        lambda path: write_text_if_changed(path, "<p>new</p>", durable=False),
    ],
    ids=["bytes", "text"],
)
def test_a_page_that_the_next_build_rewrites_skips_the_flushes_but_not_the_rename(tmp_path, monkeypatch, write):
    events = []
    real_replace = os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: events.append("fsync"))
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append("replace"), real_replace(a, b))[1])
    assert write(tmp_path / "page.html")
    assert events == ["replace"]
    assert [path.name for path in tmp_path.iterdir()] == ["page.html"]
    assert (tmp_path / "page.html").read_bytes() == b"<p>new</p>"


def test_same_bytes_leave_the_file_untouched(tmp_path):
    path = tmp_path / "index.html"
    assert write_text_if_changed(path, "<p>Zoë</p>\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat()
    assert not write_bytes_if_changed(path, "<p>Zoë</p>\n".encode())
    after = path.stat()
    assert (after.st_mtime_ns, after.st_ino) == (before.st_mtime_ns, before.st_ino)


def test_different_bytes_or_permissions_are_written(tmp_path):
    path = tmp_path / "feed.xml"
    write_bytes_if_changed(path, b"old")
    assert write_bytes_if_changed(path, b"new") and path.read_bytes() == b"new"
    assert write_bytes_if_changed(path, b"new", mode=0o600)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not write_bytes_if_changed(path, b"new", mode=0o600)
    assert leftovers(tmp_path, "feed.xml") == []
