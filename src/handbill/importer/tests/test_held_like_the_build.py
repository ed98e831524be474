"""The import holds what the build would hold, for the same reason, and keeps no address."""

from dataclasses import replace
from datetime import UTC, datetime

from handbill.core.comment_settings import load_comment_settings
from handbill.core.identity import NameIssue
from handbill.core.records import EMAIL_REMOVED, format_record, write_record
from handbill.importer.model import Export, ImportedComment, ImportedPost
from handbill.importer.staging import stage_import
from handbill.importer.tasks import report_lines
from handbill.importer.writer import write_import
from handbill.testing.sites import project_settings, run_pelican, write_site

POSTED = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
COMMENTED = datetime(2020, 1, 3, 3, 4, tzinfo=UTC)


def comment(number, author, body="Thanks for this.", **fields):
    return ImportedComment(
        source_id=f"wordpress:{number}", author=author, date=COMMENTED, body_html=f"<p>{body}</p>", **fields
    )


COMMENTS = (
    comment(1, "Jane Harper"),
    comment(2, "coffee_lover88"),
    comment(3, "Ａｄｍｉｎ Ｕｓｅｒ"),
    comment(4, "Dana Whitfield", email="dana@old.example.com", by_owner=True),
    comment(5, "Dana Whitfield", email="someone@else.example"),
    comment(6, "Dаna Whitfield"),  # Cyrillic а
    comment(7, "bob＠example．com"),
    comment(8, "Ann Lee", "Reach me at ann&#64;x.example or ann＠x．example.", website="https://x.example/?m=a&#64;b.org"),
)
EXPORT = Export(
    platform="WordPress", path="export.xml", site_url="https://old.example.com",
    posts=[ImportedPost(
        source_id="wordpress:12", kind="article", title="Coffee", slug="coffee", date=POSTED, author="Dana Whitfield",
        body_html="<p>Coffee first.</p>", status="published", comments=COMMENTS,
    )],
)
HANDLE_REASON = f"name 'coffee_lover88' is not a real full name: {NameIssue.HANDLE.for_owner}"


def staged_records(tmp_path):
    settings = load_comment_settings(project_settings())
    staged = stage_import(EXPORT, tmp_path / "content", tmp_path / "content" / "comments", settings)
    return staged, {record.source: record for record in staged.records}


def test_comments_the_build_would_hold_are_imported_held_with_the_owners_reason(tmp_path):
    staged, records = staged_records(tmp_path)
    held = {source: record.held_reason for source, record in records.items() if record.status == "held"}
    assert held == {
        "wordpress:2": HANDLE_REASON,
        "wordpress:3": f"name 'Ａｄｍｉｎ Ｕｓｅｒ' is not a real full name: {NameIssue.PLACEHOLDER.for_owner}",
        "wordpress:5": "name 'Dana Whitfield' is the site owner's, reserved for the owner's own comments",
        "wordpress:6": "name 'Dаna Whitfield' is the site owner's, reserved for the owner's own comments",
        "wordpress:7": "anonymous: gave an email address instead of a name",
    }
    assert (records["wordpress:4"].status, records["wordpress:4"].identity) == ("published", "site-owner")
    assert records["wordpress:1"].status == "published"
    assert f"  held: 1 × {HANDLE_REASON}" in report_lines(staged, write_import(staged))
    assert "comments (held)" in staged.counts and staged.counts["comments (held)"] == 5


def test_no_address_is_imported_however_it_is_written(tmp_path):
    _, records = staged_records(tmp_path)
    ann = records["wordpress:8"]
    assert ann.body == f"Reach me at {EMAIL_REMOVED} or {EMAIL_REMOVED}."
    assert ann.website == ""
    assert records["wordpress:7"].author == "Anonymous"
    written = "\n".join(format_record(record) for record in records.values())
    assert "@" not in written and "＠" not in written and "&#64;" not in written


def test_the_build_holds_an_imported_comment_for_the_reason_the_import_gave(tmp_path):
    content, _output, settings_file = write_site(tmp_path / "site", {})
    staged, records = staged_records(tmp_path / "site")
    write_import(staged)
    held_by_policy = [record for record in records.values() if record.held_reason.startswith("name ")]
    # The owner publishes them by hand: the build holds them again, saying the same.
    for record in held_by_policy:
        write_record(content / "comments", replace(record, status="published", held_reason=""), overwrite=True)
    result = run_pelican(tmp_path / "site", settings_file)
    assert result.returncode == 0, result.stdout + result.stderr
    log = " ".join((result.stdout + result.stderr).split())
    for record in held_by_policy:
        assert f"Comment held: content/comments/coffee/{record.id}.md: {record.held_reason}" in log
