"""Real Pelican builds with comment records: threads, policy, overrides, counts, reports, manifest."""

import json
import subprocess
import sys
from datetime import datetime, timedelta

import lxml.html

from handbill.testing.sites import PROJECT_ROOT
from handbill_comments.tests.sitecontent import (
    article_path,
    comment,
    comment_count_links,
    post,
    site,
    thread_shape,
)

SERVICE = {"service_url": "https://comments.example.com", "contact_email": ""}
MAIL = {"service_url": "", "contact_email": "dana@example.com"}


def settings(**comments):
    return {"COMMENTS": {**SERVICE, **comments}}


def comments_section(html):
    sections = lxml.html.fromstring(html).xpath("//section[@id='comments']")
    return sections[0] if sections else None


def test_threads_render_in_order_with_depth_owner_marks_anchors_dates_and_links(build_site):
    slug = "coffee"
    built = build_site(
        site(
            post(slug),
            comment(slug, "c-b", "José Álvarez", "2024-01-12T09:00:00+00:00", "Second *top* comment."),
            comment(slug, "c-a", "Mary-Kate O'Neil", "2024-01-11T09:00:00+00:00", "First comment.",
                    Website="https://mk.example/"),
            comment(slug, "c-a-2", "Ольга Петрова", "2024-01-11T15:00:00+03:00", "Later reply.", Reply_To="c-a"),
            comment(slug, "c-a-1", "Dana Whitfield", "2024-01-11T10:00:00+00:00", "Owner reply.",
                    identity="site-owner", Reply_To="c-a"),
            comment(slug, "c-a-1-1", "李小龍", "2024-01-11T11:00:00+00:00", "Reply to the owner.", Reply_To="c-a-1"),
        ),
        settings(),
    )
    html = built.read(article_path(slug))
    assert thread_shape(html) == [("c-a", 0), ("c-a-1", 1), ("c-a-1-1", 2), ("c-a-2", 1), ("c-b", 0)]
    tree = lxml.html.fromstring(html)
    owner = tree.get_element_by_id("comment-c-a-1")
    assert "comment--owner" in owner.get("class") and "Site owner" in owner.text_content()
    assert "Site owner" not in tree.get_element_by_id("comment-c-a-2").xpath("article")[0].text_content()
    permalink = owner.xpath(".//a[@class='comment__permalink']")[0]
    assert permalink.get("href") == "#comment-c-a-1"
    assert permalink.xpath("time")[0].get("datetime") == "2024-01-11T10:00:00+00:00"
    assert permalink.text_content().strip() == "11 January 2024"
    website = tree.xpath("//li[@id='comment-c-a']//span[@class='comment__author']/a")[0]
    assert (website.get("href"), website.get("rel"), website.text) == (
        "https://mk.example/", "nofollow ugc", "Mary-Kate O'Neil"
    )
    assert "<em>top</em>" in html
    assert tree.get_element_by_id("comments-title").text_content() == "5 comments"
    post_folder = article_path(slug).removesuffix("index.html")
    assert comment_count_links(html) == {f"../../../{post_folder}#comments": "5 comments"}
    assert comment_count_links(built.read("index.html")) == {f"./{post_folder}#comments": "5 comments"}


def test_held_records_are_not_published_and_are_reported(build_site):
    slug = "held"
    built = build_site(
        site(
            post(slug),
            comment(slug, "c-ok", "Sam Okafor", body="Published words."),
            comment(slug, "c-handle", "SocialGuru99", body="Handle words."),
            comment(slug, "c-anon", "Anonymous", body="Anonymous words."),
            comment(
                slug, "c-mod", "Zoë de la Cruz", status="held", Held_Reason="awaiting moderation",
                body="Moderated words.",
            ),
            comment(slug, "c-imp", "J. R. Smith", identity="imported", Source="wordpress:9", body="Imported words."),
            comment(slug, "c-under", "Ludwig van Beethoven", Reply_To="c-handle", body="Reply under a handle."),
        ),
        settings(imported_count_as_identified=False),
    )
    html = built.read(article_path(slug))
    assert thread_shape(html) == [("c-ok", 0)]
    hidden = (
        "Handle words", "Anonymous words", "Moderated words", "Imported words", "Reply under a handle", "SocialGuru99",
    )
    for words in hidden:
        assert words not in html
    log = " ".join(built.log.split())
    assert "Comment held: content/comments/held/c-handle.md: name 'SocialGuru99' is not a real full name" in log
    assert "content/comments/held/c-anon.md: name 'Anonymous'" in log
    assert "content/comments/held/c-mod.md: awaiting moderation" in log
    assert "content/comments/held/c-imp.md: imported comments do not count as identified" in log
    assert "content/comments/held/c-under.md: replies to held comment 'c-handle'" in log
    assert all((built.content / "comments" / slug / f"{name}.md").exists()
               for name in ("c-handle", "c-anon", "c-mod", "c-imp", "c-under"))

    task = subprocess.run(
        [sys.executable, "-m", "invoke", "comments.held", "--settings", str(built.settings_file)],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300, check=False,
    )
    assert task.returncode == 0, task.stdout + task.stderr
    assert task.stdout.startswith("1 published, 5 held, 0 broken")
    assert "content/comments/held/c-mod.md: awaiting moderation" in task.stdout
    assert "content/comments/held/c-under.md: replies to held comment 'c-handle'" in task.stdout


def test_broken_records_fail_the_build_naming_each_file_and_are_kept(build_site):
    slug = "broken"
    misnamed = comment(slug, "c-right", "Zoë de la Cruz")["comments/broken/c-right.md"]
    built = build_site(
        site(
            post(slug),
            comment(slug, "c-good", "Sam Okafor", body="Still published."),
            comment(slug, "c-bad-date", "Zoë de la Cruz", date="yesterday", body="Bad date."),
            comment(slug, "c-orphan", "Zoë de la Cruz", Reply_To="c-gone", body="Orphan."),
            comment("no-such-post", "c-lost", "Zoë de la Cruz", body="Lost."),
            {"comments/broken/c-wrong-name.md": misnamed},
        ),
        settings(),
        expect_success=False,
    )
    assert built.returncode == 1
    log = " ".join(built.log.split())
    assert "Comment record content/comments/broken/c-bad-date.md: Date: 'yesterday' is not an ISO 8601 date" in log
    assert "Comment record content/comments/broken/c-orphan.md: Reply-To: no comment 'c-gone' on post 'broken'" in log
    assert (
        "Comment record content/comments/no-such-post/c-lost.md: Post: no published post has the slug 'no-such-post'"
        in log
    )
    assert "Comment record content/comments/broken/c-wrong-name.md: Id: 'c-right' but the file is named" in log
    html = built.read(article_path(slug))
    assert thread_shape(html) == [("c-good", 0)]
    assert "Orphan." not in html and "Bad date." not in html
    assert len(list((built.content / "comments").rglob("*.md"))) == 5


def test_policy_anyone_publishes_any_name_but_keeps_held_records_held(build_site):
    slug = "open-to-all"
    built = build_site(
        site(
            post(slug),
            comment(slug, "c-handle", "SocialGuru99", body="Handle words."),
            comment(slug, "c-held", "Zoë de la Cruz", status="held", Held_Reason="spam", body="Spam words."),
        ),
        settings(policy="anyone", moderation=False),
    )
    html = built.read(article_path(slug))
    assert thread_shape(html) == [("c-handle", 0)]
    assert "Spam words" not in html
    notice = comments_section(html).xpath(".//p[@class='comments__notice']")[0].text_content()
    assert notice == "Anyone may comment. Your email address is never published."
    assert comments_section(html).xpath(".//form[@id='comment-form']")


def test_policy_closed_keeps_published_comments_and_closes_every_form_but_open_overrides(build_site):
    built = build_site(
        site(
            post("old"),
            post("reopened", comments="open"),
            comment("old", "c-1", "Sam Okafor", body="Kept after closing."),
        ),
        settings(policy="closed"),
    )
    old = built.read(article_path("old"))
    assert thread_shape(old) == [("c-1", 0)]
    section = comments_section(old)
    assert not section.xpath(".//form") and "Comments are closed." in section.text_content()
    reopened = comments_section(built.read(article_path("reopened")))
    assert reopened.xpath(".//form[@id='comment-form']")
    assert "pseudonyms" in reopened.xpath(".//p[@class='comments__notice']")[0].text_content()


def test_per_post_overrides(build_site):
    built = build_site(
        site(
            post("shut", comments="closed"),
            post("gone", comments="hidden"),
            post("normal", comments="open"),
            comment("shut", "c-1", "Sam Okafor", body="On a closed post."),
            comment("gone", "c-2", "Sam Okafor", body="On a hidden post."),
            comment("normal", "c-3", "Sam Okafor", body="On an open post."),
        ),
        settings(),
    )
    shut = built.read(article_path("shut"))
    assert thread_shape(shut) == [("c-1", 0)]
    assert "Comments are closed." in comments_section(shut).text_content()
    assert not comments_section(shut).xpath(".//form")
    gone = built.read(article_path("gone"))
    assert comments_section(gone) is None
    assert "On a hidden post." not in gone and "comment-count" not in gone
    assert comments_section(built.read(article_path("normal"))).xpath(".//form[@id='comment-form']")
    counts = comment_count_links(built.read("index.html"))
    assert counts == {"./posts/2024/shut/#comments": "1 comment", "./posts/2024/normal/#comments": "1 comment"}


def test_bad_override_is_an_error_and_closes_the_post(build_site):
    built = build_site(site(post("typo", comments="maybe")), settings(), expect_success=False)
    assert built.returncode == 1
    assert "typo.md: Comments: 'maybe' is not one of open, closed, hidden" in " ".join(built.log.split())
    assert not comments_section(built.read(article_path("typo"))).xpath(".//form")


def test_comments_close_automatically_n_days_after_the_post(build_site):
    # Pelican reads a post's Date as naive local time, so the post date is written that way too.
    recent = datetime.now() - timedelta(days=2)  # noqa: DTZ005
    built = build_site(
        site(
            post("ancient", date="2020-01-01 09:00"),
            post("fresh", date=f"{recent:%Y-%m-%d %H:%M}"),
            comment("ancient", "c-in-time", "Sam Okafor", date="2020-01-05T09:00:00+00:00", body="In time."),
            comment("ancient", "c-late", "Zoë de la Cruz", date="2020-03-01T09:00:00+00:00", body="Too late."),
        ),
        settings(close_after_days=30),
    )
    ancient = built.read(article_path("ancient", 2020))
    assert thread_shape(ancient) == [("c-in-time", 0)]
    assert "Comments are closed." in comments_section(ancient).text_content()
    log = " ".join(built.log.split())
    assert "content/comments/ancient/c-late.md: arrived after comments closed on 2020-01-31" in log
    fresh = comments_section(built.read(article_path("fresh", recent.year)))
    assert fresh.xpath(".//form[@id='comment-form']")
    manifest = json.loads(built.read("comments/manifest.json"))
    assert manifest["posts"]["ancient"]["comments"] == "closed"
    assert manifest["posts"]["ancient"]["closes_at"].startswith("2020-01-31T09:00:00")
    assert manifest["posts"]["fresh"]["comments"] == "open"


def test_form_posts_to_the_comment_service(build_site):
    built = build_site(site(post("formed"), comment("formed", "c-1", "Sam Okafor")), settings())
    section = comments_section(built.read(article_path("formed")))
    assert section.get("aria-labelledby") == "comments-title"
    form = section.xpath(".//form")[0]
    assert (form.get("id"), form.get("method"), form.get("action"), form.get("data-token-url")) == (
        "comment-form", "post", "https://comments.example.com/comments", "https://comments.example.com/token",
    )
    fields = [(field.get("name"), field.get("type") or field.tag) for field in form.xpath(".//input|.//textarea")]
    assert fields == [
        ("post", "hidden"), ("reply_to", "hidden"), ("token", "hidden"), ("name", "text"),
        ("email", "email"), ("website", "url"), ("body", "textarea"), ("notify_replies", "checkbox"),
        ("nickname", "text"),
    ]
    assert form.xpath(".//input[@name='notify_replies']")[0].get("checked") is None  # opt-in: off by default
    assert form.xpath(".//input[@name='post']")[0].get("value") == "formed"
    for field in form.xpath(".//input[not(@type='hidden')]|.//textarea"):
        label = form.xpath(f".//label[@for='{field.get('id')}']")
        assert label, f"{field.get('name')} has no label"
    assert "never published" in form.xpath(".//label[@for='comment-email']")[0].text_content()
    trap = form.xpath(".//input[@name='nickname']")[0]
    assert (trap.get("tabindex"), trap.get("autocomplete")) == ("-1", "off")
    assert trap.getparent().get("aria-hidden") == "true"
    script = section.xpath(".//script")[0]
    assert "/theme/js/comment-form.js?v=" in script.get("src") and script.get("defer") is not None
    reply = section.xpath(".//a[@class='comment__reply']")[0]
    assert (reply.get("href"), reply.get("data-reply-to")) == ("#comment-form", "c-1")


def test_without_a_service_the_form_is_an_email_link_with_the_slug(build_site):
    built = build_site(site(post("mailed")), {"COMMENTS": MAIL})
    section = comments_section(built.read(article_path("mailed")))
    assert not section.xpath(".//form") and not section.xpath(".//script")
    link = section.xpath(".//a[@class='comments__mail-link']")[0].get("href")
    assert link.startswith("mailto:dana@example.com?subject=Comment%20on%20mailed&body=")


def test_manifest_lists_published_ids_only(build_site):
    built = build_site(
        site(
            post("listed", title="Listed “Post”"),
            post("secret", comments="hidden"),
            comment("listed", "c-1", "Sam Okafor"),
            comment("listed", "c-2", "Zoë de la Cruz", Reply_To="c-1"),
            comment("listed", "c-3", "SocialGuru99"),
            comment("secret", "c-4", "Sam Okafor"),
        ),
        {"COMMENTS": SERVICE, "SITEURL": "https://dana.example"},
    )
    manifest = json.loads(built.read("comments/manifest.json"))
    assert manifest["site_url"] == "https://dana.example"
    datetime.fromisoformat(manifest["generated"])
    assert manifest["posts"] == {
        "listed": {
            "title": "Listed “Post”", "url": "https://dana.example/posts/2024/listed/",
            "date": "2024-01-10T09:00:00+00:00", "comments": "open", "closes_at": None,
            "comment_ids": ["c-1", "c-2"],
        },
        "secret": {
            "title": "Secret", "url": "https://dana.example/posts/2024/secret/",
            "date": "2024-01-10T09:00:00+00:00", "comments": "hidden", "closes_at": None,
            "comment_ids": [],
        },
    }


def test_bad_settings_fail_the_build_naming_the_key(build_site):
    built = build_site(site(post("p")), {"COMMENTS": {"policy": "everyone"}}, expect_success=False)
    assert built.returncode == 1
    assert 'COMMENTS["policy"] must be one of identified, anyone, closed' in " ".join(built.log.split())
