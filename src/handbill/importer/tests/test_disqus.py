"""Disqus threads come along: read, matched to posts by their old addresses, held like the build, built."""

import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.core.comment_settings import load_comment_settings
from handbill.core.identity import NameIssue
from handbill.core.records import read_record
from handbill.importer import import_file
from handbill.importer.disqus import match_threads, read_disqus_file, stage_threads, url_keys
from handbill.importer.model import ImportedComment, ImportedPost, ImportedThread, ThreadExport
from handbill.importer.staging import StagedImport
from handbill.importer.tasks import report_lines
from handbill.publishing.checks import leaked_comments
from handbill.testing.sites import PROJECT_ROOT, project_settings, run_pelican, write_site

POSTED = datetime(2019, 5, 6, 10, 0, tzinfo=UTC)


def site_settings():
    return load_comment_settings(project_settings())


def disqus_records(comments_dir):
    return {
        record.source: record
        for record in map(read_record, comments_dir.rglob("*.md"))
        if record.source.startswith("disqus:")
    }


def written_text(folder):
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(folder.rglob("*.md")))


def test_reading_keeps_threads_replies_and_states_and_names_what_it_skips(disqus_file):
    export = read_disqus_file(disqus_file)
    assert export.site_url == "https://disqus.com/home/forum/oldexample/"
    # The thread without comments is left out; all others are kept, matched or not.
    assert [thread.source_id for thread in export.threads] == [f"disqus:{n}" for n in (7001, 7002, 7003, 7004, 7005)]
    first = export.threads[0]
    comments = {comment.source_id: comment for comment in first.comments}
    assert comments["disqus:9003"].parent_source_id == "disqus:9002"
    assert comments["disqus:9001"].date == datetime(2019, 5, 8, 8, 0, tzinfo=UTC)
    assert comments["disqus:9004"].held_reason == "deleted on Disqus"
    assert comments["disqus:9005"].held_reason == "marked as spam on Disqus"
    # Links through Disqus's redirector point at their address again.
    assert 'href="https://meetup.example/events/"' in comments["disqus:9001"].body_html
    assert export.threads[1].identifiers == ("30 https://old.example.com/?p=30",)
    assert export.threads[1].title == "Q&A: What’s Next?"
    assert export.problems == [
        f"{disqus_file}: <post dsq:id=\"9012\">: <createdAt> 'yesterday' is not an ISO 8601 date; not imported",
        f'{disqus_file}: <post dsq:id="9013"> belongs to thread 7999, which is not in the export; not imported',
    ]


@given(
    scheme=st.sampled_from(["http", "https"]),
    www=st.booleans(),
    slash=st.booleans(),
    upper=st.booleans(),
    suffix=st.sampled_from(["", "#disqus_thread", "?utm_source=feed", "?replytocom=3#respond"]),
)
def test_every_form_of_an_address_names_the_same_post(scheme, www, slash, upper, suffix):
    path = "/2019/05/06/Coffee-Then-Cards" if upper else "/2019/05/06/coffee-then-cards"
    url = f"{scheme}://{'www.' if www else ''}old.example.com{path}{'/' if slash else ''}{suffix}"
    assert url_keys(url) == {"path:/2019/05/06/coffee-then-cards"}


def target(slug, source_id="", old_urls=()):
    post = ImportedPost(
        source_id=source_id,
        kind="article",
        title=slug,
        slug=slug,
        date=POSTED,
        author="Dana Whitfield",
        body_html="",
        status="published",
        old_urls=old_urls,
    )
    return post, slug


def thread(number, link, *identifiers):
    return ImportedThread(source_id=f"disqus:{number}", title=f"t{number}", link=link, identifiers=identifiers)


def test_threads_match_by_wordpress_id_then_path_then_slug_and_say_why_not():
    coffee = target("coffee", "wordpress:12", ("https://old.example.com/2019/05/coffee/",))
    badges = target("badges", "blogger:77", ("/2018/03/badges.html",))
    tea = target("tea", "wordpress:13", ("https://old.example.com/2019/05/tea/",))
    threads = [
        thread(1, "https://old.example.com/?p=12"),
        thread(2, "http://www.old.example.com/2018/03/badges.html?m=1"),
        thread(3, "http://localhost:8080/preview/", "13 http://localhost:8080/?p=13"),
        thread(4, "https://new.example.net/posts/tea/"),  # the same slug elsewhere
        thread(5, "https://old.example.com/2019/05/gone/"),
        # The identifier says post 12, the link post 13: the identifier wins.
        thread(6, "https://old.example.com/2019/05/tea/", "12 https://old.example.com/?p=12"),
        thread(7, "https://old.example.com/"),
    ]
    matched, unmatched = match_threads(threads, [coffee, badges, tea])
    assert [(slug, [t.source_id for t in found]) for (_, slug), found in matched] == [
        ("coffee", ["disqus:1", "disqus:6"]),
        ("badges", ["disqus:2"]),
        ("tea", ["disqus:3", "disqus:4"]),
    ]
    assert [(t.source_id, why) for t, why in unmatched] == [
        ("disqus:5", "no post has its address"),
        ("disqus:7", "no post has its address"),
    ]
    twins = [target("coffee", "", ("/a/coffee/",)), target("coffee-2", "", ("/b/coffee/",))]
    _, unmatched = match_threads([thread(8, "https://elsewhere.example/coffee/")], twins)
    assert [why for _, why in unmatched] == ["its address fits 2 posts"]


def test_import_with_disqus_attaches_threads_holds_like_the_build_and_writes_no_address(
    tmp_path, wxr_file, disqus_file, disqus_emails
):
    content = tmp_path / "content"
    staged, result = import_file(wxr_file, content, content / "comments", site_settings(), disqus_path=disqus_file)
    assert result.kept == []
    records = disqus_records(content / "comments")
    coffee = {source: r for source, r in records.items() if r.post == "coffee-then-cards"}
    # Both threads of the post (http://www… and https://…/?utm…) come onto it.
    assert sorted(coffee) == [f"disqus:{n}" for n in range(9001, 9009)]
    assert records["disqus:9009"].post == "q-and-a"  # by the identifier "30 https://old.example.com/?p=30"
    assert {"disqus:9010", "disqus:9011", "disqus:9012", "disqus:9013"}.isdisjoint(records)

    first, reply, reply_to_reply = (records[f"disqus:{n}"] for n in (9001, 9002, 9003))
    assert (first.reply_to, reply.reply_to, reply_to_reply.reply_to) == ("", first.id, reply.id)
    assert records["disqus:9004"].reply_to == first.id
    assert first.body == (
        'Great read. I tried it at [the meetup](https://meetup.example/events/ "meetup.example").\n\nWorked!'
    )
    assert reply.body == "Same here, **twice**."
    assert {r.identity for r in records.values()} == {"imported"}
    held = {source: r.held_reason for source, r in records.items() if r.status == "held"}
    assert held == {
        "disqus:9004": "deleted on Disqus",
        "disqus:9005": "marked as spam on Disqus",
        "disqus:9006": "anonymous: posted without a name",
        "disqus:9007": f"name 'coffee_lover88' is not a real full name: {NameIssue.HANDLE.for_owner}",
    }
    assert records["disqus:9004"].body == "(This comment had no text.)"
    assert records["disqus:9008"].body == "Write to me at [email address removed] about it."

    report = "\n".join(report_lines(staged, result))
    assert "4 Disqus comments (held)" in report and "5 Disqus comments (published)" in report
    assert "1 Disqus comments (on no post, not imported)" in report
    assert (
        "note: Disqus thread 'A Post Long Gone' (https://old.example.com/2015/01/01/gone-post/): "
        "no post has its address; its 1 comment(s) are not imported"
    ) in report
    assert "note: page 'About': 1 Disqus comment(s) not imported" in report
    assert '<post dsq:id="9012">' in report and '<post dsq:id="9013">' in report
    everything = written_text(content) + report
    for email in disqus_emails:
        assert email not in everything
    assert "192.0.2.9" not in everything

    before = {path: path.read_bytes() for path in content.rglob("*.md")}
    _, again = import_file(wxr_file, content, content / "comments", site_settings(), disqus_path=disqus_file)
    assert again.written == [] and again.kept == []
    assert {path: path.read_bytes() for path in content.rglob("*.md")} == before


def test_a_disqus_export_alone_comes_onto_imported_posts_with_the_same_records(tmp_path, wxr_file, disqus_file):
    together, alone = tmp_path / "together", tmp_path / "alone"
    import_file(wxr_file, together, together / "comments", site_settings(), disqus_path=disqus_file)
    import_file(wxr_file, alone, alone / "comments", site_settings())
    assert disqus_records(alone / "comments") == {}
    staged, result = import_file(disqus_file, alone, alone / "comments", site_settings())
    assert all("disqus" in path.read_text(encoding="utf-8") for path in result.written)
    # Matched by Redirect-From paths and slugs: every record as the import with the blog wrote it,
    # except q-and-a's, whose thread names it only by WordPress id and "?p=30", kept nowhere in content/.
    expected = {
        path.relative_to(together): path.read_text(encoding="utf-8")
        for path in (together / "comments").rglob("*.md")
        if "Source: disqus:" in path.read_text(encoding="utf-8") and path.parent.name != "q-and-a"
    }
    assert {
        path.relative_to(alone): path.read_text(encoding="utf-8")
        for path in (alone / "comments").rglob("*.md")
        if "Source: disqus:" in path.read_text(encoding="utf-8")
    } == expected
    assert any("Disqus thread 'Q&A: What’s Next?'" in note for note in staged.notes)
    _, again = import_file(disqus_file, alone, alone / "comments", site_settings())
    assert again.written == [] and again.kept == []


# A thread shape: for each comment, the index of an earlier comment it answers, or None.
thread_shapes = st.integers(min_value=1, max_value=12).flatmap(
    lambda size: st.tuples(*(st.one_of(st.none(), st.integers(0, max(0, n - 1))) for n in range(size)))
)


@settings(max_examples=60, deadline=None)
@given(shape=thread_shapes)
def test_replies_keep_their_thread_and_staging_twice_gives_the_same_records(shape):
    comments = tuple(
        ImportedComment(
            source_id=f"disqus:{100 + n}",
            author="Jane Harper",
            date=POSTED + timedelta(hours=n + 1),
            body_html=f"<p>Comment {n}</p>",
            parent_source_id=f"disqus:{100 + parent}" if parent is not None and n else "",
        )
        for n, parent in enumerate(shape)
    )
    export = ThreadExport(
        platform="Disqus",
        path="disqus.xml",
        site_url="https://disqus.com/home/forum/oldexample/",
        threads=[ImportedThread("disqus:1", "Coffee", "https://old.example.com/2019/05/coffee/", (), comments)],
    )
    targets = [target("coffee", "", ("/2019/05/coffee/",))]

    def staged_records():
        staged = stage_threads(export, targets, StagedImport(files=[], records=[], comments_dir="comments"))
        return staged.records

    records = staged_records()
    by_source = {record.source: record for record in records}
    for comment in comments:
        parent = by_source.get(comment.parent_source_id)
        assert by_source[comment.source_id].reply_to == (parent.id if parent else "")
    assert len({record.id for record in records}) == len(comments)
    assert staged_records() == records


def test_invoke_import_with_disqus_then_the_build_shows_the_threads(tmp_path, wxr_file, disqus_file, disqus_emails):
    content, output, settings_file = write_site(tmp_path / "site", {})
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "invoke",
            "--search-root",
            str(PROJECT_ROOT),
            "import",
            "--settings",
            str(settings_file),
            "--disqus",
            str(disqus_file),
            str(wxr_file),
        ],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "5 Disqus comments (published)" in result.stdout
    for email in disqus_emails:
        assert email not in result.stdout + result.stderr

    built = run_pelican(tmp_path / "site", settings_file)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (output / "posts/2019/coffee-then-cards/index.html").read_text(encoding="utf-8")
    records = disqus_records(content / "comments")
    depths = [
        re.search(f'id="comment-{records[f"disqus:{n}"].id}" data-depth="(\\d)"', page).group(1)
        for n in (9001, 9002, 9003)
    ]
    assert depths == ["0", "1", "2"]
    assert 'href="https://meetup.example/events/"' in page
    for record in records.values():
        assert (record.id in page) == (record.status == "published" and record.post == "coffee-then-cards")
    assert "Nice post." not in page and "watches" not in page
    assert leaked_comments(output, content / "comments") == []
