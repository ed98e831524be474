"""The plain functions: which files are stale, where they go, and when the output folder is unsafe."""

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.core.build_date import EPOCH, content_date
from handbill_output_sync.sync import (
    NAMED_SET_ASIDE,
    files_in,
    is_kept,
    load_output_files,
    save_output_files,
    tidy_output,
    unsafe_output_reason,
)


def test_kept_patterns_are_folders_or_globs():
    keep = [".well-known/", "CNAME", "google*.html"]
    assert is_kept(".well-known/acme/token", keep)
    assert is_kept("CNAME", keep) and is_kept("google123.html", keep)
    assert not is_kept("posts/CNAME", keep) and not is_kept("index.html", keep)


def write_files(folder, names):
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(f"bytes of {name}")


def test_stale_files_a_build_wrote_go_and_others_are_set_aside(tmp_path, caplog):
    output, aside = tmp_path / "output", tmp_path / "aside"
    write_files(output, ["index.html", "old/page.html", "keep/me.txt", "CNAME", "deep/er/google1.html"])
    removed, set_aside = tidy_output(output, {"index.html"}, ["keep/"], {"index.html", "old/page.html"}, aside)
    assert removed == ["old/page.html"]
    assert set_aside == ["CNAME", "deep/er/google1.html"]
    assert sorted(p.name for p in output.iterdir()) == ["index.html", "keep"]  # empty folders went too
    assert (aside / "CNAME").read_text() == "bytes of CNAME"
    assert (aside / "deep/er/google1.html").read_text() == "bytes of deep/er/google1.html"
    assert not (aside / "old").exists()
    assert f"{output / 'CNAME'} was written by no build, so it was moved to {aside / 'CNAME'}" in caplog.text
    assert "OUTPUT_KEEP" in caplog.text


def test_a_file_that_cannot_be_set_aside_stays_and_is_named(tmp_path, caplog):
    output, aside = tmp_path / "output", tmp_path / "aside"
    write_files(output, ["a/b.txt"])
    write_files(aside, ["a"])  # a file where the folder would go
    assert tidy_output(output, set(), [], set(), aside) == ([], [])
    assert (output / "a/b.txt").read_text() == "bytes of a/b.txt"
    assert f"{output / 'a/b.txt'} was written by no build, and could not be moved to {aside / 'a/b.txt'}" in caplog.text


def test_many_files_set_aside_are_named_up_to_a_limit_then_counted(tmp_path, caplog):
    output, aside = tmp_path / "output", tmp_path / "aside"
    write_files(output, [f"old-{number:03d}.html" for number in range(NAMED_SET_ASIDE + 5)])
    _removed, set_aside = tidy_output(output, set(), [], set(), aside)
    assert len(set_aside) == NAMED_SET_ASIDE + 5
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert len(warnings) == NAMED_SET_ASIDE + 1
    assert warnings[-1] == f"Output sync: 5 more file(s) written by no build were moved to {aside}"


NAMES = st.sampled_from(["index.html", "CNAME", "a/x.html", "a/y.html", "a/b/z.txt", "b/w.html", "c.txt"])
ROLES = st.sampled_from(["written", "earlier", "kept", "nobody's"])


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(NAMES, ROLES, min_size=1), st.sets(NAMES))
def test_the_output_keeps_exactly_the_written_and_kept_files_and_loses_no_others(tmp_path_factory, roles, extra):
    """Whatever mix is in the output: what stays is what this build wrote and OUTPUT_KEEP lists;
    a file nobody's build wrote is in the set-aside folder with its bytes; nothing else is there."""
    root = tmp_path_factory.mktemp("tidy")
    output, aside = root / "output", root / "aside"
    names = {name for name in roles if not any(other.startswith(f"{name}/") for other in roles)}
    write_files(output, names)
    of = {role: {name for name in names if roles[name] == role} for role in ("written", "earlier", "kept", "nobody's")}
    # Files that earlier builds wrote and that are no longer there change nothing.
    tidy_output(output, of["written"], sorted(of["kept"]), of["earlier"] | (extra - names), aside)
    assert set(files_in(output)) == of["written"] | of["kept"]
    assert (set(files_in(aside)) if aside.exists() else set()) == of["nobody's"]
    for name in of["nobody's"]:
        assert (aside / name).read_text() == f"bytes of {name}"


@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_a_damaged_record_of_output_files_counts_as_none(data):
    with tempfile.TemporaryDirectory() as folder:
        record = Path(folder) / "output-files.json"
        record.write_bytes(data)
        files = load_output_files(record)
    assert isinstance(files, set) and all(isinstance(name, str) for name in files)


def test_the_record_of_output_files_reads_back(tmp_path):
    record = tmp_path / "cache" / "output-files.json"
    assert load_output_files(record) == set()
    save_output_files(record, {"b.html", "a/c.html"})
    assert load_output_files(record) == {"b.html", "a/c.html"}
    record.write_text('{"files": ["a", 3]}')
    assert load_output_files(record) == set()


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
