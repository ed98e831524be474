"""A WordPress export holding the comments the Disqus plugin synced into it, imported with the Disqus export:
each comment comes in once, from Disqus, and WordPress's own replies to a copy answer the Disqus comment."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handbill.core.comment_settings import load_comment_settings
from handbill.core.records import read_record
from handbill.importer import import_file
from handbill.importer.disqus import DisqusComment, stage_threads_onto_import
from handbill.importer.model import Export, ImportedPost, ImportedThread, ThreadExport
from handbill.importer.staging import stage_import
from handbill.importer.wordpress import WordPressComment
from handbill.testing.sites import project_settings

from .conftest import COMMENT_TEMPLATE, wxr_text

POSTED = datetime(2019, 5, 6, 10, 0, tzinfo=UTC)
COMMENT_META = """\
			<wp:commentmeta>
				<wp:meta_key><![CDATA[{key}]]></wp:meta_key>
				<wp:meta_value><![CDATA[{value}]]></wp:meta_value>
			</wp:commentmeta>
"""

# (id, parent, author, email, UTC date, content, dsq_post_id, dsq_parent_post_id): comments of "Coffee, Then Cards"
# (post 12) as the Disqus plugin syncs them, with the ids of the Disqus comments in conftest.DISQUS_POSTS.
SYNCED_COMMENTS = [
    ("201", "0", "Jane Harper", "jane@example.org", "2019-05-08 08:00:00",
     "Great read. I tried it at the meetup.", "9001", ""),
    ("202", "201", "Tom Baker", "tom@example.net", "2019-05-08 09:30:00", "Same here, twice.", "9002", "9001"),
    # WordPress's own reply to the synced copy of 9001.
    ("203", "201", "Ann Lee", "ann@example.com", "2019-05-08 11:00:00", "And me.", "", ""),
    # Synced from a thread of a post that is gone: the Disqus comment is not imported, so the copy is.
    ("204", "0", "Leo Park", "leo@example.kr", "2015-01-02 08:00:00", "This post is gone.", "9010", ""),
    # Synced from a comment no longer in the Disqus export.
    ("205", "0", "Ray Stone", "ray@example.com", "2019-05-11 08:00:00", "Deleted from Disqus since.", "8888", ""),
]  # fmt: skip


def synced_wxr_text():
    elements = []
    for id_, parent, author, email, date, content, dsq_id, dsq_parent in SYNCED_COMMENTS:
        local_date = date[:11] + f"{int(date[11:13]) + 1:02d}" + date[13:]  # the blog is on BST
        element = COMMENT_TEMPLATE.format(
            id=id_, parent=parent, approved="1", type="", author=author, email=email, url="", user_id="0",
            date=date, local_date=local_date, content=content,
        )  # fmt: skip
        if dsq_id:
            meta = COMMENT_META.format(key="dsq_parent_post_id", value=dsq_parent) + COMMENT_META.format(
                key="dsq_post_id", value=dsq_id
            )
            element = element.replace("\t\t</wp:comment>", meta + "\t\t</wp:comment>")
        elements.append(element)
    # Into the first item, "Coffee, Then Cards", after its own comments.
    return wxr_text().replace("\t</item>", "\n".join(elements) + "\n\t</item>", 1)


@pytest.fixture
def synced_wxr_file(tmp_path):
    path = tmp_path / "exports" / "dana.wordpress.synced.xml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(synced_wxr_text(), encoding="utf-8")
    return path


def site_settings():
    return load_comment_settings(project_settings())


def test_the_wordpress_reader_keeps_the_disqus_id_of_a_synced_comment(synced_wxr_file):
    from handbill.importer import read_export

    coffee = read_export(synced_wxr_file).posts[0]
    ids = {comment.source_id: comment.disqus_post_id for comment in coffee.comments}
    assert {source: ids[source] for source in ("wordpress:201", "wordpress:203", "wordpress:205")} == {
        "wordpress:201": "9001",
        "wordpress:203": "",
        "wordpress:205": "8888",
    }
    assert ids["wordpress:101"] == ""  # WordPress's own comments have none


def test_a_synced_comment_is_imported_once_from_disqus_and_the_count_is_on_the_to_do_list(
    tmp_path, synced_wxr_file, disqus_file
):
    content = tmp_path / "content"
    comments = content / "comments"
    staged, _ = import_file(synced_wxr_file, content, comments, site_settings(), disqus_path=disqus_file)
    records = {record.source: record for record in map(read_record, comments.rglob("*.md"))}
    assert {"wordpress:201", "wordpress:202"}.isdisjoint(records)
    jane, tom = records["disqus:9001"], records["disqus:9002"]
    assert tom.reply_to == jane.id
    # WordPress's own reply to the copy now answers the Disqus comment.
    assert records["wordpress:203"].reply_to == jane.id
    # Copies whose Disqus comment is not imported are kept: nothing is lost.
    assert {"wordpress:204", "wordpress:205"} <= set(records)
    assert staged.todo == [
        (
            "2 comment(s) were in both exports (the Disqus plugin had synced them into WordPress): "
            "each was imported once, from the Disqus export"
        )
    ]
    assert staged.counts["comments in both exports (imported once, from Disqus)"] == 2
    counted = sum(
        count for what, count in staged.counts.items() if what.endswith(("comments (held)", "comments (published)"))
    )
    assert counted == len(staged.records) == len(records)
    assert sum(staged.held_reasons.values()) == sum(record.status == "held" for record in records.values())

    before = {path: path.read_bytes() for path in content.rglob("*.md")}
    _, again = import_file(synced_wxr_file, content, comments, site_settings(), disqus_path=disqus_file)
    assert again.written == [] and again.kept == []
    assert {path: path.read_bytes() for path in content.rglob("*.md")} == before


def test_without_the_disqus_export_the_synced_copies_are_imported(tmp_path, synced_wxr_file):
    content = tmp_path / "content"
    staged, _ = import_file(synced_wxr_file, content, content / "comments", site_settings())
    sources = {record.source for record in staged.records}
    assert {f"wordpress:{number}" for number in range(201, 206)} <= sources
    assert staged.todo == []


# A Disqus thread: for each comment, the index of an earlier one it answers (or None), whether the plugin
# synced it into WordPress, and whether someone replied to it on WordPress.
thread_comments = st.integers(min_value=1, max_value=10).flatmap(
    lambda size: st.tuples(
        *(st.tuples(st.one_of(st.none(), st.integers(0, max(0, n - 1))), st.booleans(), st.booleans())
          for n in range(size))
    )
)  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(shape=thread_comments)
def test_every_comment_once_and_every_reply_answers_a_record(tmp_path_factory, shape):
    disqus_comments, wordpress_comments = [], []
    for n, (answers, synced, answered) in enumerate(shape):
        date = POSTED + timedelta(hours=n + 1)
        parent = answers if n else None
        disqus_comments.append(
            DisqusComment(
                source_id=f"disqus:{500 + n}", author="Jane Harper", date=date, body_html=f"<p>Comment {n}</p>",
                parent_source_id=f"disqus:{500 + parent}" if parent is not None else "",
            )
        )  # fmt: skip
        if synced:
            # The plugin keeps the thread only when it synced the parent too.
            parent_synced = parent is not None and shape[parent][1]
            wordpress_comments.append(
                WordPressComment(
                    source_id=f"wordpress:{300 + n}", author="Jane Harper", date=date, body_html=f"<p>Comment {n}</p>",
                    parent_source_id=f"wordpress:{300 + parent}" if parent_synced else "",
                    disqus_post_id=str(500 + n),
                )
            )  # fmt: skip
            if answered:
                wordpress_comments.append(
                    WordPressComment(
                        source_id=f"wordpress:{400 + n}", author="Tom Baker", date=date + timedelta(minutes=5),
                        body_html="<p>A reply on WordPress.</p>", parent_source_id=f"wordpress:{300 + n}",
                    )
                )  # fmt: skip
    export = Export(
        platform="WordPress", path="export.xml", site_url="https://old.example.com",
        posts=[ImportedPost(
            source_id="wordpress:12", kind="article", title="Coffee", slug="coffee", date=POSTED,
            author="Dana Whitfield", body_html="<p>Coffee.</p>", status="published", old_urls=("https://old.example.com/coffee/",),
            comments=tuple(wordpress_comments),
        )],
    )  # fmt: skip
    threads = ThreadExport(
        platform="Disqus", path="disqus.xml", site_url="https://disqus.com/home/forum/oldexample/",
        threads=[ImportedThread("disqus:1", "Coffee", "https://old.example.com/coffee/", (), tuple(disqus_comments))],
    )  # fmt: skip
    content = tmp_path_factory.mktemp("site")
    staged = stage_import(export, content, content / "comments", site_settings())
    stage_threads_onto_import(threads, export, staged, site_settings())

    records = {record.source: record for record in staged.records}
    copies = {comment.source_id for comment in wordpress_comments if comment.disqus_post_id}
    replies_on_wordpress = {comment.source_id for comment in wordpress_comments} - copies
    assert set(records) == {comment.source_id for comment in disqus_comments} | replies_on_wordpress
    ids = {record.id for record in records.values()}
    assert all(record.reply_to in ids for record in records.values() if record.reply_to)
    for source in replies_on_wordpress:
        answered = int(source.split(":")[1]) - 400
        assert records[source].reply_to == records[f"disqus:{500 + answered}"].id
    assert staged.counts["comments in both exports (imported once, from Disqus)"] == len(copies)
    counted = sum(
        count for what, count in staged.counts.items() if what.endswith(("comments (held)", "comments (published)"))
    )
    assert counted == len(records)
