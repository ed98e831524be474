"""handbill_markdown_reuse on its own: Pelican's defaults and default theme, no other plugin.

Needs no theme and no settings: it swaps Pelican's Markdown reader for one
that reuses a single ``Markdown`` instance, with a faster smarty processor.
The same site built by plain Pelican (no plugin at all) is the reference:
every output file must match.
"""

import textwrap

import pytest
from pelican.generators import ArticlesGenerator
from pelican.settings import read_settings

from handbill.testing.plugin_site import assert_alone, build_in_process, build_with_only
from handbill_markdown_reuse.reader import MarkdownSetupError, ReusingMarkdownReader
from handbill_markdown_reuse.smarty import SubstitutingInlineProcessor
from handbill_markdown_reuse.tests.samples import POSTS as SAMPLE_POSTS

PLUGIN = "handbill_markdown_reuse"

# Extensions that keep per-document state (footnotes, abbreviations, header
# ids, metadata): exactly what a reused instance could leak from one post into the next.
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {"permalink": "#"},
        "markdown.extensions.meta": {},
    },
    "output_format": "html5",
}

POSTS = {**SAMPLE_POSTS, "pages/about.md": "Title: About\nSlug: about\n\n## Same heading\n\nAbout.\n"}


def output_files(site):
    return {
        str(path.relative_to(site.output)): path.read_bytes()
        for path in sorted(site.output.rglob("*"))
        if path.is_file()
    }


def test_pages_are_byte_for_byte_those_of_pelicans_own_reader(tmp_path):
    reusing = build_with_only(PLUGIN, POSTS, tmp_path / "reusing", MARKDOWN=MARKDOWN)
    assert_alone(reusing, PLUGIN)
    articles = next(g for g in reusing.generators if isinstance(g, ArticlesGenerator))
    reader = articles.readers.readers["md"]
    assert type(reader).__module__.startswith(PLUGIN)
    assert isinstance(reader._markdown.treeprocessors["smarty"], SubstitutingInlineProcessor)

    plain = build_in_process(POSTS, tmp_path / "plain", [], MARKDOWN=MARKDOWN)
    reused_files, plain_files = output_files(reusing), output_files(plain)
    assert {"two.html", "three.html", "pages/about.html"} <= plain_files.keys()
    assert reused_files.keys() == plain_files.keys()
    for name, data in plain_files.items():
        assert reused_files[name] == data, name

    # The state of one document must not reach the next.
    two = next(article.content for article in reusing.articles if article.slug == "two")
    assert "Footnote of two" in two
    assert "Footnote of one" not in two and "<abbr" not in two and 'id="same-heading_1"' not in two


def test_a_build_that_reads_every_post_from_the_cache_never_sets_up_markdown(tmp_path):
    cached = {"CACHE_CONTENT": True, "LOAD_CONTENT_CACHE": True, "MARKDOWN": MARKDOWN}

    def markdown_reader(site):
        articles = next(g for g in site.generators if isinstance(g, ArticlesGenerator))
        return articles.readers.readers["md"]

    first = build_with_only(PLUGIN, POSTS, tmp_path, **cached)
    assert markdown_reader(first)._markdown is not None
    contents = {article.slug: article.content for article in first.articles}

    again = build_with_only(PLUGIN, {}, tmp_path, **cached)  # the same files, untouched
    assert markdown_reader(again)._markdown is None
    assert {article.slug: article.content for article in again.articles} == contents

    edited_two = textwrap.dedent(POSTS["two.md"]) + "\nOne more line.\n"
    edited = build_with_only(PLUGIN, {"two.md": edited_two}, tmp_path, **cached)
    assert markdown_reader(edited)._markdown is not None
    assert "One more line." in next(article.content for article in edited.articles if article.slug == "two")


def test_an_extension_markdown_cannot_load_is_named_with_the_setting_at_each_read(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("Title: Post\n\nText.\n", encoding="utf-8")
    markdown = {**MARKDOWN, "extension_configs": {**MARKDOWN["extension_configs"], "no_such_extension": {}}}
    reader = ReusingMarkdownReader(read_settings(override={"MARKDOWN": markdown}))  # no error yet
    for _attempt in range(2):
        with pytest.raises(
            MarkdownSetupError, match=r"^MARKDOWN: Python-Markdown cannot be set up: .*no_such_extension"
        ):
            reader.read(str(post))
