"""The search as a reader uses it: a real build with real handouts, served over HTTP on
127.0.0.1, in headless Chromium. Screenshots of the search page go to the test's folder."""

import re
import shutil

import pytest

from handbill.testing.plugin_site import THEME, build_in_process

pytestmark = pytest.mark.browser

QUOKKA_TITLE = "Quokkas at Breakfast"


def post(title, slug, body, *extra):
    return "\n".join([f"Title: {title}", "Date: 2024-03-01 09:00", f"Slug: {slug}", *extra, "", body, ""])


FILES = {
    # "quokka" is in this post only, which has a handout.
    "quokka.md": post(QUOKKA_TITLE, "quokkas", "A quokka asks what you will do after the event.", "Handout: yes"),
    "coffee.md": post("Coffee First", "coffee", "Coffee with a stranger, then a short note the next day."),
    "cards.md": post("Cards Still Work", "cards", "Hand over a card and write the next step on its back."),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-site")
    built = build_in_process(
        FILES,
        root,
        ["handbill_handouts", "handbill_search"],
        THEME=str(THEME),
        AUTHOR="Dana Whitfield",
        SITENAME="Connected in Person",
        # As the project's settings: addresses of folders, relative links.
        ARTICLE_URL="posts/{slug}/",
        ARTICLE_SAVE_AS="posts/{slug}/index.html",
        RELATIVE_URLS=True,
        HANDOUTS={"site_url": "https://coach.example", "workers": 1},
    )
    assert built.exists("handouts/quokkas.pdf")
    return built


@pytest.fixture
def browse(chromium):
    """``browse(url, width)`` → (page, failures): console errors, script errors and failed requests
    from the first one on, but the theme's font files, which a build without the brand plugin lacks."""
    contexts = []

    def _browse(url, width):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        failures = []
        # A failed request is reported below by its address; Chromium's console line has none.
        page.on("console", lambda m: m.type == "error" and "Failed to load resource" not in m.text
                and failures.append(m.text))
        page.on("pageerror", lambda error: failures.append(str(error)))
        page.on("response", lambda r: r.status >= 400 and "/theme/fonts/" not in r.url
                and failures.append(f"{r.status} {r.url}"))
        page.goto(url)
        page.wait_for_load_state("networkidle")
        return page, failures

    yield _browse
    for context in contexts:
        context.close()


def search_from_header(page, words):
    page.fill("#site-search-query", words)
    page.press("#site-search-query", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    page.wait_for_selector(".search-result")


def test_a_word_from_one_post_finds_that_post_and_its_handout(site, static_server, browse, tmp_path):
    base = static_server(site.output)
    page, errors = browse(f"{base}/", 1280)

    search_from_header(page, "quokka")

    results = page.locator(".search-result")
    assert results.count() == 1
    assert page.locator(".search__status").inner_text() == "1 result for “quokka”."
    assert page.input_value("#search-query") == "quokka"
    title_link = results.locator(".search-result__title a")
    assert title_link.inner_text() == QUOKKA_TITLE
    assert "<mark>quokka</mark>" in results.locator(".search-result__excerpt").inner_html().lower()
    handout = results.locator(".search-result__handout a")
    assert handout.inner_text() == "Printable handout"
    assert "(PDF, 1 page)" in results.locator(".search-result__handout").inner_text()
    handout_url = handout.evaluate("link => link.href")
    assert handout_url == f"{base}/handouts/quokkas.pdf"
    assert page.request.get(handout_url).ok
    page.screenshot(path=str(tmp_path / "search-1280.png"), full_page=True)

    title_link.click()
    page.wait_for_url(f"{base}/posts/quokkas/")
    assert page.locator("h1").inner_text() == QUOKKA_TITLE
    assert errors == []


def test_a_post_without_a_handout_has_no_handout_link(site, static_server, browse):
    page, errors = browse(f"{static_server(site.output)}/search/?q=coffee", 1280)
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result__title a").all_inner_texts() == ["Coffee First"]
    assert page.locator(".search-result__handout").count() == 0
    # A word of a title only: Pagefind searches titles too, though only the text is marked as the body.
    page.fill("#search-query", "breakfast")
    page.press("#search-query", "Enter")
    page.wait_for_function("document.querySelector('.search__status').textContent.includes('breakfast')")
    assert page.locator(".search-result__title a").all_inner_texts() == [QUOKKA_TITLE]
    assert errors == []


def test_the_keyboard_alone_reaches_the_results(site, static_server, browse):
    page, errors = browse(f"{static_server(site.output)}/search/", 1280)
    page.focus("#search-query")
    page.keyboard.type("card")
    page.keyboard.press("Enter")
    page.wait_for_selector(".search-result")
    focused = []
    for _ in range(5):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("document.activeElement.textContent.trim()"))
        if focused[-1] == "Cards Still Work":
            break
    assert focused[-1] == "Cards Still Work", focused
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/posts/cards/$"))
    assert errors == []


def test_on_a_phone_the_header_button_opens_the_search_page(site, static_server, browse, tmp_path):
    page, errors = browse(f"{static_server(site.output)}/", 375)
    assert not page.is_visible("#site-search-query")
    page.click(".site-search__button")
    page.wait_for_url(re.compile(r"/search/\?q=$"))
    page.fill("#search-query", "quokka")  # searches as the reader types
    page.wait_for_selector(".search-result")
    assert page.locator(".search-result__title a").all_inner_texts() == [QUOKKA_TITLE]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.screenshot(path=str(tmp_path / "search-375.png"), full_page=True)
    assert errors == []


def test_without_the_index_the_page_says_search_is_unavailable(site, static_server, browse, tmp_path):
    # A copy of the output without Pagefind's files: what a failed indexing leaves.
    output = tmp_path / "output"
    shutil.copytree(site.output, output, ignore=shutil.ignore_patterns("pagefind"))
    page, failures = browse(f"{static_server(output)}/search/?q=quokka", 1280)
    page.wait_for_function("document.querySelector('.search__status').textContent !== ''")
    assert page.locator(".search__status").inner_text().startswith("Search is not available")
    assert page.locator(".search-result").count() == 0
    assert any(failure.endswith("/pagefind/pagefind.js") for failure in failures), failures


# A site whose index comes in parts (plugins/handbill_search/parts.py), served from a sub-folder.
VENUES = ["library", "harbour", "bakery", "studio", "garden", "station", "museum", "market"]


@pytest.fixture(scope="module")
def site_in_parts(tmp_path_factory):
    root = tmp_path_factory.mktemp("search-in-parts")
    files = {
        f"{venue}.md": post(f"Notes from the {venue.title()}", venue, f"We met at the {venue}.") for venue in VENUES
    }
    built = build_in_process(
        files,
        root,
        ["handbill_search"],
        THEME=str(THEME),
        ARTICLE_URL="posts/{slug}/",
        ARTICLE_SAVE_AS="posts/{slug}/index.html",
        RELATIVE_URLS=True,
        SEARCH={"part_pages": 2},
    )
    assert len(list((built.output / "pagefind").glob("**/pagefind-entry.json"))) >= 3
    served = root / "served"
    shutil.copytree(built.output, served / "blog")
    return served


def test_a_search_covers_every_part_of_the_index_from_a_sub_folder(site_in_parts, static_server, browse, tmp_path):
    base = static_server(site_in_parts)
    page, errors = browse(f"{base}/blog/search/?q=met", 1280)
    page.wait_for_selector(".search-result")

    assert page.locator(".search__status").inner_text() == f"{len(VENUES)} results for “met”."
    links = page.locator(".search-result__title a")
    assert sorted(links.all_inner_texts()) == sorted(f"Notes from the {venue.title()}" for venue in VENUES)
    for href in links.evaluate_all("links => links.map(link => link.href)"):
        assert href.startswith(f"{base}/blog/posts/"), href
        assert page.request.get(href).ok, href
    page.screenshot(path=str(tmp_path / "search-in-parts-1280.png"), full_page=True)

    page.fill("#search-query", "harbour")  # a word of one post, in one of the parts
    page.wait_for_function("document.querySelector('.search__status').textContent.includes('harbour')")
    assert links.all_inner_texts() == ["Notes from the Harbour"]
    assert errors == []
