"""Pagefind run for real over small folders of HTML."""

import json
import os
import subprocess
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill_search.index_cache import bytes_entry
from handbill_search.indexing import (
    ALLOCATOR_OPTIONS,
    CONFIG_FILE,
    NothingToIndex,
    SearchIndexError,
    build_bundle,
    can_be_globbed,
    failure_message,
    glob_naming,
    indexed_files,
    pagefind_command,
    pagefind_environment,
    publish_bundle,
)
from handbill_search.tests.bundles import file_bytes, indexed_pages


def page(title, body, extra=""):
    return (
        f'<!doctype html><html lang="en"><head><title>{title} · Site</title></head><body>'
        f"<nav>Home Archives</nav><article><h1>{title}</h1>"
        f"<div data-pagefind-body><p>{body}</p></div>{extra}</article></body></html>"
    )


SITE = {
    "posts/quokka/index.html": page(
        "Quokkas at Breakfast", 'A quokka asks about your follow-up.<a class="headerlink" href="#">#</a>'
    ),
    "posts/coffee/index.html": page(
        "Coffee First",
        "Coffee with a stranger.",
        '<span hidden data-handout-url="handouts/coffee.pdf" data-handout-pages="2 pages" '
        'data-pagefind-meta="handout[data-handout-url], handout_pages[data-handout-pages]"></span>',
    ),
    "about/index.html": page("About", "Dana meets people."),
    # Written by an earlier build and not by this one: never indexed.
    "posts/removed/index.html": page("Removed", "A walrus that is gone."),
    "tags/index.html": "<!doctype html><html lang='en'><body><p>quokka coffee tags</p></body></html>",
}
INDEXED = ["about/index.html", "posts/coffee/index.html", "posts/quokka/index.html"]


def write_site(folder, files=SITE):
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def test_indexed_files_are_the_written_ones_once_each_in_order():
    contents = [SimpleNamespace(save_as=name) for name in ("b/index.html", "", "a/index.html", "b/index.html")]
    assert indexed_files(contents) == ["a/index.html", "b/index.html"]


def test_the_command_asks_for_exclusions_and_a_language_only_when_told():
    assert pagefind_command()[-1] == "--silent"
    command = pagefind_command([".a", ".b c"], "de")
    assert command[-6:] == ["--exclude-selectors", ".a", "--exclude-selectors", ".b c", "--force-language", "de"]


def test_pagefind_gets_one_allocator_arena_per_core_unless_the_owner_chose():
    assert pagefind_environment({"PATH": "/bin"}, 3) == {"PATH": "/bin", ALLOCATOR_OPTIONS: "narenas:3"}
    assert pagefind_environment({ALLOCATOR_OPTIONS: "narenas:16"}, 3) == {ALLOCATOR_OPTIONS: "narenas:16"}


def test_pagefinds_allocator_takes_the_arena_count(tmp_path):
    # The pinned binary's jemalloc reads ALLOCATOR_OPTIONS and, told to, prints its options when
    # it exits: if a Pagefind release drops jemalloc or renames the variable, this fails.
    output = write_site(tmp_path / "output")
    (tmp_path / CONFIG_FILE).write_text(
        json.dumps({"site": str(output), "glob": glob_naming(INDEXED)}), encoding="utf-8"
    )
    environment = pagefind_environment({k: v for k, v in os.environ.items() if k != ALLOCATOR_OPTIONS}, 3)
    environment[ALLOCATOR_OPTIONS] += ",stats_print:true"
    result = subprocess.run(
        pagefind_command(), cwd=tmp_path, env=environment, capture_output=True, text=True, check=True
    )
    assert "opt.narenas: 3" in result.stderr
    assert (tmp_path / "bundle" / "pagefind.js").is_file()


def test_a_failure_is_one_line_with_the_status_and_the_last_distinct_lines():
    output = "Error: no index.\nMost likely, empty.\nError: no index.\nMost likely, empty.\n"
    assert failure_message(1, output) == "Pagefind exited with status 1: Error: no index. Most likely, empty."
    assert failure_message(2, "") == "Pagefind exited with status 2: no message"


def test_only_the_given_pages_are_indexed_with_their_handout(tmp_path):
    output = write_site(tmp_path / "output")
    bundle = build_bundle(output, INDEXED, tmp_path / "work")
    pages = indexed_pages(bundle)
    assert sorted(pages) == ["/about/", "/posts/coffee/", "/posts/quokka/"]
    assert pages["/posts/quokka/"]["meta"]["title"] == "Quokkas at Breakfast"
    assert "Home Archives" not in pages["/posts/quokka/"]["content"]  # only data-pagefind-body counts
    assert pages["/posts/coffee/"]["meta"]["handout"] == "handouts/coffee.pdf"
    assert pages["/posts/coffee/"]["meta"]["handout_pages"] == "2 pages"
    assert "handout" not in pages["/posts/quokka/"]["meta"]
    # The output itself is only read.
    assert not (output / "pagefind").exists()


def test_excluded_parts_of_a_page_are_not_its_text(tmp_path):
    output = write_site(tmp_path / "output")
    quokka = "posts/quokka/index.html"
    assert "#" in indexed_pages(build_bundle(output, [quokka], tmp_path / "all"))["/posts/quokka/"]["content"]
    pages = indexed_pages(build_bundle(output, [quokka], tmp_path / "some", [".headerlink"]))
    assert pages["/posts/quokka/"]["content"] == "A quokka asks about your follow-up."


def test_the_same_pages_give_the_same_bytes(tmp_path):
    output = write_site(tmp_path / "output")
    first = file_bytes(build_bundle(output, INDEXED, tmp_path / "first"))
    second = file_bytes(build_bundle(output, INDEXED, tmp_path / "second"))
    assert first == second
    assert "pagefind.js" in first and any(name.startswith("fragment/") for name in first)


def test_a_missing_page_is_named(tmp_path):
    output = write_site(tmp_path / "output")
    with pytest.raises(SearchIndexError, match=r"posts/nowhere/index\.html was not written"):
        build_bundle(output, ["posts/nowhere/index.html"], tmp_path / "work")


def test_a_missing_pagefind_binary_is_reported_with_its_cause(tmp_path, monkeypatch):
    # PAGEFIND_BINARY_PATH is how the pagefind package is told where its binary is.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    output = write_site(tmp_path / "output")
    with pytest.raises(SearchIndexError, match=r"Pagefind exited with status 1: .*No such file or directory"):
        build_bundle(output, INDEXED, tmp_path / "work")


def test_publishing_writes_only_what_changed(tmp_path):
    bundle, target = tmp_path / "bundle", tmp_path / "output" / "pagefind"
    write_site(bundle, {"same.js": "same", "fragment/new.pf": "new", "changed.json": "new"})
    write_site(target, {"same.js": "same", "changed.json": "old", "fragment/old.pf": "old"})
    same_before = (target / "same.js").stat()

    written, unchanged, entries = publish_bundle(bundle, target)

    assert sorted(p.relative_to(target).as_posix() for p in written) == ["changed.json", "fragment/new.pf"]
    assert [p.relative_to(target).as_posix() for p in unchanged] == ["same.js"]
    assert entries == {path: bytes_entry(path.read_bytes()) for path in (*written, *unchanged)}
    assert file_bytes(target) == {
        "same.js": b"same",
        "changed.json": b"new",
        "fragment/new.pf": b"new",
        "fragment/old.pf": b"old",
    }  # old files are output_sync's to remove
    same_after = (target / "same.js").stat()
    assert (same_after.st_ino, same_after.st_mtime_ns) == (same_before.st_ino, same_before.st_mtime_ns)


def test_published_files_are_moved_readable_by_the_web_server(tmp_path):
    bundle, target = tmp_path / "bundle", tmp_path / "output" / "pagefind"
    write_site(bundle, {"pagefind.js": "js", "fragment/a.pf": "a"})
    (bundle / "fragment" / "a.pf").chmod(0o600)  # as Pagefind leaves it under a private umask
    moved_inode = (bundle / "fragment" / "a.pf").stat().st_ino

    publish_bundle(bundle, target)

    published = target / "fragment" / "a.pf"
    assert published.stat().st_ino == moved_inode  # moved, not copied
    assert published.stat().st_mode & 0o777 == 0o644
    assert not (bundle / "fragment" / "a.pf").exists()


def test_a_bundle_on_another_file_system_is_copied(tmp_path):
    shared_memory = Path("/dev/shm")
    if not shared_memory.is_dir() or shared_memory.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second file system to keep the bundle on")
    with tempfile.TemporaryDirectory(dir=shared_memory) as elsewhere:
        bundle, target = Path(elsewhere) / "bundle", tmp_path / "output" / "pagefind"
        write_site(bundle, {"pagefind.js": "js", "fragment/a.pf": "a"})

        written, unchanged, _ = publish_bundle(bundle, target)

    assert sorted(p.relative_to(target).as_posix() for p in written) == ["fragment/a.pf", "pagefind.js"]
    assert unchanged == []
    assert file_bytes(target) == {"pagefind.js": b"js", "fragment/a.pf": b"a"}
    assert (target / "pagefind.js").stat().st_mode & 0o777 == 0o644


def test_pages_without_words_are_nothing_to_index_not_a_failure(tmp_path):
    site = write_site(
        tmp_path / "output",
        {"posts/photo/index.html": page("Photo", '<img src="team.png" alt="">'), "about/index.html": page("About", "")},
    )
    with pytest.raises(NothingToIndex, match=r"none of the 2 page\(s\) has any text to index"):
        build_bundle(site, ["about/index.html", "posts/photo/index.html"], tmp_path / "work")


# A path component of a page: letters of any script, spaces, and every character that
# means something in Pagefind's globs or the shell; never a separator or a backslash.
component = st.text(st.sampled_from("aZ9é中 ?*$:<>()[]{},!#%&'+=@~^-_."), min_size=1, max_size=8).filter(
    lambda name: name not in {".", ".."}
)
page_path = st.lists(component, min_size=1, max_size=3).map(lambda parts: "/".join(parts) + ".html")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(page_path, min_size=2, max_size=6, unique=True), st.data())
def test_the_glob_names_exactly_the_pages_to_index_whatever_their_names(tmp_path_factory, paths, data):
    # No path may be a folder of another (a file cannot be both).
    paths = [path for path in paths if not any(other.startswith(path[: -len(".html")] + "/") for other in paths)]
    chosen = data.draw(st.lists(st.sampled_from(paths), min_size=1, unique=True))
    folder = tmp_path_factory.mktemp("odd-names")
    pages_by_path = {path: page(f"Page {number}", f"word{number}") for number, path in enumerate(paths)}
    output = write_site(folder / "output", pages_by_path)
    assert all(can_be_globbed(path) for path in paths)

    pages = indexed_pages(build_bundle(output, chosen, folder / "work"))

    titles = sorted(fragment["meta"]["title"] for fragment in pages.values())
    assert titles == sorted(f"Page {paths.index(path)}" for path in chosen)


def test_the_glob_escapes_its_meta_characters_and_a_backslash_cannot_be_named():
    assert glob_naming(["a/index.html", "b,c/{d}.html"]) == "{a/index.html,b\\,c/\\{d\\}.html}"
    assert glob_naming(["./a//b/index.html"]) == "{a/b/index.html}"
    assert can_be_globbed("posts/a/index.html")
    assert not can_be_globbed("posts\\a/index.html")
