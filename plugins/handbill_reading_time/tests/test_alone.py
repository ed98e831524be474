"""handbill_reading_time on its own: Pelican's defaults, no other plugin.

The plugin only sets ``article.reading_time``; Pelican's default theme never
shows it, so the test reads it on the built articles and through a one-line
``article.html`` (THEME_TEMPLATES_OVERRIDES), as any theme would use it.
"""

from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill_reading_time.count import count_words

PLUGIN = "handbill_reading_time"


def post(slug, words):
    return {f"{slug}.md": f"Title: {slug.title()}\nDate: 2024-01-01\nSlug: {slug}\n\n" + "word " * words + "\n"}


def test_every_article_gets_whole_minutes_at_the_configured_speed(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text('<p class="reading-time">{{ article.reading_time }} min</p>\n')
    site = build_with_only(
        PLUGIN,
        {**post("short", 3), **post("long", 250)},
        tmp_path / "site",
        READING_TIME_WORDS_PER_MINUTE=100,
        THEME_TEMPLATES_OVERRIDES=[str(templates)],
    )
    assert_alone(site, PLUGIN)
    assert {article.slug: article.reading_time for article in site.articles} == {"short": 1, "long": 3}
    assert site.read("long.html").strip() == '<p class="reading-time">3 min</p>'
    assert site.read("short.html").strip() == '<p class="reading-time">1 min</p>'


def test_without_the_setting_the_speed_is_220_words_a_minute(tmp_path):
    site = build_with_only(PLUGIN, post("long", 221), tmp_path)
    assert_alone(site, PLUGIN)
    assert [article.reading_time for article in site.articles] == [2]
    assert site.exists("long.html")  # Pelican's default theme renders it as usual


def test_links_to_other_posts_and_files_count_as_the_words_they_show(tmp_path):
    # The words are counted in the HTML as read, before Pelican resolves {filename} and
    # {static} links; a link's address is markup, so the count is the resolved page's.
    linking = (
        "Title: Linking\nDate: 2024-01-02\nSlug: linking\n\n"
        + "word " * 99
        + "[the other post]({filename}long.md) and ![a chart]({static}images/chart.png) "
        + "[twice]({filename}/long.md)\n"
    )
    site = build_with_only(
        PLUGIN,
        {**post("long", 250), "linking.md": linking, "images/chart.png": b"\x89PNG\r\n\x1a\n"},
        tmp_path,
        READING_TIME_WORDS_PER_MINUTE=100,
        STATIC_PATHS=["images"],
    )
    article = next(article for article in site.articles if article.slug == "linking")
    assert 'href="/long.html"' in article.content and "{filename}" in article._content
    # The alt text is an attribute: "the other post", "and" and "twice" are the words after the 99.
    assert count_words(article.content) == count_words(article._content) == 99 + 3 + 1 + 1
    assert article.reading_time == 2
