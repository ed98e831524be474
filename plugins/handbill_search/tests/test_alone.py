"""handbill_search on its own: Pelican's defaults, Handbill's theme (which marks what a result is
and has the search page's template), no other Handbill plugin."""

import logging

from handbill.core import build_outputs
from handbill.testing.plugin_site import THEME, assert_alone, build_with_only
from handbill_search.tests.bundles import file_bytes, indexed_pages

PLUGIN = "handbill_search"


def post(title, slug, body, *extra):
    return "\n".join([f"Title: {title}", "Date: 2024-03-01 09:00", f"Slug: {slug}", "Tags: meetings", *extra, "",
                      body, ""])


FILES = {
    "quokka.md": post("Quokkas at Breakfast", "quokka", "A quokka asks about your follow-up."),
    "coffee.md": post("Coffee First", "coffee", "Coffee with a stranger, then a note."),
    "secret.md": post("Unlisted", "unlisted", "A walrus nobody should find.", "Status: hidden"),
    "pages/about.md": "Title: About\n\nDana meets people.\n",
}


def build(root, **settings):
    return build_with_only(PLUGIN, FILES, root, THEME=str(THEME), TIMEZONE="UTC", **settings)


def test_posts_and_pages_are_indexed_and_the_search_page_written(tmp_path):
    site = build(tmp_path)
    assert_alone(site, PLUGIN)

    pages = indexed_pages(site.output / "pagefind")
    # Pelican's default URLs; tag, category, author and index pages are not results, nor is a hidden post.
    assert sorted(pages) == ["/coffee.html", "/pages/about.html", "/quokka.html"]
    assert pages["/quokka.html"]["meta"]["title"] == "Quokkas at Breakfast"
    assert "quokka asks" in pages["/quokka.html"]["content"]

    search_page = site.read("search/index.html")
    assert 'data-bundle-url="/pagefind/"' in search_page and "js/search.js" in search_page
    assert "<noscript>" in search_page
    # Every page's header has the search box, which works without JavaScript: a form to the search page.
    assert '<form class="site-search" role="search" aria-label="Site" action="/search/"' in site.read("index.html")

    recorded = build_outputs.recorded()
    assert {str(path) for path in (site.output / "pagefind").rglob("*") if path.is_file()} <= recorded


def test_an_unchanged_site_leaves_the_index_untouched(tmp_path):
    build(tmp_path)
    before = {path: path.stat().st_mtime_ns for path in (tmp_path / "output" / "pagefind").rglob("*")
              if path.is_file()}
    contents = file_bytes(tmp_path / "output" / "pagefind")

    build(tmp_path)

    assert file_bytes(tmp_path / "output" / "pagefind") == contents
    assert {path: path.stat().st_mtime_ns for path in before} == before


def test_search_off_means_no_page_no_box_no_index(tmp_path):
    site = build(tmp_path, SEARCH={"enabled": False})
    assert not site.exists("search/index.html") and not site.exists("pagefind")
    assert "site-search" not in site.read("index.html")


def test_a_pagefind_failure_is_an_error_naming_it_and_the_site_is_built(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-such-pagefind"))
    with caplog.at_level(logging.ERROR):
        site = build(tmp_path)
    errors = [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, errors
    assert errors[0].startswith("Search: no index was made") and "No such file or directory" in errors[0]
    assert site.exists("quokka.html") and site.exists("search/index.html")
    assert not site.exists("pagefind")


def test_a_bad_setting_is_named_and_its_default_used(tmp_path, caplog):
    with caplog.at_level(logging.ERROR):
        site = build(tmp_path, SEARCH={"output_dir": "/etc"})
    assert 'Search: SEARCH["output_dir"] must be a folder inside the output' in caplog.text
    assert site.exists("pagefind/pagefind.js")


def test_a_site_without_a_word_to_index_builds_with_a_warning(tmp_path, caplog):
    files = {"photo.md": post("Our Team", "our-team", "![The team](team.png)")}
    site = build_with_only(PLUGIN, files, tmp_path, THEME=str(THEME), TIMEZONE="UTC")
    assert site.exists("search/index.html")
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert "Search: none of the 1 page(s) has any text to index, so the search page finds nothing there" in warnings
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


def test_a_page_whose_path_has_a_backslash_is_named_and_the_others_are_indexed(tmp_path, caplog):
    files = {**FILES, "odd.md": post("Odd Path", "odd", "An odd path.", "Save_as: odd\\one.html")}
    with caplog.at_level(logging.WARNING):
        site = build_with_only(PLUGIN, files, tmp_path, THEME=str(THEME), TIMEZONE="UTC")
    assert site.exists("odd\\one.html")
    warnings = [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]
    assert "Search: odd\\one.html is not indexed: Pagefind cannot name a path with a backslash" in warnings
    assert sorted(indexed_pages(site.output / "pagefind")) == ["/coffee.html", "/pages/about.html", "/quokka.html"]
