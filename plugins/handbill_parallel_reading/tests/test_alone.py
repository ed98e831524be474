"""handbill_parallel_reading on its own: Pelican's defaults and default theme, no other plugin."""

import os

from handbill.testing.plugin_site import assert_alone, build_in_process, build_with_only
from handbill_output_sync.sync import files_in
from handbill_parallel_reading import FINGERPRINT_FILE

PLUGIN = "handbill_parallel_reading"
CACHED = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True}
EVERY_FILE_IN_WORKERS = {**CACHED, "PARALLEL_READING": {"workers": 2, "min_files": 1}}


BODY = 'A "quoted" word -- and a footnote.[^1]'


def post(number, body=BODY):
    return (
        f"Title: Post {number}\nDate: 2024-03-{number:02d} 09:00\nTags: meeting, tag{number % 3}\n"
        f"Summary: The *{number}th* post.\n\n{body}\n\n[^1]: Note {number}.\n"
    )


def posts(count):
    return {f"post-{number}.md": post(number) for number in range(1, count + 1)}


def tree(folder):
    return {name: (folder / name).read_bytes() for name in files_in(folder)}


SMARTY = {"MARKDOWN": {"extension_configs": {"markdown.extensions.extra": {}, "markdown.extensions.smarty": {}}}}


def test_the_site_is_byte_identical_to_one_read_without_the_plugin(tmp_path, caplog):
    files = {**posts(12), "pages/about.md": "Title: About\n\nAbout us.\n"}
    caplog.set_level("INFO")
    site = build_with_only(PLUGIN, files, tmp_path / "parallel", **EVERY_FILE_IN_WORKERS, **SMARTY)
    plain = build_in_process(files, tmp_path / "plain", [], **SMARTY)

    assert_alone(site, PLUGIN)
    assert "Parallel reading: 12 articles read by 2 workers, 0 left to this process" in caplog.text
    assert tree(site.output) == tree(plain.output)
    assert "&ldquo;quoted&rdquo;" in site.read("post-1.html")


def test_a_broken_post_is_reported_by_pelican_naming_it_and_the_others_build(tmp_path, caplog):
    files = {**posts(6), "broken.md": "Title: Broken\nDate: the day after tomorrow\n\nText.\n"}
    caplog.set_level("INFO")
    site = build_with_only(PLUGIN, files, tmp_path, **EVERY_FILE_IN_WORKERS)

    assert "6 articles read by 2 workers, 1 left to this process" in caplog.text
    assert "Could not process ./broken.md" in caplog.text
    assert all(site.exists(f"post-{number}.html") for number in range(1, 7))
    assert not site.exists("broken.html")


def test_an_unchanged_rebuild_reads_from_the_cache_and_an_edit_reads_that_file(tmp_path, caplog):
    caplog.set_level("INFO")
    site = build_with_only(PLUGIN, posts(4), tmp_path, **EVERY_FILE_IN_WORKERS)
    caplog.clear()
    build_with_only(PLUGIN, {}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert "Parallel reading: 0 articles to read" in caplog.text

    caplog.clear()
    build_with_only(PLUGIN, {"post-2.md": post(2, body="Rewritten.")}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert "1 articles read by 1 workers" not in caplog.text  # one file: read in this process
    assert "Parallel reading: 1 articles to read, in this process" in caplog.text
    assert "Rewritten." in site.read("post-2.html")


def test_a_changed_markdown_setting_reads_everything_again(tmp_path, caplog):
    caplog.set_level("INFO")
    site = build_with_only(PLUGIN, posts(3), tmp_path, **EVERY_FILE_IN_WORKERS, **SMARTY)
    assert "&ldquo;quoted&rdquo;" in site.read("post-1.html")

    caplog.clear()
    site = build_with_only(PLUGIN, {}, tmp_path, **EVERY_FILE_IN_WORKERS)  # no smarty extension
    assert "Content cache in" in caplog.text and "3 articles read by 2 workers" in caplog.text
    assert "&ldquo;" not in site.read("post-1.html") and '"quoted"' in site.read("post-1.html")


def test_switching_the_cache_compression_starts_a_fresh_cache_without_a_warning(tmp_path, caplog):
    caplog.set_level("INFO")
    for compressed in (True, False, True):
        caplog.clear()
        site = build_with_only(PLUGIN, posts(3), tmp_path, **EVERY_FILE_IN_WORKERS, GZIP_CACHE=compressed)
        assert "3 articles read by 2 workers" in caplog.text
        assert "Cannot unpickle cache" not in caplog.text
        assert "Note 1." in site.read("post-1.html")


def test_a_cache_saved_under_another_fingerprint_is_not_loaded(tmp_path, caplog):
    """What a changed plugin source or library version leads to (their digests: test_fingerprint)."""
    caplog.set_level("INFO")
    build_with_only(PLUGIN, posts(3), tmp_path, **EVERY_FILE_IN_WORKERS)
    fingerprint = tmp_path / "cache" / FINGERPRINT_FILE
    assert len(fingerprint.read_text().strip()) == 64
    fingerprint.write_text("made-by-another-version-of-a-plugin\n")

    caplog.clear()
    build_with_only(PLUGIN, {}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert "3 articles read by 2 workers" in caplog.text
    assert fingerprint.read_text().strip() != "made-by-another-version-of-a-plugin"


def test_without_the_reader_cache_it_says_so_and_pelican_reads_as_always(tmp_path, caplog):
    site = build_with_only(PLUGIN, posts(2), tmp_path, PARALLEL_READING={"workers": 2, "min_files": 1})
    assert "Parallel reading needs CACHE_CONTENT = True" in caplog.text
    assert site.exists("post-2.html")


def test_a_bad_setting_is_an_error_naming_it(tmp_path, caplog):
    build_with_only(PLUGIN, posts(1), tmp_path, **CACHED, PARALLEL_READING={"workers": 0, "min_file": 3})
    assert 'PARALLEL_READING["workers"] must be 1 or more, not 0' in caplog.text
    assert 'PARALLEL_READING["min_file"] is not a setting' in caplog.text


def test_the_cache_is_saved_again_only_when_an_entry_changed(tmp_path, caplog):
    caplog.set_level("INFO")
    build_with_only(PLUGIN, posts(4), tmp_path, **EVERY_FILE_IN_WORKERS)
    cache_file = tmp_path / "cache" / "ArticlesGenerator-Readers"
    written = cache_file.stat().st_mtime_ns
    os.utime(cache_file, ns=(written - 10**9, written - 10**9))  # older, so that a new write would show
    unchanged = cache_file.stat().st_mtime_ns

    build_with_only(PLUGIN, {}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert cache_file.stat().st_mtime_ns == unchanged

    build_with_only(PLUGIN, {"post-2.md": post(2, body="Rewritten.")}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert cache_file.stat().st_mtime_ns != unchanged
    caplog.clear()
    site = build_with_only(PLUGIN, {}, tmp_path, **EVERY_FILE_IN_WORKERS)
    assert "Parallel reading: 0 articles to read" in caplog.text  # the edit's entry was saved
    assert "Rewritten." in site.read("post-2.html")
