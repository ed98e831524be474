"""Which part of the index each page goes into (parts.py): plain functions, no Pagefind."""

import math
import os
import subprocess
import sys

from hypothesis import assume, given
from hypothesis import strategies as st

from handbill_search.parts import part_count, part_folder, part_of, split_into_parts

paths = st.text(st.characters(blacklist_categories=["Cs"]), min_size=1, max_size=30)
sites = st.lists(paths, unique=True, max_size=60)
part_sizes = st.integers(min_value=1, max_value=80)


@given(sites, part_sizes)
def test_every_page_is_in_exactly_one_part_and_no_part_is_empty(files, part_pages):
    parts = split_into_parts(files, part_pages)
    assert sorted(name for _folder, names in parts for name in names) == sorted(files)
    assert all(names for _folder, names in parts)
    assert len(parts) <= part_count(len(files), part_pages)
    folders = [folder for folder, _names in parts]
    assert len(set(folders)) == len(folders)


def as_sets(parts):
    return {folder: set(names) for folder, names in parts}


@given(sites, part_sizes, st.randoms())
def test_the_parts_do_not_depend_on_the_order_of_the_pages(files, part_pages, random):
    shuffled = list(files)
    random.shuffle(shuffled)
    assert as_sets(split_into_parts(shuffled, part_pages)) == as_sets(split_into_parts(files, part_pages))


@given(sites, part_sizes, paths)
def test_a_new_page_changes_only_its_own_part_while_the_count_stays(files, part_pages, new):
    assume(new not in files and part_count(len(files) + 1, part_pages) == part_count(len(files), part_pages))
    before = dict(split_into_parts(files, part_pages))
    after = dict(split_into_parts([*files, new], part_pages))
    changed = [folder for folder in after if after[folder] != before.get(folder)]
    assert len(changed) == 1 and new in after[changed[0]]


def test_a_site_up_to_part_pages_is_one_part_in_the_index_folder_itself():
    files = [f"posts/{number}/index.html" for number in range(500)]
    assert split_into_parts(files, 500) == [("", files)]
    assert part_count(0, 500) == 1


def test_counts_and_folders():
    assert [part_count(pages, 500) for pages in (1, 500, 501, 1000, 1001, 5000)] == [1, 1, 2, 2, 3, 10]
    assert [part_folder(number) for number in range(3)] == ["", "part-2", "part-3"]


def test_the_bench_sized_sites_split_into_parts_of_about_equal_size():
    for posts in (1000, 5000):
        files = [f"posts/{2015 + number % 10}/post-{number}/index.html" for number in range(posts)]
        sizes = [len(names) for _folder, names in split_into_parts(files, 500)]
        assert len(sizes) == math.ceil(posts / 500)
        average = posts / len(sizes)
        assert all(abs(size - average) < 0.15 * average for size in sizes), sizes


def test_the_parts_are_the_same_in_every_process():
    # From a hash of the path's bytes, not Python's hash(), which differs from one process to the next.
    code = "from handbill_search.parts import part_of; print([part_of(f'posts/{n}/index.html', 7) for n in range(40)])"
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert runs == {f"{[part_of(f'posts/{n}/index.html', 7) for n in range(40)]}\n"}
