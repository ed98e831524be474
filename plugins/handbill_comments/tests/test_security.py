"""Hostile names, websites and bodies: nothing executable and no commenter's email reaches output/."""

import lxml.html
import pytest

from handbill_comments.tests.sitecontent import article_path, thread_shape
from handbill_comments.tests.xss import (
    BODY_PAYLOADS,
    COMMENTER_EMAILS,
    HOSTILE_SLUG,
    NAME_PAYLOADS,
    REFUSED_WEBSITES,
    WEBSITE_PAYLOADS,
    commenter_emails_in,
    emails_in_comments,
    executable_problems,
    hostile_site,
    output_pages,
    refused_site,
)

SETTINGS = {"COMMENTS": {"policy": "anyone", "service_url": "https://comments.example.com", "contact_email": ""}}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    from handbill.testing.sites import build

    files, count = hostile_site()
    return build(tmp_path_factory.mktemp("hostile"), files, SETTINGS), count


def test_there_are_at_least_forty_payloads():
    assert len(BODY_PAYLOADS) + len(NAME_PAYLOADS) + len(WEBSITE_PAYLOADS) + len(REFUSED_WEBSITES) >= 40
    assert len(BODY_PAYLOADS) >= 40


def test_every_hostile_comment_is_published_so_the_check_sees_it(hostile):
    built, count = hostile
    shape = thread_shape(built.read(article_path(HOSTILE_SLUG)))
    assert len(shape) == count and ("c-1", 0) in shape and (f"c-{count}", 1) in shape


def test_no_page_has_anything_executable(hostile):
    built, _ = hostile
    pages = output_pages(built.output)
    assert len(pages) > 5
    problems = {
        str(page.relative_to(built.output)): executable_problems(page.read_text(encoding="utf-8")) for page in pages
    }
    assert {page: found for page, found in problems.items() if found} == {}


def test_hostile_names_and_websites_show_as_text(hostile):
    built, _ = hostile
    tree = lxml.html.fromstring(built.read(article_path(HOSTILE_SLUG)))
    authors = [span.text_content() for span in tree.xpath("//span[@class='comment__author']")]
    for name in NAME_PAYLOADS:
        assert name in authors
    hrefs = {a.get("href") for a in tree.xpath("//span[@class='comment__author']/a")}
    assert hrefs == set(WEBSITE_PAYLOADS)
    bodies = "\n".join(div.text_content() for div in tree.xpath("//div[@class='comment__body']"))
    assert "<script>alert(1)</script>" in bodies  # escaped, shown as text


def test_body_links_are_web_links_marked_user_content(hostile):
    built, _ = hostile
    tree = lxml.html.fromstring(built.read(article_path(HOSTILE_SLUG)))
    for link in tree.xpath("//div[@class='comment__body']//a"):
        assert link.get("rel") == "nofollow ugc noopener"
        assert link.get("href") is None or link.get("href").startswith(("https://", "http://"))
    assert not tree.xpath("//div[@class='comment__body']//*[self::img or self::h1 or self::h2 or self::div]")


def test_no_commenter_email_anywhere_in_output(hostile):
    built, _ = hostile
    assert commenter_emails_in(built.output) == {}
    assert emails_in_comments(built.read(article_path(HOSTILE_SLUG))) == []
    records = "".join(path.read_text(encoding="utf-8") for path in (built.content / "comments").rglob("*.md"))
    assert all(email in records for email in COMMENTER_EMAILS)  # the bodies did carry them


def test_refused_websites_and_email_names_are_reported_and_never_published(build_site):
    built = build_site(refused_site(), SETTINGS, expect_success=False)
    assert built.returncode == 1
    log = " ".join(built.log.split())
    for number in range(1, len(REFUSED_WEBSITES) + 1):
        assert f"content/comments/{HOSTILE_SLUG}/c-w{number}.md: Website:" in log
    for number in range(1, len(COMMENTER_EMAILS) + 1):
        assert f"content/comments/{HOSTILE_SLUG}/c-e{number}.md: Author: contains an email address" in log
    html = built.read(article_path(HOSTILE_SLUG))
    assert thread_shape(html) == []
    for page in output_pages(built.output):
        assert executable_problems(page.read_text(encoding="utf-8")) == []
    assert commenter_emails_in(built.output) == {}
