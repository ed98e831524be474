"""A Disqus export alone comes onto the posts as the build reads them: Pelican's readers with the site's
settings (slugs, TIMEZONE, ARTICLE_PATHS and PAGE_PATHS), and a post that cannot be read stops only itself."""

from datetime import datetime
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.settings import read_settings

from handbill.core.comment_settings import load_comment_settings
from handbill.core.records import read_record
from handbill.importer import import_file
from handbill.importer.site_posts import read_site_posts
from handbill.testing.sites import project_settings, run_pelican, write_site

from .conftest import disqus_export_text

SITE_FILES = {
    # Its slug comes from the file name (SLUGIFY_SOURCE = "basename"), not from the title.
    "posts/coffee-then-cards.md": """\
        Title: Coffee First, Cards Later
        Date: 2019-05-06 22:00

        Most people hand over a card too early.
        """,
    "posts/tea.md": """\
        Title: Tea
        Date: 2019-05-07 09:00

        Tea works too.
        """,
    "posts/broken.md": """\
        Title: Broken
        Date: the sixth of May

        A header the build cannot read.
        """,
    # A page, by PAGE_PATHS.
    "about/contact.md": """\
        Title: Contact

        Write to me.
        """,
    # Outside ARTICLE_PATHS and PAGE_PATHS: the build never reads it.
    "notes/stray.md": """\
        Title: Stray
        Date: 2019-01-01 10:00

        Notes.
        """,
}
SITE_SETTINGS = {
    "SLUGIFY_SOURCE": "basename",
    "TIMEZONE": "Pacific/Auckland",
    "ARTICLE_PATHS": ["posts"],
    "PAGE_PATHS": ["about"],
    "COMMENTS": {**project_settings()["COMMENTS"], "close_after_days": 1},
}
THREADS = [
    ("7101", "https://old.example.com/2019/05/06/coffee-then-cards/", "Coffee, Then Cards", ""),
    ("7102", "https://old.example.com/2019/05/07/tea/", "Tea", ""),
    ("7103", "https://old.example.com/contact/", "Contact", ""),
    ("7104", "https://old.example.com/stray/", "Stray", ""),
    ("7105", "https://old.example.com/2019/05/06/broken/", "Broken", ""),
]
# Coffee was posted at 22:00 in Auckland (10:00 UTC) and closed a day later: 10:00 UTC on the 7th.
POSTS = [
    ("9101", "7101", "", "2019-05-07T08:00:00Z", "Jane Harper", "jane@example.org", "janeharper", False, False, False,
     "<p>Before it closed.</p>"),
    ("9102", "7101", "", "2019-05-07T12:00:00Z", "Tom Baker", "tom@example.net", "tombaker", False, False, False,
     "<p>After it closed.</p>"),
    ("9103", "7102", "", "2019-05-07T10:00:00Z", "Priya Natarajan", "priya@example.in", "priya_n", False, False,
     False, "<p>On tea.</p>"),
    ("9104", "7103", "", "2019-05-07T10:00:00Z", "Ann Lee", "ann@example.com", "annlee", False, False, False,
     "<p>On the contact page.</p>"),
    ("9105", "7104", "", "2019-05-07T10:00:00Z", "Leo Park", "leo@example.kr", "leopark", False, False, False,
     "<p>On a file the build never reads.</p>"),
    ("9106", "7105", "", "2019-05-07T10:00:00Z", "Sam Reid", "sam@example.com", "samreid", False, False, False,
     "<p>On the broken post.</p>"),
]  # fmt: skip
CLOSED_REASON = "arrived after comments closed on 2019-05-07T22:00:00+12:00"


def test_threads_come_onto_the_posts_the_build_reads_with_its_slugs_and_time_zone(tmp_path):
    content, output, settings_file = write_site(tmp_path / "site", SITE_FILES, SITE_SETTINGS)
    disqus = tmp_path / "disqus.xml"
    disqus.write_text(disqus_export_text(THREADS, POSTS), encoding="utf-8")
    pelican_settings = read_settings(str(settings_file))

    staged, result = import_file(
        disqus, content, content / "comments", load_comment_settings(pelican_settings), site_settings=pelican_settings
    )
    records = {record.source: record for record in map(read_record, (content / "comments").rglob("*.md"))}
    assert {source: record.post for source, record in records.items()} == {
        "disqus:9101": "coffee-then-cards",
        "disqus:9102": "coffee-then-cards",
        "disqus:9103": "tea",
    }
    # Judged by the post's date in the site's time zone, as the build judges it.
    assert records["disqus:9101"].status == "published"
    assert (records["disqus:9102"].status, records["disqus:9102"].held_reason) == ("held", CLOSED_REASON)
    notes = "\n".join(staged.notes)
    assert "page 'Contact': 1 Disqus comment(s) not imported" in notes
    assert "Disqus thread 'Stray' (https://old.example.com/stray/): no post has its address" in notes
    broken = [note for note in staged.notes if note.startswith(f"{content / 'posts/broken.md'}: ")]
    assert len(broken) == 1 and "the sixth of May" in broken[0] and "no Disqus thread can attach to it" in broken[0]
    assert staged.todo == [
        (
            "1 file(s) of the site could not be read (see the notes): fix them, "
            "then import the Disqus export again to bring their comments"
        )
    ]
    assert len(result.written) == 3

    (content / "posts/broken.md").unlink()  # the build would stop at it; the import did not
    built = run_pelican(tmp_path / "site", settings_file)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (output / "posts/2019/coffee-then-cards/index.html").read_text(encoding="utf-8")
    assert f'id="comment-{records["disqus:9101"].id}"' in page
    assert records["disqus:9102"].id not in page
    assert CLOSED_REASON in built.stdout + built.stderr


# Wall-clock times without an offset, as a Date: header gives them.
WALL_CLOCK = st.datetimes(min_value=datetime(2005, 1, 1), max_value=datetime(2030, 12, 31))  # noqa: DTZ001


@settings(max_examples=25, deadline=None)
@given(
    when=WALL_CLOCK,
    zone=st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"]),
)
def test_a_date_without_an_offset_is_in_the_sites_time_zone(tmp_path_factory, when, zone):
    content = tmp_path_factory.mktemp("content")
    (content / "post.md").write_text(f"Title: A Post\nDate: {when:%Y-%m-%d %H:%M}\n\nText.\n", encoding="utf-8")
    site = read_settings(override={"PATH": str(content), "TIMEZONE": zone})
    found = read_site_posts(site, content / "comments")
    assert found.problems == []
    [(post, slug)] = found.targets
    assert slug == "a-post"
    assert post.date == when.replace(second=0, microsecond=0, tzinfo=ZoneInfo(zone))
    assert post.date.utcoffset() == ZoneInfo(zone).utcoffset(when.replace(second=0, microsecond=0))
