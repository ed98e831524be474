"""Which posts a plugin handles: published (listed, hidden, translations) and every one."""

from types import SimpleNamespace

from handbill.core.articles import CONTENT_LISTS, draft_articles, every_article, every_content, published_articles

GENERATOR = SimpleNamespace(
    articles=["listed"],
    hidden_articles=["hidden"],
    translations=["listed-fr"],
    hidden_translations=["hidden-fr"],
    drafts=["draft"],
    drafts_translations=["draft-fr"],
)


def test_published_posts_are_listed_and_hidden_ones_originals_before_translations():
    assert published_articles(GENERATOR) == ["listed", "hidden", "listed-fr", "hidden-fr"]


def test_drafts_in_every_language():
    assert draft_articles(GENERATOR) == ["draft", "draft-fr"]


def test_every_article_is_published_then_drafts_with_none_left_out():
    assert every_article(GENERATOR) == [*published_articles(GENERATOR), *draft_articles(GENERATOR)]
    assert len(every_article(GENERATOR)) == len(vars(GENERATOR))


def test_the_article_lists_are_every_articles_order():
    assert [item for name in CONTENT_LISTS["article"] for item in getattr(GENERATOR, name)] == every_article(GENERATOR)


def test_every_content_of_several_generators_each_once_in_order():
    page = SimpleNamespace(name="about")
    pages = SimpleNamespace(pages=[page], hidden_pages=[], translations=[], hidden_translations=[page])
    other = SimpleNamespace(output_path="elsewhere")  # a generator that keeps no content
    assert every_content([GENERATOR, other, pages]) == [*every_article(GENERATOR), page]
