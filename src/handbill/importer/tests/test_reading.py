"""Reading exports: the XML itself, then WordPress and Blogger into posts and comments."""

from datetime import datetime, timedelta, timezone

import pytest

from handbill.importer import read_export
from handbill.importer.xmlsource import ExportError, parse_export_bytes

BST = timezone(timedelta(hours=1))


# --- the XML ---------------------------------------------------------------

def test_truncated_file_names_line_and_column(tmp_path, wxr_file):
    text = wxr_file.read_text(encoding="utf-8")
    cut = text[: text.index("<wp:comment_content>") + 25]
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(cut, encoding="utf-8")
    with pytest.raises(ExportError) as caught:
        read_export(truncated)
    error = caught.value
    assert error.line == cut.count("\n") + 1
    assert error.column is not None
    assert str(error).startswith(f"{truncated}: line {error.line}, column {error.column}: ")
    assert "truncated" in str(error)


def test_malformed_file_names_the_position_of_the_mistake():
    data = b"<rss>\n  <channel>\n    <title>A</titel>\n  </channel>\n</rss>"
    with pytest.raises(ExportError) as caught:
        parse_export_bytes(data, "bad.xml")
    assert (caught.value.line, caught.value.column) == (3, 15)  # the "<" of </titel>
    assert "mismatched tag" in str(caught.value)
    assert "truncated" not in str(caught.value)


@pytest.mark.parametrize(
    "data",
    [
        # entity expansion ("billion laughs")
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<r>&b;</r>',
        # an external entity that would read a local file
        b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<r>&x;</r>',
    ],
)
def test_document_type_declarations_are_refused(data):
    with pytest.raises(ExportError) as caught:
        parse_export_bytes(data, "evil.xml")
    assert "document type" in str(caught.value)
    assert caught.value.line == 2


def test_a_file_that_is_no_export(tmp_path):
    other = tmp_path / "feed.xml"
    other.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    with pytest.raises(ExportError, match="neither a WordPress export"):
        read_export(other)
    empty = tmp_path / "empty.xml"
    empty.write_text("  \n")
    with pytest.raises(ExportError, match="empty"):
        read_export(empty)
    with pytest.raises(ExportError, match="cannot be read"):
        read_export(tmp_path / "missing.xml")


# --- WordPress -------------------------------------------------------------

def test_wordpress_posts(wxr_file):
    export = read_export(wxr_file)
    assert export.platform == "WordPress"
    assert export.site_url == "https://old.example.com"
    assert export.skipped == {"attachment entries": 1}
    posts = {post.source_id: post for post in export.posts}
    coffee = posts["wordpress:12"]
    assert coffee.kind == "article"
    assert (coffee.title, coffee.slug, coffee.status) == ("Coffee, Then Cards", "coffee-then-cards", "published")
    assert coffee.date == datetime(2019, 5, 6, 11, 0, tzinfo=BST)
    assert coffee.author == "Dana Whitfield"
    assert coffee.category == "Networking"
    assert coffee.tags == ("In Person", "coffee", "business cards")
    assert coffee.old_urls == ("https://old.example.com/2019/05/06/coffee-then-cards/",)
    assert coffee.comments_open
    # A draft has only a local time: it gets the blog's usual offset.
    draft = posts["wordpress:20"]
    assert (draft.status, draft.slug) == ("draft", "")
    assert draft.date == datetime(2019, 6, 1, 9, 30, tzinfo=BST)
    assert posts["wordpress:21"].status == "draft"  # private
    q_and_a = posts["wordpress:30"]
    assert q_and_a.title == "Q&A: What\u2019s Next?"
    assert not q_and_a.comments_open
    assert posts["wordpress:2"].kind == "page"


def test_wordpress_comments_keep_status_thread_and_owner(wxr_file):
    coffee = next(post for post in read_export(wxr_file).posts if post.slug == "coffee-then-cards")
    comments = {comment.source_id.split(":")[1]: comment for comment in coffee.comments}
    assert len(comments) == 11
    assert comments["101"].held_reason == ""
    assert comments["101"].date == datetime(2019, 5, 7, 9, 0, tzinfo=BST)
    assert comments["102"].parent_source_id == "wordpress:101"
    assert comments["102"].by_owner
    assert comments["103"].parent_source_id == "wordpress:102"
    assert not comments["103"].by_owner
    assert comments["104"].held_reason == "pending moderation on WordPress"
    assert comments["105"].held_reason == "marked as spam on WordPress"
    assert comments["106"].held_reason == "in the trash on WordPress"
    assert comments["107"].held_reason == "a pingback from another site, not a comment"
    assert comments["107"].author == "Another Blog \u00bb Networking links"
    assert comments["109"].held_reason == "a trackback from another site, not a comment"
    assert comments["110"].held_reason == "its post was in the trash on WordPress"


# --- Blogger ---------------------------------------------------------------

def test_blogger_takeout(blogger_file):
    export = read_export(blogger_file)
    assert export.platform == "Blogger"
    posts = {post.title: post for post in export.posts}
    post = posts["Small Talk, Big Results"]
    assert (post.slug, post.status, post.kind) == ("small-talk-big-results", "published", "article")
    assert post.date == datetime(2018, 3, 12, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    assert post.old_urls == ("/2018/03/small-talk-big-results.html",)
    assert (post.category, post.tags) == ("Conversation", ("Conversation", "Events"))
    assert posts["Draft About Badges"].status == "draft"
    assert posts["Contact"].kind == "page"
    comments = {comment.source_id: comment for comment in post.comments}
    assert comments["blogger:5001"].held_reason == ""
    assert not comments["blogger:5001"].by_owner
    assert comments["blogger:5002"].parent_source_id == "blogger:5001"
    assert comments["blogger:5002"].by_owner
    assert comments["blogger:5003"].held_reason == "anonymous: posted without a name on Blogger"
    assert comments["blogger:5003"].author == ""
    assert comments["blogger:5004"].held_reason == "marked as spam on Blogger"
    assert comments["blogger:5005"].held_reason == "pending moderation on Blogger"


def test_blogger_classic_backup(blogger_classic_file):
    export = read_export(blogger_classic_file)
    assert export.site_url == "http://danaold.blogspot.com/"
    assert export.skipped == {"settings entries": 1}
    (post,) = export.posts
    assert post.slug == "thank-you-notes-still-work"
    assert post.old_urls == ("/2016/04/thank-you-notes-still-work.html",)
    comments = {comment.source_id: comment for comment in post.comments}
    assert comments["blogger:43"].author == "Leo Park"
    assert comments["blogger:44"].parent_source_id == "blogger:43"
    assert comments["blogger:44"].by_owner
    assert comments["blogger:45"].held_reason == "anonymous: posted without a name on Blogger"


def test_blogger_comment_on_a_post_that_is_not_there(tmp_path):
    path = tmp_path / "feed.atom"
    path.write_text(
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:blogger='http://schemas.google.com/blogger/2018'>"
        "<id>tag:blogger.com,1999:blog-1</id><entry><id>tag:blogger.com,1999:blog-1.post-7</id>"
        "<blogger:parent>tag:blogger.com,1999:blog-1.post-99</blogger:parent>"
        "<blogger:type>COMMENT</blogger:type><author><name>A B</name></author>"
        "<content type='html'>x</content><published>2020-01-01T00:00:00Z</published></entry></feed>"
    )
    with pytest.raises(ExportError, match="comments blogger:7 belong to post 99, which is not in the export"):
        read_export(path)
