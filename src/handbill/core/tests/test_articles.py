"""Which posts a plugin handles: published (listed, hidden, translations) and every one."""

from types import SimpleNamespace

from handbill.core.articles import draft_articles, every_article, published_articles

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
