"""Real Pelican builds of small sites with Handbill's settings and theme."""

import datetime as dt
import xml.etree.ElementTree as ET

import feedparser
import pytest
from bs4 import BeautifulSoup

from handbill.linkcheck import find_broken_links

# Pelican treats post dates as naive local time, so "next year" is by the local calendar.
NEXT_YEAR = dt.date.today().year + 1  # noqa: DTZ011


def post(title, date, slug, body="Some words about meeting people.", **metadata):
    lines = [f"Title: {title}", f"Date: {date}", f"Slug: {slug}", "Category: In Person", "Tags: events, follow-up"]
    lines += [f"{key.replace('_', '-').title()}: {value}" for key, value in metadata.items()]
    lines += ["Summary: A summary of " + title + ".", "", body]
    return "\n".join(lines) + "\n"


def small_site(count=8):
    files = {
        f"posts/p{number}.md": post(
            f"Post number {number}", f"2023-0{1 + number % 9}-1{number % 9} 09:00", f"post-{number}"
        )
        for number in range(1, count + 1)
    }
    files["posts/draft.md"] = post("A draft", "2024-05-01", "draft-post", status="draft")
    files["posts/future.md"] = post("From the future", f"{NEXT_YEAR}-02-10", "future-post")
    files["pages/about.md"] = "Title: About\nSlug: about\n\nAbout me.\n"
    return files


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from handbill.testing.sites import build

    return build(tmp_path_factory.mktemp("site"), small_site(9))


def html(site, path):
    return BeautifulSoup(site.read(path), "html.parser")


def test_every_published_post_has_a_page_and_drafts_and_future_posts_none(site):
    for number in range(1, 10):
        assert site.exists(f"posts/2023/post-{number}/index.html")
    built = "\n".join(p.as_posix() for p in site.output.rglob("*"))
    assert "draft-post" not in built and "future-post" not in built
    for page in site.output.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "A draft" not in text and "From the future" not in text, page


def test_index_is_paginated_with_summaries(site):
    first = html(site, "index.html")
    assert len(first.select("article.summary")) == 8
    assert first.select_one(".pagination__status").get_text() == "Page 1 of 2"
    second = html(site, "page/2/index.html")
    assert len(second.select("article.summary")) == 1
    assert "A summary of Post number" in first.select_one(".summary__text").get_text()


def test_article_page_has_byline_tags_and_neighbours(site):
    page = html(site, "posts/2023/post-3/index.html")
    assert page.select_one("h1").get_text() == "Post number 3"
    meta = page.select_one(".article-meta")
    assert meta.select_one("time")["datetime"].startswith("2023-04-13")
    assert "min read" in meta.get_text()
    assert meta.select_one("a.category").get_text() == "In Person"
    items = [item.get_text(" ", strip=True) for item in meta.select(".article-meta__item")]
    assert any(item.endswith("min read") for item in items), items
    assert "·" not in meta.get_text(), "the separators come from CSS"
    assert [a.get_text() for a in page.select(".tag-list a")] == ["events", "follow-up"]
    assert page.select_one("a[rel=prev]") and page.select_one("a[rel=next]")


def test_listing_pages_exist(site):
    for path in (
        "tags/index.html",
        "tags/events/index.html",
        "categories/index.html",
        "categories/in-person/index.html",
        "authors/index.html",
        "authors/dana-whitfield/index.html",
        "archives/index.html",
        "404.html",
        "about/index.html",
    ):
        assert site.exists(path), path
    archive = html(site, "archives/index.html")
    assert len(archive.select(".archive-list li")) == 9


def test_feeds_parse_and_list_the_published_posts(site):
    for feed_path in ("feeds/all.atom.xml", "feeds/all.rss.xml"):
        feed = feedparser.parse(site.read(feed_path))
        assert not feed.bozo, (feed_path, feed.get("bozo_exception"))
        titles = sorted(entry.title for entry in feed.entries)
        assert titles == sorted(f"Post number {n}" for n in range(1, 10))
    head = html(site, "index.html").head
    assert head.select_one('link[type="application/atom+xml"]')["href"].endswith("feeds/all.atom.xml")
    assert head.select_one('link[type="application/rss+xml"]')["href"].endswith("feeds/all.rss.xml")


def test_sitemap_lists_every_page(site):
    tree = ET.fromstring(site.read("sitemap.xml"))
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    listed = {loc.text.strip("/") for loc in tree.iter(f"{namespace}loc")}
    for page in site.output.rglob("index.html"):
        url = page.parent.relative_to(site.output).as_posix().strip(".")
        assert url.strip("/") in listed, f"{url} missing from sitemap"
    assert "robots.txt" in "\n".join(p.name for p in site.output.iterdir())


def test_every_internal_link_and_image_resolves(site):
    assert find_broken_links(site.output) == []


def test_link_checker_reports_a_broken_link(tmp_path):
    from handbill.testing.sites import build

    files = {"posts/a.md": post("Linking", "2024-01-01", "linking", body="[gone](../nowhere/) and ![x](missing.png)")}
    built = build(tmp_path, files)
    broken = find_broken_links(built.output)
    assert {(b.page, b.target) for b in broken} == {
        ("posts/2024/linking/index.html", "../nowhere/"),
        ("posts/2024/linking/index.html", "missing.png"),
    }


def test_head_has_canonical_and_open_graph_with_production_settings(tmp_path):
    from handbill.testing.sites import build

    files = {"posts/a.md": post('A "quoted" title', "2024-01-01", "quoted", tags="events")}
    built = build(tmp_path, files, {"SITEURL": "https://blog.example", "RELATIVE_URLS": False, "FEED_DOMAIN": "https://blog.example"})
    page = html(built, "posts/2024/quoted/index.html")
    assert page.select_one('link[rel="canonical"]')["href"] == "https://blog.example/posts/2024/quoted/"
    og = {m["property"]: m["content"] for m in page.select("meta[property]")}
    assert og["og:type"] == "article"
    assert og["og:url"] == "https://blog.example/posts/2024/quoted/"
    assert og["og:title"] == "A “quoted” title"
    assert og["og:image"].startswith("https://blog.example/")
    assert og["article:published_time"].startswith("2024-01-01")
    assert page.select_one('meta[name="twitter:card"]')["content"] == "summary"
    robots = built.read("robots.txt")
    assert "Sitemap: https://blog.example/sitemap.xml" in robots


MARKDOWN_FEATURES = """\
Title: Typography -- and "quotes"
Date: 2024-02-02
Slug: typography
Summary: Features.

She said "hello" -- and left --- for good. It's fine.[^note]

## A section heading

| Name | Role |
|------|------|
| Ana  | Host |

![A circle of chairs]({static}/images/chairs.svg)
/// caption
Chairs in a circle invite conversation.
///

> A quote.

[^note]: The footnote text.
"""

CHAIRS_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><circle cx="5" cy="5" r="4"/></svg>'


def test_markdown_typography_footnotes_tables_anchors_and_figures(tmp_path):
    from handbill.testing.sites import build

    built = build(tmp_path, {"posts/t.md": MARKDOWN_FEATURES, "images/chairs.svg": CHAIRS_SVG})
    page = html(built, "posts/2024/typography/index.html")
    body = page.select_one(".article__body")
    text = body.get_text()
    assert "“hello” – and left — for good. It’s fine." in text
    assert page.select_one("h1").get_text() == "Typography – and “quotes”"
    assert body.select_one("sup a.footnote-ref")["href"] == "#fn:note"
    assert "The footnote text." in body.select_one(".footnote").get_text()
    assert [th.get_text() for th in body.select("table th")] == ["Name", "Role"]
    heading = body.select_one("h2#a-section-heading")
    assert heading.select_one("a.headerlink")["href"] == "#a-section-heading"
    figure = body.select_one("figure")
    assert figure.select_one("img")["alt"] == "A circle of chairs"
    assert figure.select_one("figcaption").get_text(strip=True) == "Chairs in a circle invite conversation."
    assert find_broken_links(built.output) == []


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("Title: Bad date\nDate: 2024-13-45\n\nBody\n", "2024-13-45"),
        ("Date: 2024-01-01\n\nNo title here\n", "title"),
        ("Title: Odd status\nDate: 2024-01-01\nStatus: pending\n\nBody\n", "Unknown status 'pending'"),
    ],
    ids=["bad-date", "missing-title", "unknown-status"],
)
def test_broken_metadata_fails_the_build_naming_file_and_reason(tmp_path, source, reason):
    from handbill.testing.sites import build

    files = {"posts/good.md": post("Good post", "2024-01-01", "good"), "posts/broken.md": source}
    built = build(tmp_path, files, expect_success=False)
    assert built.returncode != 0
    log = " ".join(built.log.split())
    assert "broken.md" in log and reason in log, built.log
    assert "the build logged 1 error(s)" in log
    # The good post is still built, so a fix needs only the broken one.
    assert built.exists("posts/2024/good/index.html")


def test_pages_are_accessible_by_structure(site):
    for path in ("index.html", "posts/2023/post-1/index.html", "tags/index.html", "404.html"):
        page = html(site, path)
        assert page.html["lang"] == "en"
        skip = page.select_one("a.skip-link")
        assert skip["href"] == "#content" and page.select_one("main#content")
        assert page.select_one("header[role=banner]") and page.select_one("footer[role=contentinfo]")
        assert page.select_one("nav[aria-label]")
        assert len(page.select("h1")) == 1, path
        for image in page.select("img"):
            assert image.has_attr("alt"), (path, image)
        assert page.select_one('meta[name="viewport"]')


def test_hidden_files_and_editor_backups_are_never_published(tmp_path):
    from handbill.testing.sites import build

    files = {
        "posts/a.md": post("Hidden", "2024-01-01", "hidden-files", body="Our team: ![Team](/images/team.png)"),
        "images/team.png": b"\x89PNG\r\n\x1a\n",
        "images/.DS_Store": b"\0\0\0\1Bud1",
        "images/.private-notes.txt": "the client's phone number\n",
        "images/.git/config": "[core]\n",
        "images/team.png~": b"\x89PNG\r\n\x1a\n",
        "posts/.a.md.swp": b"\0",
        "posts/a.md~": post("Backup", "2024-01-01", "backup"),
    }
    built = build(tmp_path, files)
    published = {path.relative_to(built.output).as_posix() for path in built.output.rglob("*") if path.is_file()}
    assert "images/team.png" in published
    assert not [name for name in published if "/." in f"/{name}" or name.endswith("~")]
    assert "Not part of the site" not in built.log
