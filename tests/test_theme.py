"""The theme as a reader sees it, in Chromium at a phone's and a desktop's width: the brand's
typefaces, no sideways scroll, a compact header, the owner up front, handouts in view, figures
that open full size, spaced comment threads, the footer at the bottom and a dark mode that
keeps its contrast. Screenshots of every page are saved in the test's tmp_path."""

import re

import pytest

from handbill.testing.browser import text_contrasts
from handbill.testing.sites import project_settings

WIDTHS = (320, 375, 1280)
HEADER_MAX_HEIGHT = {320: 120, 375: 110, 1280: 100}


@pytest.fixture(scope="module")
def sample_site(sample_site_output):
    return sample_site_output


@pytest.fixture(scope="module")
def pages(sample_site):
    """{name: path} of the pages under test; the article is a post with comments and a handout."""
    for page in sorted((sample_site / "posts").rglob("index.html")):
        html = page.read_text(encoding="utf-8")
        if 'class="comment-list"' in html and 'class="handout-link"' in html and "<figure" in html:
            article = page.relative_to(sample_site).parent.as_posix() + "/"
            break
    else:
        raise AssertionError("no sample post has comments, a handout and a figure")
    return {"index": "", "article": article, "about": "about/", "handouts": "handouts/"}


@pytest.fixture(scope="module")
def brand_fonts():
    fonts = project_settings()["BRAND"]["fonts"]
    return fonts["body"], fonts["headings"]


def first_family(font_family):
    return font_family.split(",")[0].strip().strip('"')


@pytest.fixture
def visit(sample_site, pages, static_server, open_page, tmp_path):
    """``visit(name or path, width)`` → the Playwright page, once its fonts are in, after a
    full-page screenshot into tmp_path; a console error fails the test."""
    base_url = static_server(sample_site)

    def _visit(name, width, shot=None):
        path = pages.get(name, name)
        page, errors = open_page(f"{base_url}/{path}", width)
        assert errors == [], (path, errors)
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(tmp_path / f"{shot or name}-{width}.png"), full_page=True)
        return page

    return _visit


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["index", "article", "about", "handouts"])
def test_brand_fonts_no_sideways_scroll_and_a_compact_header(visit, brand_fonts, name, width):
    page = visit(name, width)
    body_font, heading_font = brand_fonts
    fonts = page.evaluate(
        """() => ({
          text: getComputedStyle(document.querySelector(':is(.article__body, .summary__text, main) > p')).fontFamily,
          heading: getComputedStyle(document.querySelector('main :is(h1, h2):not(.visually-hidden)')).fontFamily,
        })"""
    )
    assert first_family(fonts["text"]) == body_font, fonts
    assert first_family(fonts["heading"]) == heading_font, fonts
    for family, weight in ((body_font, 400), (heading_font, 700)):
        assert page.evaluate(f"document.fonts.check('{weight} 16px \"{family}\"')"), f"{family} {weight} not loaded"

    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{name} scrolls sideways at {width}px: {scroll}"

    header = page.locator(".site-header").bounding_box()
    assert header["height"] <= HEADER_MAX_HEIGHT[width], f"{name}: header {header['height']}px tall at {width}px"
    tops = page.evaluate("[...document.querySelectorAll('.site-nav li')].map(li => li.getBoundingClientRect().top)")
    assert len(set(tops)) == 1, f"{name} at {width}px: the navigation wraps ({tops})"
    if width == 1280:
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.site-title__name')).lineHeight)")
        assert page.locator(".site-title__name").bounding_box()["height"] < 1.5 * line, "the site title wraps"
        title, nav = page.locator(".site-title").bounding_box(), page.locator(".site-nav").bounding_box()
        assert nav["y"] < title["y"] + title["height"], "title and navigation are not on one row"


@pytest.mark.browser
@pytest.mark.parametrize("width", (375, 1280))
def test_the_reading_column_is_centred(visit, width):
    page = visit("article", width, "article-column")
    box = page.locator(".article__body").bounding_box()
    left, right = box["x"], width - (box["x"] + box["width"])
    assert abs(left - right) <= 1, f"the text column is off centre at {width}px: {left} | {right}"
    if width == 1280:
        assert box["width"] <= 40 * 16, "the measure is wider than about 70 characters"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_the_owner_up_front_under_the_post_and_on_the_about_page(visit, width):
    brand = project_settings()["BRAND"]
    for name in ("article", "about"):
        page = visit(name, width, f"author-{name}")
        box = page.locator(".author-box")
        assert box.count() == 1 and box.is_visible(), name
        assert box.locator(".author-box__name").inner_text() == brand["name"]
        photo = box.locator(".author-box__photo")
        photo.scroll_into_view_if_needed()
        assert photo.evaluate("img => img.complete && img.naturalWidth > 0"), f"{name}: the photo did not load"
        assert box.locator(f'a[href="mailto:{brand["email"]}"]').count() == 1
        assert box.locator(".author-box__cta").inner_text().strip() == brand["call_to_action"]
        article_bottom = page.locator("main article").first.bounding_box()
        assert box.bounding_box()["y"] >= article_bottom["y"] + article_bottom["height"], "the box is under the text"


@pytest.mark.browser
@pytest.mark.parametrize("width", (320, 1280))
def test_handouts_in_the_navigation_on_the_index_and_on_the_article(sample_site, visit, width):
    index = visit("index", width, "handouts-index")
    nav_link = index.get_by_role("navigation", name="Main").get_by_role("link", name="Handouts", exact=True)
    assert nav_link.get_attribute("href").rstrip("/").endswith("handouts")

    summaries = index.locator(".summary")
    marked = 0
    for position in range(summaries.count()):
        summary = summaries.nth(position)
        post = summary.locator(".summary__title a").get_attribute("href")
        has_handout = 'class="handout-link"' in (sample_site / post / "index.html").read_text(encoding="utf-8")
        mark = summary.locator(".handout-mark")
        assert mark.count() == int(has_handout), post
        if has_handout:
            marked += 1
            assert mark.is_visible()
            name = " ".join(mark.evaluate("a => a.textContent").split())
            assert re.fullmatch(r"Printable handout: “.+” \(PDF, \d+ pages?\)", name), name
            assert mark.get_attribute("href").endswith(".pdf")
    assert marked, "no post on the first index page has a handout"

    article = visit("article", width, "handouts-article")
    link = article.locator(".handout-link a.button")
    assert re.fullmatch(r"Print this as a handout \(PDF, \d+ pages?\)", " ".join(link.inner_text().split()))
    assert link.is_visible() and link.bounding_box()["height"] >= 44, "the handout link is a large target"

    handouts = visit("handouts", width, "handouts-page")
    current = handouts.locator('.site-nav a[aria-current="page"]')
    assert current.inner_text() == "Handouts"


@pytest.mark.browser
def test_a_figure_opens_full_size_and_says_so_on_a_phone(visit):
    page = visit("article", 375, "figure")
    link = page.locator("figure a.figure-link").first
    image = link.locator("img")
    assert link.get_attribute("href") == image.get_attribute("src")
    assert link.locator(".figure-link__hint").is_visible()
    with page.expect_navigation():
        image.click()
    assert page.url.endswith(".svg")


@pytest.mark.browser
@pytest.mark.parametrize("width", (320, 1280))
def test_replies_stand_apart_from_their_parents(visit, width):
    page = visit("article", width, "comments")
    pairs = page.evaluate(
        """() => [...document.querySelectorAll('.comment-list--replies > .comment > .comment__card')].map(reply => {
          const parent = reply.parentElement.parentElement.closest('.comment').querySelector(':scope > .comment__card');
          const r = reply.getBoundingClientRect(), p = parent.getBoundingClientRect();
          return {gap: r.top - p.bottom, indent: r.left - p.left, width: r.width};
        })"""
    )
    assert pairs, "the sample post has no replies"
    for pair in pairs:
        assert pair["gap"] >= 8, f"a reply card touches its parent at {width}px: {pair}"
        assert pair["indent"] >= 8, f"a reply is not indented at {width}px: {pair}"
        assert pair["width"] >= 200, f"a reply is too narrow to read at {width}px: {pair}"


@pytest.mark.browser
@pytest.mark.parametrize("width", (375, 1280))
def test_the_footer_sits_at_the_bottom_of_a_short_page(visit, width):
    page = visit("404.html", width, "short-page")
    bottom = page.evaluate("document.querySelector('.site-footer').getBoundingClientRect().bottom")
    assert bottom == pytest.approx(page.evaluate("window.innerHeight"), abs=1)


@pytest.mark.browser
@pytest.mark.parametrize("name", ["index", "article", "about", "handouts"])
def test_dark_mode_follows_the_system_and_keeps_its_contrast(visit, tmp_path, name):
    page = visit(name, 375)
    page.emulate_media(color_scheme="dark")
    page.screenshot(path=str(tmp_path / f"dark-{name}-375.png"), full_page=True)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    texts = text_contrasts(page)
    assert any(text["link"] for text in texts) and any(not text["link"] for text in texts)
    low = [text for text in texts if text["ratio"] < 4.5]
    assert low == [], f"{name}: text below 4.5:1 in dark mode: {low[:5]}"


@pytest.mark.browser
def test_a_print_from_a_dark_screen_is_black_on_white(visit):
    page = visit("article", 1280)
    page.emulate_media(media="print", color_scheme="dark")
    colours = page.evaluate("[getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor]")
    assert colours == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert page.evaluate("getComputedStyle(document.querySelector('.author-box')).display") != "none"
