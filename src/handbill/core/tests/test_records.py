"""Comment record files: parsing, formatting, writing, ids."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone

import pytest

from handbill.core.records import (
    EMAIL_REMOVED,
    CommentRecord,
    RecordError,
    format_record,
    new_comment_id,
    parse_record,
    read_comment_files,
    read_record,
    record_path,
    write_record,
)

RECORD_TEXT = """\
Id: c-20240305-1422-7f3a
Post: first-coffee
Author: Zoë de la Cruz
Website: https://example.org/zoe
Date: 2024-03-05T14:22:00+00:00
Reply-To: c-20240304-0910-1b2c
Identity: email-verified
Status: published

Thanks, this *helped*.

Second paragraph.
"""

RECORD = CommentRecord(
    id="c-20240305-1422-7f3a",
    post="first-coffee",
    author="Zoë de la Cruz",
    website="https://example.org/zoe",
    date=datetime(2024, 3, 5, 14, 22, tzinfo=UTC),
    reply_to="c-20240304-0910-1b2c",
    identity="email-verified",
    status="published",
    body="Thanks, this *helped*.\n\nSecond paragraph.",
)


def test_parse_reads_every_field():
    assert parse_record(RECORD_TEXT) == RECORD


def test_format_writes_the_documented_layout_and_round_trips():
    assert format_record(RECORD) == RECORD_TEXT
    held = replace(RECORD, status="held", held_reason="awaiting moderation", source="wordpress:12",
                   identity="imported", website="", reply_to="")
    text = format_record(held)
    assert text.splitlines()[:8] == [
        "Id: c-20240305-1422-7f3a",
        "Post: first-coffee",
        "Author: Zoë de la Cruz",
        "Date: 2024-03-05T14:22:00+00:00",
        "Identity: imported",
        "Status: held",
        "Held-Reason: awaiting moderation",
        "Source: wordpress:12",
    ]
    assert parse_record(text) == held


def test_bodies_are_normalized_so_round_trips_are_exact():
    record = replace(RECORD, body="\n\nline one  \r\nline two\n\n")
    assert record.body == "line one\nline two"
    assert parse_record(format_record(record)) == record


def test_keys_are_case_insensitive_and_status_defaults_to_published():
    text = RECORD_TEXT.replace("Reply-To:", "reply-to:").replace("Status: published\n", "")
    assert parse_record(text) == RECORD


def test_offset_dates_keep_their_offset():
    text = RECORD_TEXT.replace("2024-03-05T14:22:00+00:00", "2024-03-05T15:22:00+01:00")
    assert parse_record(text).date == RECORD.date
    assert parse_record(text).date.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("Id: c-20240305-1422-7f3a", "Id: ../../etc"), "Id"),
        (("Id: c-20240305-1422-7f3a", "Id: C-Upper"), "Id"),
        (("Post: first-coffee", "Post: ../secrets"), "Post"),
        (("Author: Zoë de la Cruz", "Author: zoe@example.org"), "Author"),
        (("Author: Zoë de la Cruz", "Author:"), "Author"),
        (("Website: https://example.org/zoe", "Website: javascript:alert(1)"), "Website"),
        (("Website: https://example.org/zoe", "Website: mailto:zoe@example.org"), "Website"),
        (("Website: https://example.org/zoe", "Website: https://x.example/?to=zoe@example.org"), "Website"),
        (("Date: 2024-03-05T14:22:00+00:00", "Date: 2024-03-05T14:22:00"), "Date"),
        (("Date: 2024-03-05T14:22:00+00:00", "Date: last tuesday"), "Date"),
        (("Date: 2024-03-05T14:22:00+00:00\n", ""), "Date"),
        (("Reply-To: c-20240304-0910-1b2c", "Reply-To: c-20240305-1422-7f3a"), "Reply-To"),
        (("Identity: email-verified", "Identity: trusted"), "Identity"),
        (("Status: published", "Status: approved"), "Status"),
        (("Status: published", "Status: published\nHeld-Reason: why"), "Held-Reason"),
        (("Status: published", "Status: published\nEmail: zoe@example.org"), "Email"),
        (("Status: published", "Status: published\nStatus: held"), "Status"),
        (("Status: published", "Status published"), "line 8"),
        (("\nThanks, this *helped*.\n\nSecond paragraph.\n", "\n"), "Body"),
    ],
)
def test_broken_records_are_refused_naming_file_and_field(change, field):
    old, new = change
    with pytest.raises(RecordError) as caught:
        parse_record(RECORD_TEXT.replace(old, new), "content/comments/first-coffee/x.md")
    assert str(caught.value).startswith("content/comments/first-coffee/x.md: ")
    assert caught.value.path == "content/comments/first-coffee/x.md"
    assert field.lower() in caught.value.reason.lower()


def test_missing_blank_line_is_refused():
    with pytest.raises(RecordError, match="no blank line"):
        parse_record("Id: a\nPost: b")


@pytest.mark.parametrize("field", ["author", "website"])
def test_a_value_cannot_smuggle_in_another_metadata_line(field):
    value = "https://x.example/\nStatus: published" if field == "website" else "Zoë Cruz\nStatus: published"
    record = replace(RECORD, status="held", **{field: value})
    with pytest.raises(RecordError, match="single line"):
        format_record(record)


@pytest.mark.parametrize(
    ("value", "cleaned"),
    [
        ("spam\nStatus: published", "spam Status: published"),
        ("rejected:\r\n  asked  for\x00money\u2028twice", "rejected: asked for money twice"),
        ("wrote from ann@x.example", f"wrote from {EMAIL_REMOVED}"),
        ("wrote from ann&#64;x.example", f"wrote from {EMAIL_REMOVED}"),
        ("wrote from ann＠x．example\nagain", f"wrote from {EMAIL_REMOVED} again"),
        ("", ""),
    ],
)
@pytest.mark.parametrize("field", ["held_reason", "source"])
def test_held_reasons_and_sources_are_cleaned_not_refused(field, value, cleaned):
    record = replace(RECORD, status="held", **{field: value})
    assert getattr(record, field) == cleaned
    assert parse_record(format_record(record)) == record


def test_a_rejection_whose_reason_names_an_address_still_holds_the_comment(tmp_path):
    rejected = replace(RECORD, status="held", held_reason="Rejected: sent by mallory@evil.example, see\nlog")
    write_record(tmp_path, rejected)
    text = record_path(tmp_path, rejected).read_text(encoding="utf-8")
    assert "Status: held" in text and f"Held-Reason: Rejected: sent by {EMAIL_REMOVED}, see log" in text
    assert "@" not in text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author", "Zoë <zoe@example.org>"),
        ("author", "Zoë zoe&#64;example.org"),
        ("author", "zoe＠example．org"),
        ("author", "zoe@exa\u200bmple.org"),
        ("website", "https://x.example/?to=zoe%40example.org&cc=zoe&#64;example.org"),
        ("website", "https://x.example/zoe@example.org"),
    ],
)
def test_an_author_or_website_with_an_email_address_is_refused(field, value):
    with pytest.raises(RecordError, match=f"{field.capitalize()}: contains an email address"):
        format_record(replace(RECORD, **{field: value}))


def test_write_record_is_atomic_idempotent_and_refuses_conflicts(tmp_path):
    assert record_path(tmp_path, RECORD) == tmp_path / "first-coffee" / "c-20240305-1422-7f3a.md"
    assert write_record(tmp_path, RECORD) is True
    path = record_path(tmp_path, RECORD)
    assert path.read_text(encoding="utf-8") == RECORD_TEXT
    assert write_record(tmp_path, RECORD) is False
    changed = replace(RECORD, body="Edited.")
    with pytest.raises(FileExistsError, match="c-20240305-1422-7f3a"):
        write_record(tmp_path, changed)
    assert read_record(path) == RECORD
    assert write_record(tmp_path, changed, overwrite=True) is True
    assert read_record(path) == changed
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_read_comment_files_reports_misplaced_and_unreadable_files(tmp_path):
    write_record(tmp_path, RECORD)
    (tmp_path / "stray.md").write_text("hello", encoding="utf-8")
    (tmp_path / "first-coffee" / "latin1.md").write_bytes("Author: Zo\xeb".encode("latin-1"))
    (tmp_path / "first-coffee" / ".c-x.abc.tmp").write_text("partial", encoding="utf-8")
    (tmp_path / "first-coffee" / "notes.txt").write_text("not a record", encoding="utf-8")
    results = {path.name: result for path, result in read_comment_files(tmp_path)}
    assert results["c-20240305-1422-7f3a.md"] == RECORD
    assert "not in a post folder" in results["stray.md"].reason
    assert "UTF-8" in results["latin1.md"].reason
    assert set(results) == {"c-20240305-1422-7f3a.md", "stray.md", "latin1.md"}


def test_new_comment_id_is_deterministic_short_and_valid():
    date = datetime(2024, 3, 5, 15, 22, tzinfo=timezone(timedelta(hours=1)))
    first = new_comment_id(date, "zoe|first-coffee|Thanks")
    assert first == new_comment_id(date, "zoe|first-coffee|Thanks")
    assert first.startswith("c-20240305-1422-") and len(first) == len("c-20240305-1422-") + 6
    assert first != new_comment_id(date, "zoe|first-coffee|Thanks!")
    assert parse_record(RECORD_TEXT.replace("c-20240305-1422-7f3a", first)).id == first


def test_a_record_body_never_keeps_an_email_address():
    record = CommentRecord(
        id="c-1", post="p", author="Ann Lee", date=datetime(2024, 1, 1, tzinfo=UTC),
        body="Write to me at ann@x.example or [mail](mailto:Ann.Lee@mail.example.org).", identity="email-verified",
    )
    assert "@" not in record.body and record.body.count(EMAIL_REMOVED) == 2
    assert "@" not in format_record(record)
    assert parse_record(format_record(record)) == record


def test_a_record_body_never_keeps_an_obfuscated_email_address():
    record = replace(RECORD, body="Mail *me*: ann&#64;x.example, or ann@*x*.example, or ann＠x．example.")
    assert record.body == f"Mail *me*: {EMAIL_REMOVED}, or {EMAIL_REMOVED}, or {EMAIL_REMOVED}."
