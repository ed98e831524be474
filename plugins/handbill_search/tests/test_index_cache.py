"""Pagefind runs only when what it indexes changed: real builds, with a Pagefind that counts its runs."""

import logging

import pagefind_bin
import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.core import build_outputs
from handbill.testing.plugin_site import THEME, build_with_only
from handbill_search.index_cache import input_digest
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
