"""The sample site in content/ builds cleanly and looks right in a real browser."""

import datetime as dt

import pytest

from handbill.linkcheck import find_broken_links
from handbill.testing.browser import text_contrasts
from handbill.testing.sites import PROJECT_ROOT

WIDTHS = (320, 375, 1280)


def source_metadata(path):
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    pairs = (line.split(":", 1) for line in header.splitlines() if ":" in line)
    return {k.strip().lower(): v.strip() for k, v in pairs}


@pytest.fixture(scope="module")
def sample_site(sample_site_output):
    return sample_site_output


def test_sample_posts_are_published_except_drafts_and_future_ones(sample_site):
    # Pelican compares naive post dates with the local clock, so today is the local calendar date.
    today = dt.date.today().isoformat()  # noqa: DTZ011
    published, unpublished = [], []
    for source in sorted((PROJECT_ROOT / "content" / "posts").rglob("*.md")):
        meta = source_metadata(source)
        is_public = meta.get("status", "published") == "published" and meta["date"][:10] <= today
        (published if is_public else unpublished).append(meta)
    assert len(published) >= 8 and unpublished
    for meta in published:
        assert (sample_site / "posts" / meta["date"][:4] / meta["slug"] / "index.html").exists(), meta["slug"]
    every_file = "\n".join(p.as_posix() for p in sample_site.rglob("*"))
    for meta in unpublished:
        assert f"/{meta['slug']}/" not in every_file, meta["slug"]


def test_sample_site_links_all_resolve(sample_site):
    assert [str(b) for b in find_broken_links(sample_site)] == []


def article_with_figure(output):
    for page in sorted((output / "posts").rglob("index.html")):
        if "<figcaption" in page.read_text(encoding="utf-8"):
            return page.relative_to(output).parent.as_posix() + "/"
    raise AssertionError("no sample post has a figure with a caption")


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS)
def test_index_and_article_render_without_errors_or_sideways_scroll(
    sample_site, static_server, open_page, width, tmp_path
):
    base_url = static_server(sample_site)
    for name, path in (("index", ""), ("article", article_with_figure(sample_site))):
        page, errors = open_page(f"{base_url}/{path}", width)
        assert errors == [], (path, errors)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        for text in text_contrasts(page):
            assert text["ratio"] >= 4.5, f"{path} at {width}px: {text['element']} contrast {text['ratio']:.2f}"
        # In the test's own folder: the sample site's output is shared with other tests.
        shot = tmp_path / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000


@pytest.mark.browser
def test_keyboard_user_can_skip_to_content_and_sees_focus(sample_site, static_server, open_page):
    base_url = static_server(sample_site)
    page, _ = open_page(f"{base_url}/", 1280)
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0, "the skip link must come into view when focused"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#content"


@pytest.mark.browser
def test_print_media_hides_navigation_and_prints_link_addresses(sample_site, static_server, open_page):
    base_url = static_server(sample_site)
    page, _ = open_page(f"{base_url}/{article_with_figure(sample_site)}", 1280)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-nav')).display") == "none"
    assert page.evaluate("getComputedStyle(document.querySelector('.site-footer')).display") == "none"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


@pytest.mark.browser
@pytest.mark.parametrize("width", (375, 1280))
def test_brand_fonts_load_and_header_stays_compact(sample_site, static_server, open_page, width):
    base_url = static_server(sample_site)
    for path in ("", article_with_figure(sample_site), "events/chamber-breakfast/"):
        page, errors = open_page(f"{base_url}/{path}", width)
        assert errors == [], (path, errors)
        loaded = page.evaluate(
            "document.fonts.ready.then(fonts => [...fonts]"
            ".filter(f => f.status === 'loaded').map(f => `${f.family.replaceAll('\"', '')} ${f.weight}`))"
        )
        assert "Source Serif 4 400" in loaded, (path, loaded)
        assert "Source Sans 3 700" in loaded, (path, loaded)
        header = page.locator(".site-header").bounding_box()
        if width == 375:
            assert header["height"] <= 120, f"{path}: header {header['height']}px tall at 375px"
        tops = page.evaluate("[...document.querySelectorAll('.site-nav li')].map(li => li.getBoundingClientRect().top)")
        assert len(set(tops)) == 1, f"{path} at {width}px: the navigation wraps ({tops})"
        title = page.locator(".site-title__name")
        line = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.site-title__name')).lineHeight)")
        assert title.bounding_box()["height"] < 1.5 * line, f"{path} at {width}px: the site title wraps"


@pytest.mark.browser
def test_navigation_scrolls_to_a_focused_link_at_375(sample_site, static_server, open_page):
    base_url = static_server(sample_site)
    page, _ = open_page(f"{base_url}/", 375)
    last = page.locator(".site-nav li:last-child a")
    last.focus()
    box, nav = last.bounding_box(), page.locator(".site-nav").bounding_box()
    assert box["x"] >= nav["x"] and box["x"] + box["width"] <= nav["x"] + nav["width"] + 0.5
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
