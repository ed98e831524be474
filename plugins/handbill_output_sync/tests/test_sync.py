"""The plain functions: which files are stale, and when the output folder is unsafe."""

from handbill.core.build_date import EPOCH, content_date
from handbill_output_sync.sync import is_kept, remove_stale, unsafe_output_reason


def test_kept_patterns_are_folders_or_globs():
    keep = [".well-known/", "CNAME", "google*.html"]
    assert is_kept(".well-known/acme/token", keep)
    assert is_kept("CNAME", keep) and is_kept("google123.html", keep)
    assert not is_kept("posts/CNAME", keep) and not is_kept("index.html", keep)


def test_only_unwritten_files_and_empty_folders_go(tmp_path):
    for name in ("index.html", "old/page.html", "keep/me.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    removed = remove_stale(tmp_path, {str(tmp_path / "index.html")}, ["keep/"])
    assert removed == ["old/page.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "keep"]


def test_an_output_folder_that_is_or_holds_a_protected_one_is_unsafe(tmp_path):
    content = tmp_path / "content"
    assert unsafe_output_reason(tmp_path, [content])
    assert unsafe_output_reason(content, [content])
    assert unsafe_output_reason(tmp_path / "output", [content]) is None


def test_the_content_date_is_the_newest_or_source_date_epoch():
    class Dated:
        def __init__(self, date, modified=None):
            self.date, self.modified = date, modified

    from datetime import UTC, datetime

    older, newer = datetime(2020, 1, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC)
    assert content_date([Dated(older, newer), Dated(older)], environ={}) == newer
    assert content_date([], environ={}) == EPOCH
    assert content_date([Dated(newer)], environ={"SOURCE_DATE_EPOCH": "0"}) == EPOCH
