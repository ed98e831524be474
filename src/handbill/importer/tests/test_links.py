"""Links between imported posts in every old address form, and the address guard (pure functions)."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.importer.convert import html_to_markdown, widest_candidate
from handbill.importer.links import LinkTarget, classify_link, link_index
from handbill.importer.media import address_refusal, media_reference, plan_media
from handbill.importer.model import Export, ImportedPost

DATE = datetime(2020, 1, 2, tzinfo=UTC)
TARGET = "{filename}/posts/imported/b-post.md"


def post(post_id, slug, link, kind="article"):
    return ImportedPost(
        source_id=f"wordpress:{post_id}", kind=kind, title=slug, slug=slug, date=DATE, author="Dana",
        body_html="", status="published", old_urls=(link,),
    )


@pytest.fixture(scope="module")
def index():
    export = Export(
        platform="WordPress", path="x.xml", site_url="https://old.example.com",
        posts=[
            post(50, "a-post", "https://old.example.com/2020/01/a-post/"),
            post(51, "b-post", "https://old.example.com/2020/01/b-post/"),
            post(52, "about", "https://old.example.com/about/", kind="page"),
        ],
    )
    return link_index(export, ["posts/imported/a-post.md", "posts/imported/b-post.md", "pages/imported/about.md"])


@given(
    scheme=st.sampled_from(["http://", "https://", "//"]),
    www=st.booleans(),
    slash=st.booleans(),
    fragment=st.sampled_from(["", "#part-2"]),
)
def test_every_spelling_of_a_permalink_leads_to_the_post(index, scheme, www, slash, fragment):
    url = f"{scheme}{'www.' if www else ''}old.example.com/2020/01/b-post{'/' if slash else ''}{fragment}"
    assert classify_link(url, index) == LinkTarget("post", TARGET + fragment)


@pytest.mark.parametrize(
    "url, expected",
    [
        ("/2020/01/b-post/", LinkTarget("post", TARGET)),
        ("https://old.example.com/?p=51", LinkTarget("post", TARGET)),
        ("http://www.old.example.com/?page_id=52", LinkTarget("post", "{filename}/pages/imported/about.md")),
        ("https://old.example.com/?p=52", LinkTarget("post", "{filename}/pages/imported/about.md")),
        ("https://wp.me/p1a2B3-P", LinkTarget("post", TARGET)),  # 51 in base 62
        ("https://wp.me/P1a2B3-Q", LinkTarget("post", "{filename}/pages/imported/about.md")),  # 52
        ("https://wp.me/p1a2B3-zz", LinkTarget("old-site", "https://wp.me/p1a2B3-zz")),
        ("https://old.example.com/?p=99", LinkTarget("old-site", "https://old.example.com/?p=99")),
        ("https://old.example.com/contact/", LinkTarget("old-site", "https://old.example.com/contact/")),
        ("https://elsewhere.example/2020/01/b-post/", LinkTarget("external", "https://elsewhere.example/2020/01/b-post/")),
        ("mailto:dana@example.com", LinkTarget("external", "mailto:dana@example.com")),
        ("#notes", LinkTarget("external", "#notes")),
        ("https://old.example.com/", LinkTarget("external", "https://old.example.com/")),
    ],
)
def test_old_address_forms(index, url, expected):
    assert classify_link(url, index, "https://old.example.com") == expected


def test_blogger_addresses_on_any_blogspot_domain():
    export = Export(
        platform="Blogger", path="feed.atom", site_url="",
        posts=[post(1, "small-talk", "/2018/03/small-talk.html")],
    )
    index = link_index(export, ["posts/imported/small-talk.md"])
    for url in (
        "https://dana.blogspot.com/2018/03/small-talk.html",
        "http://dana.blogspot.de/2018/03/small-talk.html?m=1",
    ):
        assert classify_link(url, index) == LinkTarget("post", "{filename}/posts/imported/small-talk.md")
    assert classify_link("https://dana.blogspot.com/2018/04/gone.html", index).kind == "old-site"


def test_the_widest_srcset_candidate_is_kept():
    assert widest_candidate("a.jpg 300w, b.jpg 1200w, c.jpg 768w") == "b.jpg"
    assert widest_candidate("a.jpg, b.jpg 2x") == "b.jpg"
    assert widest_candidate("") == ""
    markdown = html_to_markdown('<img src="small.png" srcset="small.png 1x, big.png 2x" alt="A room">')
    assert markdown == "![A room](big.png)"


def test_media_references_are_images_and_uploads_on_the_old_site_or_its_cdns():
    hosts = frozenset({"old.example.com"})
    assert media_reference("https://old.example.com/x/y.png", "img", hosts)
    assert media_reference("https://i0.wp.com/old.example.com/wp-content/uploads/a.jpg", "img", hosts)
    assert media_reference("https://2.bp.blogspot.com/-x/s1600/a.jpg", "img", hosts)
    assert media_reference("https://www.old.example.com/wp-content/uploads/2019/guide.pdf", "a", hosts)
    assert not media_reference("https://old.example.com/2019/05/post/", "a", hosts)
    assert not media_reference("https://tracker.example/pixel.gif", "img", hosts)
    assert not media_reference("ftp://old.example.com/wp-content/uploads/a.png", "img", hosts)


def test_media_plan_is_one_file_per_address_by_year_and_stable():
    references = [
        ("https://old.example.com/wp-content/uploads/2019/05/cups.jpg", 2019),
        ("https://old.example.com/wp-content/uploads/2019/05/cups.jpg", 2020),
        ("https://old.example.com/other/cups.jpg", 2019),
        ("https://blogger.googleusercontent.com/img/b/R29v/s1600/", 2018),
        ("https://old.example.com/wp-content/uploads/caf%C3%A9%20menu.PNG", 2019),
    ]
    plan = plan_media(references)
    assert plan == plan_media(references)
    assert plan[references[0][0]] == ("images/imported/2019/cups", ".jpg")
    assert plan[references[2][0]][0].startswith("images/imported/2019/cups-")
    assert plan[references[3][0]] == ("images/imported/2018/s1600", "")  # its type decides
    assert plan[references[4][0]] == ("images/imported/2019/caf-menu", ".png")


@pytest.mark.parametrize(
    "address, allowed",
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("::1", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("fe80::1", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("240.0.0.1", False),
        ("100.64.0.1", False),
        ("::ffff:10.0.0.1", False),
        ("fd00::1", False),
    ],
)
def test_only_public_addresses_are_contacted(address, allowed):
    assert (address_refusal(address) == "") is allowed


@given(st.ip_addresses())
def test_allowing_private_hosts_lets_loopback_through_and_nothing_else(ip):
    refusal = address_refusal(str(ip), allow_private=True)
    mapped = getattr(ip, "ipv4_mapped", None) or ip
    if mapped.is_loopback:
        assert refusal == ""
    else:
        assert refusal == address_refusal(str(ip))
