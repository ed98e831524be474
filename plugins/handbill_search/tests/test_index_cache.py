"""Pagefind runs only when what it indexes changed: real builds, with a Pagefind that counts its runs."""

import json
import logging

import pagefind_bin
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.core import build_outputs
from handbill.testing.plugin_site import THEME, build_in_process, build_with_only
from handbill_search.index_cache import RECORD_FORMAT, current_files, input_digest, load_record
from handbill_search.parts import split_into_parts
from handbill_search.tests.bundles import file_bytes, indexed_pages
from handbill_search.tests.test_alone import FILES, PLUGIN, build, post

KEPT = "Search: no indexed page changed, so Pagefind did not run"


@pytest.fixture
def pagefind_runs(tmp_path, monkeypatch):
    """The number of times Pagefind has run so far: PAGEFIND_BINARY_PATH points at a script
    that notes each run and then runs the real binary."""
    count = tmp_path / "pagefind-runs"
    script = tmp_path / "counting-pagefind"
    script.write_text(f'#!/bin/sh\necho run >> "{count}"\nexec "{pagefind_bin.get_executable()}" "$@"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    return lambda: len(count.read_text().splitlines()) if count.exists() else 0


def index_of(root):
    return file_bytes(root / "output" / "pagefind")


def test_an_unchanged_site_is_not_indexed_again_and_its_index_is_kept(tmp_path, pagefind_runs, caplog):
    build(tmp_path)
    assert pagefind_runs() == 1
    before = index_of(tmp_path)

    with caplog.at_level(logging.INFO, logger="handbill_search"):
        site = build(tmp_path)

    assert pagefind_runs() == 1
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith(KEPT)] != []
    assert index_of(tmp_path) == before
    # Recorded as this build's output, so output_sync keeps them.
    kept = {str(path) for path in (site.output / "pagefind").rglob("*") if path.is_file()}
    assert kept and kept <= build_outputs.recorded()


def test_an_edited_post_is_indexed_again(tmp_path, pagefind_runs):
    build(tmp_path)
    before = index_of(tmp_path)

    files = {**FILES, "quokka.md": post("Quokkas at Breakfast", "quokka", "A wombat asks about your follow-up.")}
    site = build_with_only(PLUGIN, files, tmp_path, THEME=str(THEME), TIMEZONE="UTC")

    assert pagefind_runs() == 2
    assert index_of(tmp_path) != before
    content = indexed_pages(site.output / "pagefind")["/quokka.html"]["content"]
    assert "wombat" in content and "quokka asks" not in content


def test_a_file_missing_from_the_index_makes_pagefind_run_again(tmp_path, pagefind_runs):
    build(tmp_path)
    before = index_of(tmp_path)
    fragment = next((tmp_path / "output" / "pagefind" / "fragment").glob("*.pf_fragment"))
    fragment.unlink()

    build(tmp_path)

    assert pagefind_runs() == 2
    assert index_of(tmp_path) == before


def test_an_edited_index_file_makes_pagefind_run_again(tmp_path, pagefind_runs):
    build(tmp_path)
    before = index_of(tmp_path)
    entry = tmp_path / "output" / "pagefind" / "pagefind-entry.json"
    entry.write_bytes(entry.read_bytes().replace(b"{", b"["))  # same size, other bytes

    build(tmp_path)

    assert pagefind_runs() == 2
    assert index_of(tmp_path) == before


def test_a_changed_setting_makes_pagefind_run_again(tmp_path, pagefind_runs):
    build(tmp_path)
    build(tmp_path, SEARCH={"force_language": "de"})
    assert pagefind_runs() == 2


def test_a_corrupted_record_makes_pagefind_run_again(tmp_path, pagefind_runs, caplog):
    build(tmp_path)
    record = tmp_path / "cache" / "handbill_search" / "index-digest.json"
    record.write_text('{"format": 1, "digest": ', encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger="handbill_search"):
        build(tmp_path)

    assert pagefind_runs() == 2
    assert f"{record} is unreadable" in caplog.text
    build(tmp_path)  # the record was written again
    assert pagefind_runs() == 2


# File names never hold NUL, which delimits them in the digest.
names = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\0"), min_size=1, max_size=8)
pages = st.lists(st.tuples(names, st.binary(max_size=8)), max_size=4)


@given(pages, pages)
def test_different_pages_give_different_digests(first, second):
    setup = {"command": ["pagefind"]}
    assert (input_digest(setup, first) == input_digest(setup, second)) == (first == second)


def test_the_setup_is_part_of_the_digest():
    assert input_digest({"command": ["a"]}, []) != input_digest({"command": ["b"]}, [])


# A site in parts (parts.py): six posts and a page, about three pages a part.
MEETINGS = ["breakfast", "lunch", "seminar", "workshop", "dinner", "walk"]
PARTED = {
    **{f"{meeting}.md": post(meeting.title(), meeting, f"We met at the {meeting}.") for meeting in MEETINGS},
    "pages/about.md": "Title: About\n\nDana meets people.\n",
}
IN_PARTS = {"part_pages": 3}


def expected_parts(files):
    """{part's folder: the URLs it indexes}, as parts.py splits the pages of ``files`` (Pelican's default URLs)."""
    pages = sorted(name.replace(".md", ".html") for name in files)
    parts = split_into_parts(pages, IN_PARTS["part_pages"])
    return {folder: sorted(f"/{name}" for name in names) for folder, names in parts}


def parts_of(output):
    """{part's folder in the index's folder: the URLs it indexes} of a built site."""
    index = output / "pagefind"
    made = {entry.parent.relative_to(index).as_posix().strip("."): entry.parent
            for entry in index.glob("**/pagefind-entry.json")}
    in_order = sorted(made, key=lambda folder: int(folder.removeprefix("part-") or 1))
    return {folder: sorted(indexed_pages(made[folder])) for folder in in_order}


def build_parted(root, files=PARTED, plugins=(PLUGIN,)):
    return build_in_process(files, root, list(plugins), THEME=str(THEME), SEARCH=IN_PARTS)


def test_a_site_in_parts_indexes_every_page_once_and_the_search_page_names_the_parts(tmp_path, pagefind_runs):
    site = build_parted(tmp_path)

    parts = parts_of(site.output)
    assert parts == expected_parts(PARTED) and len(parts) == 3
    assert pagefind_runs() == len(parts)
    urls = [url for part in parts.values() for url in part]
    assert sorted(urls) == sorted({*(f"/{meeting}.html" for meeting in MEETINGS), "/pages/about.html"})
    named = ", ".join(f'"{folder}/"' if folder else '""' for folder in parts)
    assert f"data-bundle-parts='[{named}]'" in site.read("search/index.html")
    recorded = build_outputs.recorded()
    assert {str(path) for path in (site.output / "pagefind").rglob("*") if path.is_file()} <= recorded


def test_an_edited_post_indexes_only_its_own_part_again(tmp_path, pagefind_runs, caplog):
    plugins = (PLUGIN, "handbill_output_sync")  # which removes the edited post's last fragment
    site = build_parted(tmp_path, plugins=plugins)
    index = site.output / "pagefind"
    edited = next(folder for folder, urls in parts_of(site.output).items() if "/walk.html" in urls)
    stamps = {path: path.stat().st_mtime_ns for path in index.rglob("*") if path.is_file()}

    with caplog.at_level(logging.INFO, logger="handbill_search"):
        build_parted(tmp_path, {**PARTED, "walk.md": post("Walk", "walk", "We met for a wombat walk.")}, plugins)

    parts = parts_of(site.output)
    assert pagefind_runs() == len(parts) + 1
    assert f"Search: indexed {len(parts[edited])} page(s) into" in caplog.text
    assert f"1 of its {len(parts)} parts changed" in caplog.text
    touched = {path.relative_to(index).parts[0] if path.parent != index else "" for path, stamp in stamps.items()
               if not path.exists() or path.stat().st_mtime_ns != stamp}
    assert touched <= {edited, *(["fragment", "index"] if edited == "" else [])}
    assert "wombat" in indexed_pages(index / edited)["/walk.html"]["content"]


def test_a_rebuild_in_parts_after_adding_and_removing_posts_equals_a_clean_build(tmp_path):
    plugins = (PLUGIN, "handbill_output_sync")
    rebuilt = tmp_path / "rebuilt"
    build_parted(rebuilt, plugins=plugins)
    for meeting in MEETINGS[:3]:  # four pages left: two parts
        (rebuilt / "content" / f"{meeting}.md").unlink()
    smaller = {name: text for name, text in PARTED.items() if name not in {f"{m}.md" for m in MEETINGS[:3]}}
    build_parted(rebuilt, smaller, plugins)
    clean = build_parted(tmp_path / "clean", smaller, plugins)

    assert parts_of(rebuilt / "output") == expected_parts(smaller)
    assert len(expected_parts(PARTED)) > len(expected_parts(smaller)) > 1
    assert file_bytes(rebuilt / "output") == file_bytes(clean.output)


def test_a_part_pagefind_fails_on_is_named_and_the_other_parts_are_searched(tmp_path, monkeypatch, caplog):
    # A Pagefind that fails for the part holding the walk's page, and is the real one otherwise.
    script = tmp_path / "failing-pagefind"
    script.write_text(
        "#!/bin/sh\n"
        'if grep -q walk.html pagefind.json; then echo "Error: disk full" >&2; exit 3; fi\n'
        f'exec "{pagefind_bin.get_executable()}" "$@"\n'
    )
    script.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(script))
    expected = expected_parts(PARTED)
    failing = next(folder for folder, urls in expected.items() if "/walk.html" in urls)

    with caplog.at_level(logging.ERROR, logger="handbill_search"):
        site = build_parted(tmp_path)

    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    target = site.output / "pagefind" / failing
    said = (
        f"Search: no index was made in {target}, so the search page finds none of its "
        f"{len(expected[failing])} page(s): Pagefind exited with status 3: Error: disk full"
    )
    assert errors == [said]
    made = {folder: urls for folder, urls in expected.items() if folder != failing}
    assert parts_of(site.output) == made
    named = ", ".join(f'"{folder}/"' if folder else '""' for folder in made)
    assert f"data-bundle-parts='[{named}]'" in site.read("search/index.html")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)
parts_records = st.dictionaries(
    st.text(max_size=8),
    st.fixed_dictionaries({"digest": json_values, "files": json_values}) | json_values,
    max_size=3,
)


@given(st.one_of(json_values, st.fixed_dictionaries({"format": st.just(RECORD_FORMAT), "parts": parts_records})))
def test_any_record_reads_as_usable_parts_or_none(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("record") / "index-digest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    for folder, (digest, files) in load_record(path).items():
        assert isinstance(folder, str) and isinstance(digest, str)
        assert files and all(isinstance(entry, dict) for entry in files.values())
        # Whatever a usable part says, checking it against an empty output only says "run Pagefind".
        assert current_files((digest, files), digest, tmp_path_factory.mktemp("output")) is None
