"""The owner's Disqus replies: known by the Disqus account given with --disqus-owner, never by the name."""

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.core.comment_settings import load_comment_settings
from handbill.core.records import read_record
from handbill.importer import import_file
from handbill.importer.disqus import DisqusComment, parse_owner_usernames, stage_threads
from handbill.importer.model import ImportedPost, ImportedThread, ThreadExport
from handbill.importer.staging import StagedImport
from handbill.importer.xmlsource import ExportError
from handbill.testing.sites import PROJECT_ROOT, project_settings, run_pelican, write_site

from .conftest import DISQUS_POSTS, DISQUS_THREADS, disqus_export_text

POSTED = datetime(2019, 5, 6, 10, 0, tzinfo=UTC)
OWNER_NAME_REASON = "name 'Dana Whitfield' is the site owner's, reserved for the owner's own comments"

# The owner's reply from her Disqus account, a stranger's account signing with her name, and a guest doing the same.
OWNER_POSTS = [
    ("9020", "7001", "9001", "2019-05-08T12:00:00Z", "Dana Whitfield", "dana@old.example.com", "DanaWhitfield", False,
     False, False, "<p>Thank you, Jane. Do tell me how it goes.</p>"),
    ("9021", "7003", "", "2019-05-10T12:00:00Z", "Dana Whitfield", "fake@example.com", "notdana", False, False, False,
     "<p>I am the owner, honest.</p>"),
    ("9022", "7003", "", "2019-05-10T13:00:00Z", "Dana Whitfield", "guest@example.com", "", True, False, False,
     "<p>A guest with the owner's name.</p>"),
]  # fmt: skip


def site_settings():
    return load_comment_settings(project_settings())


@pytest.fixture
def disqus_with_owner(tmp_path):
    path = tmp_path / "exports" / "oldexample-owner-all.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(disqus_export_text(DISQUS_THREADS, DISQUS_POSTS + OWNER_POSTS), encoding="utf-8")
    return path


def records_by_source(comments_dir):
    return {record.source: record for record in map(read_record, comments_dir.rglob("*.md"))}


def snapshot(folder):
    return {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}


def test_the_owners_account_brings_her_replies_in_as_hers_even_after_an_import_without_it(
    tmp_path, wxr_file, disqus_with_owner
):
    content = tmp_path / "content"
    comments = content / "comments"
    staged, _ = import_file(wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner)
    before = records_by_source(comments)
    assert (before["disqus:9020"].status, before["disqus:9020"].held_reason) == ("held", OWNER_NAME_REASON)
    # The to-do list names the accounts that signed with the owner's name, and the option.
    assert staged.todo == [
        (
            "2 held Disqus comment(s) are by Disqus user(s) danawhitfield, notdana, who signed comments with the "
            "owner's or a post author's name: if an account is yours, import again with "
            "`--disqus-owner danawhitfield` (repeat it, or separate names with commas) and its comments come in "
            "as your replies"
        )
    ]

    # Again, naming her account (in any case): the held copy the first import wrote becomes her reply.
    staged, result = import_file(
        wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner,
        disqus_owners=parse_owner_usernames(["DanaWhitfield"]),
    )  # fmt: skip
    after = records_by_source(comments)
    owner = after["disqus:9020"]
    assert (owner.identity, owner.status, owner.held_reason) == ("site-owner", "published", "")
    assert owner.reply_to == after["disqus:9001"].id
    assert result.written == [comments / "coffee-then-cards" / f"{owner.id}.md"] and result.kept == []
    # Nobody else's comment changes: the stranger's account and the guest stay held, whatever name they used.
    assert {source: record for source, record in after.items() if source != "disqus:9020"} == {
        source: record for source, record in before.items() if source != "disqus:9020"
    }
    assert after["disqus:9021"].held_reason == after["disqus:9022"].held_reason == OWNER_NAME_REASON
    assert staged.todo[0].startswith("1 held Disqus comment(s) are by Disqus user(s) notdana,")

    unchanged = snapshot(content)
    _, again = import_file(
        wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner, disqus_owners=("danawhitfield",)
    )
    assert again.written == [] and again.kept == []
    assert snapshot(content) == unchanged


def test_a_record_the_owner_edited_is_kept_whatever_the_option_says(tmp_path, wxr_file, disqus_with_owner):
    content = tmp_path / "content"
    comments = content / "comments"
    import_file(wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner)
    path = next(path for path in comments.rglob("*.md") if "Source: disqus:9020" in path.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("Do tell me", "Please tell me"), encoding="utf-8")
    edited = path.read_bytes()
    _, result = import_file(
        wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner, disqus_owners=("danawhitfield",)
    )
    assert result.kept == [path] and path.read_bytes() == edited


@pytest.mark.parametrize("with_blog", [True, False])
def test_an_unknown_username_stops_the_import_naming_it_and_the_likely_ones(
    tmp_path, wxr_file, disqus_with_owner, with_blog
):
    content = tmp_path / "content"
    comments = content / "comments"
    import_file(wxr_file, content, comments, site_settings())
    before = snapshot(content)
    arguments = (
        (wxr_file, content, comments, site_settings(), disqus_with_owner)
        if with_blog
        else (disqus_with_owner, content, comments, site_settings())
    )
    with pytest.raises(ExportError) as caught:
        import_file(*arguments, disqus_owners=("danawhitfield", "dana_w", "janeharper2"))
    assert str(caught.value) == (
        f"{disqus_with_owner}: --disqus-owner dana_w, janeharper2: no comment in this export was posted by those "
        "Disqus users (the Disqus users who signed comments with the owner's name are danawhitfield, notdana)"
    )
    assert snapshot(content) == before


def test_a_wrong_account_is_pointed_out_and_an_import_without_it_puts_its_comments_back(
    tmp_path, wxr_file, disqus_with_owner
):
    content = tmp_path / "content"
    comments = content / "comments"
    import_file(wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner)
    right = snapshot(content)
    staged, _ = import_file(
        wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner, disqus_owners=("janeharper",)
    )
    assert {r.identity for r in records_by_source(comments).values() if r.source in ("disqus:9001", "disqus:9003")} == {
        "site-owner"
    }
    assert (
        "--disqus-owner janeharper: its comments came in as yours, but they are signed 'Jane Harper'; if that "
        "account is not yours, import again without it and they go back to being the commenter's"
    ) in staged.todo
    _, result = import_file(wxr_file, content, comments, site_settings(), disqus_path=disqus_with_owner)
    assert len(result.written) == 2 and result.kept == []
    assert snapshot(content) == right


def test_naming_an_owner_account_without_a_disqus_export_is_refused(tmp_path, wxr_file):
    with pytest.raises(ExportError, match="--disqus-owner names Disqus users, but no Disqus export was given"):
        import_file(wxr_file, tmp_path / "content", tmp_path / "content" / "comments", disqus_owners=("dana",))
    assert not (tmp_path / "content").exists()


def test_owner_usernames_are_read_from_repeated_and_comma_separated_values():
    assert parse_owner_usernames(["DanaW, @dana_w2", "", " danaw ,"]) == ("danaw", "dana_w2")
    assert parse_owner_usernames([]) == ()


OWNER = "danawhitfield"
authors = st.tuples(
    st.sampled_from(["Dana Whitfield", "DANA WHITFIELD", "Dana  Whitfield", "Jane Harper", "Tom Baker"]),
    st.sampled_from([OWNER, "notdana", "janeharper", ""]),
    st.sampled_from(["", "deleted on Disqus"]),
)


@settings(max_examples=80, deadline=None)
@given(comments=st.lists(authors, min_size=1, max_size=8))
def test_only_the_named_account_is_the_owner_whatever_name_anyone_signs_with(comments):
    thread_comments = tuple(
        DisqusComment(
            source_id=f"disqus:{100 + number}",
            author=name,
            date=POSTED + timedelta(hours=number + 1),
            body_html=f"<p>Comment {number}</p>",
            held_reason=held_reason,
            username=username,
        )
        for number, (name, username, held_reason) in enumerate(comments)
    )
    export = ThreadExport(
        platform="Disqus",
        path="disqus.xml",
        site_url="https://disqus.com/home/forum/oldexample/",
        threads=[ImportedThread("disqus:1", "Coffee", "https://old.example.com/coffee/", (), thread_comments)],
    )
    post = ImportedPost(
        source_id="", kind="article", title="Coffee", slug="coffee", date=POSTED, author="Dana Whitfield",
        body_html="", status="published", old_urls=("/coffee/",),
    )  # fmt: skip
    staged = stage_threads(
        export, [(post, "coffee")], StagedImport(files=[], records=[], comments_dir="comments"), site_settings(),
        owners=(OWNER,),
    )  # fmt: skip
    for comment, record in zip(thread_comments, staged.records, strict=True):
        is_owner = comment.username == OWNER
        assert (record.identity == "site-owner") == is_owner
        if is_owner:
            # The owner's account is trusted with her name; what Disqus deleted stays held all the same.
            assert record.held_reason == comment.held_reason
        elif comment.author.lower().split() == ["dana", "whitfield"]:
            assert record.status == "held"


def invoke_import(settings_file, *arguments):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(PROJECT_ROOT), "import", "--settings", str(settings_file),
         *map(str, arguments)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300, check=False,
    )  # fmt: skip


def test_invoke_import_with_the_owners_account_then_the_build_shows_her_reply_as_hers(
    tmp_path, wxr_file, disqus_with_owner
):
    content, output, settings_file = write_site(tmp_path / "site", {})
    refused = invoke_import(
        settings_file, "--disqus", disqus_with_owner, "--disqus-owner", "danawhitfield", "--disqus-owner", "dana_w",
        wxr_file,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "--disqus-owner dana_w: no comment in this export was posted by that Disqus user" in refused.stderr
    assert "Nothing was written." in refused.stderr
    assert not (content / "posts").exists()

    result = invoke_import(settings_file, "--disqus", disqus_with_owner, "--disqus-owner", "@DanaWhitfield", wxr_file)
    assert result.returncode == 0, result.stderr
    todo = result.stdout.split("to do:\n", 1)[1]
    assert "1 held Disqus comment(s) are by Disqus user(s) notdana," in todo

    built = run_pelican(tmp_path / "site", settings_file)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (output / "posts/2019/coffee-then-cards/index.html").read_text(encoding="utf-8")
    records = records_by_source(content / "comments")
    # Her reply, under Jane's comment, with the owner's badge.
    opening = f'<li class="comment comment--owner" id="comment-{records["disqus:9020"].id}" data-depth="1">'
    reply = page[page.index(opening) : page.index("</li>", page.index(opening))]
    assert "Site owner" in reply and "Thank you, Jane." in reply
    assert records["disqus:9021"].id not in page and records["disqus:9022"].id not in page
