"""Importing exports into content/, then building the site from what was written."""

import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest

from handbill.core.records import read_record
from handbill.importer import import_file
from handbill.importer.model import Export, ImportedComment, ImportedPost
from handbill.importer.staging import stage_import
from handbill.importer.writer import write_import
from handbill.importer.xmlsource import ExportError
from handbill.linkcheck import find_broken_links
from handbill.publishing.checks import leaked_comments
from handbill.testing.sites import PROJECT_ROOT, run_pelican, write_site


def snapshot(folder):
    return {path.relative_to(folder): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def records_by_source(comments_dir):
    return {record.source: record for record in map(read_record, comments_dir.rglob("*.md"))}


def test_wordpress_import_writes_posts_and_threaded_records(tmp_path, wxr_file, wxr_commenter_emails):
    content = tmp_path / "content"
    staged, result = import_file(wxr_file, content, content / "comments")
    assert result.kept == [] and result.unchanged == []
    assert sorted(path.relative_to(content).as_posix() for path in result.written if "comments" not in path.parts) == [
        "pages/imported/about-me.md",
        "posts/imported/coffee-then-cards.md",
        "posts/imported/members-only.md",
        "posts/imported/q-and-a.md",
        "posts/imported/unfinished-thoughts.md",
    ]
    post = (content / "posts/imported/coffee-then-cards.md").read_text(encoding="utf-8")
    header = post.split("\n\n", 1)[0].splitlines()
    assert header == [
        "Title: Coffee, Then Cards",
        "Date: 2019-05-06 11:00+01:00",
        "Slug: coffee-then-cards",
        "Author: Dana Whitfield",
        "Category: Networking",
        "Tags: In Person, coffee, business cards",
        "Summary: Why the *card* comes last.",
        "Status: published",
        "Handout: no",
        "Comments: open",
        "Redirect-From: /2019/05/06/coffee-then-cards/",
    ]
    draft = (content / "posts/imported/unfinished-thoughts.md").read_text(encoding="utf-8")
    assert "Status: draft" in draft and "Redirect-From" not in draft  # /?p=20 has no path
    assert "Comments: closed" in (content / "posts/imported/q-and-a.md").read_text(encoding="utf-8")

    records = records_by_source(content / "comments" / "coffee-then-cards")
    assert len(records) == 11
    first, reply, reply_to_reply = (records[f"wordpress:{n}"] for n in (101, 102, 103))
    assert (first.status, first.identity, first.reply_to) == ("published", "imported", "")
    assert (reply.identity, reply.reply_to) == ("site-owner", first.id)
    assert (reply_to_reply.identity, reply_to_reply.reply_to) == ("imported", reply.id)
    assert first.website == "https://jane.example.org/"
    assert first.body == "This changed how I start conversations.\n\nThank you!"
    held = {source: record.held_reason for source, record in records.items() if record.status == "held"}
    assert held == {
        "wordpress:104": "pending moderation on WordPress",
        "wordpress:105": "marked as spam on WordPress",
        "wordpress:106": "in the trash on WordPress",
        "wordpress:107": "a pingback from another site, not a comment",
        "wordpress:108": "anonymous: posted without a name",
        "wordpress:109": "a trackback from another site, not a comment",
        "wordpress:110": "its post was in the trash on WordPress",
        "wordpress:111": "anonymous: gave an email address instead of a name",
    }
    assert records["wordpress:108"].author == "Anonymous"
    assert records["wordpress:111"].body == "My email is [email address removed], write to me."
    written_text = "\n".join(path.read_text(encoding="utf-8") for path in content.rglob("*.md"))
    for email in [*wxr_commenter_emails, "dana@old.example.com"]:
        assert email not in written_text
    assert "192.0.2.7" not in written_text  # commenters' IP addresses neither
    assert staged.counts["comments (held)"] == 8
    assert any("2 image(s) still load from the old site old.example.com" in note for note in staged.notes)


def test_comments_on_pages_are_reported_not_written(tmp_path):
    date = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    comment = ImportedComment(source_id="wordpress:9", author="Ada Lovelace", date=date, body_html="Hello")
    page = ImportedPost(
        source_id="wordpress:2", kind="page", title="About", slug="about", date=date, author="Dana",
        body_html="<p>About me</p>", status="published", comments=(comment,),
    )
    export = Export(platform="WordPress", path="x.xml", site_url="https://old.example.com", posts=[page])
    staged = stage_import(export, tmp_path / "content", tmp_path / "content" / "comments")
    assert staged.records == []
    assert staged.notes == [
        "page 'About': 1 comment(s) not imported (Handbill shows comments on posts only)"
    ]


def test_importing_twice_changes_nothing_and_keeps_the_owners_edits(tmp_path, wxr_file, blogger_file):
    content = tmp_path / "content"
    for export in (wxr_file, blogger_file):
        import_file(export, content, content / "comments")
    before = snapshot(content)
    for export in (wxr_file, blogger_file):
        _, result = import_file(export, content, content / "comments")
        assert result.written == [] and result.kept == []
    assert snapshot(content) == before

    # The owner edits a post and publishes a held comment; a new import keeps both.
    post = content / "posts/imported/coffee-then-cards.md"
    post.write_text(post.read_text(encoding="utf-8").replace("Try it", "Do it"), encoding="utf-8")
    (held_path,) = [
        path for path in (content / "comments").rglob("*.md") if read_record(path).source == "wordpress:104"
    ]
    held_path.write_text(
        held_path.read_text(encoding="utf-8")
        .replace("Status: held\nHeld-Reason: pending moderation on WordPress\n", "Status: published\n"),
        encoding="utf-8",
    )
    edited = snapshot(content)
    _, result = import_file(wxr_file, content, content / "comments")
    assert sorted(result.kept) == sorted([post, held_path])
    assert result.written == []
    assert snapshot(content) == edited


def test_a_broken_export_writes_nothing(tmp_path, wxr_file):
    content = tmp_path / "content"
    text = wxr_file.read_text(encoding="utf-8")
    # Everything up to the last item is fine; the file stops in the middle of it.
    wxr_file.write_text(text[: text.rindex("<wp:post_name>")], encoding="utf-8")
    with pytest.raises(ExportError, match=r"line \d+, column \d+: .*truncated"):
        import_file(wxr_file, content, content / "comments")
    assert not content.exists()


def test_a_comment_without_a_date_stops_the_import(tmp_path, wxr_file):
    content = tmp_path / "content"
    text = wxr_file.read_text(encoding="utf-8")
    wxr_file.write_text(
        text.replace("<wp:comment_date><![CDATA[2019-05-15 18:00:00]]></wp:comment_date>", "")
        .replace("<wp:comment_date_gmt><![CDATA[2019-05-15 17:00:00]]></wp:comment_date_gmt>", ""),
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match="comment wp:comment_id 111 of post 12 has no date"):
        import_file(wxr_file, content, content / "comments")
    assert not content.exists()


def test_imported_blog_builds_with_threads_held_comments_and_redirects(tmp_path, wxr_file, blogger_file):
    content, output, settings_file = write_site(tmp_path / "site", {})
    for export in (wxr_file, blogger_file):
        import_file(export, content, content / "comments")
    result = run_pelican(tmp_path / "site", settings_file)
    assert result.returncode == 0, result.stdout + result.stderr

    page = (output / "posts/2019/coffee-then-cards/index.html").read_text(encoding="utf-8")
    records = records_by_source(content / "comments" / "coffee-then-cards")
    published = [r for r in records.values() if r.status == "published"]
    held = [r for r in records.values() if r.status == "held"]
    assert len(published) == 3 and len(held) == 8
    # The thread nests as it did: 101 > 102 (the owner's reply) > 103.
    depths = [
        re.search(f'id="comment-{records[f"wordpress:{n}"].id}" data-depth="(\\d)"', page).group(1)
        for n in (101, 102, 103)
    ]
    assert depths == ["0", "1", "2"]
    assert re.search(f'class="comment comment--owner" id="comment-{records["wordpress:102"].id}"', page)
    # Nothing the site does not publish is in it (the publish check agrees).
    for record in held:
        assert record.id not in page
    assert "Waiting for approval" not in page
    assert leaked_comments(output, content / "comments") == []

    assert "<figcaption>" in page and "Two cups, one <em>good</em> conversation." in page
    # Drafts and private posts stay out of the site.
    for slug in ("unfinished-thoughts", "members-only", "draft-about-badges"):
        assert not list(output.rglob(f"*{slug}*"))

    redirect = (output / "2019/05/06/coffee-then-cards/index.html").read_text(encoding="utf-8")
    assert 'content="0; url=../../../../posts/2019/coffee-then-cards/"' in redirect
    blogger_redirect = (output / "2018/03/small-talk-big-results.html").read_text(encoding="utf-8")
    assert 'href="../../posts/2018/small-talk-big-results/"' in blogger_redirect
    rules = (output / "_redirects").read_text(encoding="utf-8").splitlines()
    assert "/2019/05/06/coffee-then-cards/ /posts/2019/coffee-then-cards/ 301" in rules
    assert "/2018/03/small-talk-big-results.html /posts/2018/small-talk-big-results/ 301" in rules
    assert "/p/contact.html /contact/ 301" in rules
    assert '"/2019/07/01/q-and-a" "/posts/2019/q-and-a/";' in (output / "redirects.nginx.map").read_text()
    # The about page kept its address: no redirect to itself.
    assert not any(rule.startswith("/about-me/") for rule in rules)
    assert find_broken_links(output) == []


def run_invoke(*arguments):
    return subprocess.run(
        [sys.executable, "-m", "invoke", "--search-root", str(PROJECT_ROOT), *arguments],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
        check=False,
    )


def test_invoke_import(tmp_path, blogger_classic_file):
    content, _output, settings_file = write_site(tmp_path / "site", {})
    result = run_invoke("import", "--settings", str(settings_file), str(blogger_classic_file))
    assert result.returncode == 0, result.stderr
    assert "1 articles (published)" in result.stdout
    assert "held: 1 × anonymous: posted without a name on Blogger" in result.stdout
    assert "4 file(s) written" in result.stdout  # the post and its three comments
    assert (content / "posts/imported/thank-you-notes-still-work.md").exists()

    broken = tmp_path / "broken.xml"
    broken.write_text(blogger_classic_file.read_text(encoding="utf-8")[:900], encoding="utf-8")
    result = run_invoke("import.blog", "--settings", str(settings_file), str(broken))
    assert result.returncode == 1
    assert f"import: {broken}: line " in result.stderr and "Nothing was written." in result.stderr


def test_titles_tags_and_categories_with_markup_stay_text_on_the_built_site(tmp_path):
    date = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    post = ImportedPost(
        source_id="wordpress:7", kind="article", title="Using <table> & <script>alert(1)</script>",
        slug="tables", date=date, author="Dana", body_html="<p>Body</p>", status="published",
        category="<b>Web</b>", tags=("<i>html</i>",),
    )
    export = Export(platform="WordPress", path="x.xml", site_url="https://old.example.com", posts=[post])
    content = tmp_path / "content"
    staged = stage_import(export, content, content / "comments")
    write_import(staged)
    _, output, settings = write_site(tmp_path, {})
    assert run_pelican(tmp_path, settings).returncode == 0
    pages = "\n".join(page.read_text(encoding="utf-8") for page in output.rglob("*.html"))
    assert "<script>alert(1)</script>" not in pages and "<table>" not in pages
    assert "<b>Web</b>" not in pages and "<i>html</i>" not in pages
    assert "Using &lt;table&gt; &amp; &lt;script&gt;" in pages
