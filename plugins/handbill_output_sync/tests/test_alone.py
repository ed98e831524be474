"""handbill_output_sync on its own: Pelican's defaults and default theme, no other plugin."""

from handbill.testing.plugin_site import assert_alone, build_with_only

PLUGIN = "handbill_output_sync"


def post(title, slug):
    return f"Title: {title}\nDate: 2024-03-01 09:00\nSlug: {slug}\n\nBody of {title}.\n"


def test_a_removed_post_loses_its_page_and_kept_files_stay(tmp_path):
    files = {"first.md": post("First", "first"), "second.md": post("Second", "second")}
    site = build_with_only(PLUGIN, files, tmp_path)
    assert_alone(site, PLUGIN)
    assert site.exists("second.html")
    (site.output / ".well-known").mkdir()
    (site.output / ".well-known" / "security.txt").write_text("Contact: x\n")
    (site.output / "CNAME").write_text("example.test\n")
    (site.output / "left-over" / "deep").mkdir(parents=True)
    (site.output / "left-over" / "deep" / "old.html").write_text("old\n")
    (site.content / "second.md").unlink()

    site = build_with_only(PLUGIN, {}, tmp_path, OUTPUT_KEEP=[".well-known/", "CNAME"])

    assert site.exists("first.html") and site.exists("theme/css/main.css")
    assert not site.exists("second.html")
    assert not (site.output / "left-over").exists()
    assert site.exists(".well-known/security.txt") and site.exists("CNAME")


def test_an_output_folder_holding_the_content_is_refused(tmp_path, caplog):
    files = {"first.md": post("First", "first")}
    stray = tmp_path / "stray.txt"
    stray.write_text("mine\n")
    build_with_only(PLUGIN, files, tmp_path, OUTPUT_PATH=str(tmp_path))
    assert stray.exists() and (tmp_path / "content" / "first.md").exists()
    assert "no stale file was removed" in caplog.text


def snapshot(output):
    """{path: (mtime_ns, bytes)} of every file in ``output``."""
    return {path: (path.stat().st_mtime_ns, path.read_bytes()) for path in output.rglob("*") if path.is_file()}


def test_unchanged_files_keep_their_mtime_and_changed_ones_are_rewritten(tmp_path):
    files = {"first.md": post("First", "first"), "second.md": post("Second", "second")}
    site = build_with_only(PLUGIN, files, tmp_path)
    before = snapshot(site.output)
    assert any("theme" in path.parts for path in before)  # Pelican copies these on every build

    build_with_only(PLUGIN, {}, tmp_path)
    assert snapshot(site.output) == before

    build_with_only(PLUGIN, {"second.md": post("Second", "second").replace("Body of", "New body of")}, tmp_path)
    after = snapshot(site.output)
    assert after.keys() == before.keys()
    new_mtime = {path for path in after if after[path][0] != before[path][0]}
    new_bytes = {path for path in after if after[path][1] != before[path][1]}
    assert new_mtime == new_bytes
    assert site.output / "second.html" in new_bytes and site.output / "first.html" not in new_bytes


def test_a_build_that_logged_an_error_removes_nothing(tmp_path, caplog):
    files = {"first.md": post("First", "first"), "second.md": post("Second", "second")}
    site = build_with_only(PLUGIN, files, tmp_path)
    (site.output / "left-over.html").write_text("old\n")

    broken = {"second.md": post("Second", "second").replace("2024-03-01 09:00", "the day after tomorrow")}
    build_with_only(PLUGIN, broken, tmp_path)
    assert "Could not process ./second.md" in caplog.text
    assert "no stale file was removed" in caplog.text
    assert site.exists("second.html") and site.exists("left-over.html")  # the last good page stays

    build_with_only(PLUGIN, files, tmp_path)
    assert site.exists("second.html") and not site.exists("left-over.html")


def test_a_file_no_build_wrote_is_set_aside_with_a_warning_not_deleted(tmp_path, caplog):
    files = {"first.md": post("First", "first"), "second.md": post("Second", "second")}
    site = build_with_only(PLUGIN, files, tmp_path)
    (site.output / "CNAME").write_text("blog.example.test\n")
    (site.output / "google1234.html").write_text("google-site-verification: google1234.html\n")
    (site.content / "second.md").unlink()

    site = build_with_only(PLUGIN, {}, tmp_path)

    aside = tmp_path / "cache" / "handbill_output_sync" / "set-aside"
    assert not site.exists("second.html") and not (aside / "second.html").exists()  # a build's own page: removed
    assert not site.exists("CNAME") and (aside / "CNAME").read_text() == "blog.example.test\n"
    assert (aside / "google1234.html").exists()
    warnings = [record.getMessage() for record in caplog.records if record.levelname == "WARNING"]
    assert (
        f"Output sync: {site.output / 'CNAME'} was written by no build, so it was moved to {aside / 'CNAME'}; "
        "list it in OUTPUT_KEEP to keep it in the output"
    ) in warnings


def test_pages_a_failed_build_wrote_count_as_a_builds_own(tmp_path, caplog):
    files = {"first.md": post("First", "first")}
    build_with_only(PLUGIN, files, tmp_path)
    broken = {
        "third.md": post("Third", "third"),
        "fourth.md": post("Fourth", "fourth").replace("2024-03-01 09:00", "someday"),
    }
    site = build_with_only(PLUGIN, broken, tmp_path)
    assert "no stale file was removed" in caplog.text and site.exists("third.html")
    (site.content / "third.md").unlink()
    (site.content / "fourth.md").unlink()
    caplog.clear()

    site = build_with_only(PLUGIN, {}, tmp_path)

    assert not site.exists("third.html")
    assert not (tmp_path / "cache" / "handbill_output_sync" / "set-aside").exists()
    assert "written by no build" not in caplog.text
