"""handbill_title_typography on its own: Pelican's defaults and default theme, no other plugin.

Needs nothing from a theme: it rewrites ``title`` when Pelican creates each
article or page, so every template that prints a title shows the result.
"""

from handbill.testing.plugin_site import assert_alone, build_in_process, build_with_only

PLUGIN = "handbill_title_typography"

FILES = {
    "quotes.md": """\
        Title: "Hello" -- it's 9--5... or not --- really
        Date: 2024-01-01
        Slug: quotes

        Body.
        """,
    "pages/about.md": "Title: About 'us'\nSlug: about\n\nAbout.\n",
}
SMART_TITLE = "“Hello” – it’s 9–5… or not — really"


def test_titles_of_articles_and_pages_get_typographic_quotes_dashes_and_ellipses(tmp_path):
    site = build_with_only(PLUGIN, FILES, tmp_path)
    assert_alone(site, PLUGIN)
    assert [article.title for article in site.articles] == [SMART_TITLE]
    assert [page.title for page in site.pages] == ["About ‘us’"]
    assert f"{SMART_TITLE}</a></h1>" in site.read("quotes.html")
    assert SMART_TITLE in site.read("index.html")
    assert "About ‘us’" in site.read("pages/about.html")


def test_pelican_alone_leaves_titles_straight(tmp_path):
    # The same site without the plugin, so the curly title above is the plugin's doing.
    site = build_in_process(FILES, tmp_path, [])
    assert [article.title for article in site.articles] == ['"Hello" -- it\'s 9--5... or not --- really']
