"""Which of an ArticlesGenerator's posts a plugin handles.

Pelican keeps a post in one of six lists by its status and language: listed
(``articles``), ``hidden_articles`` and ``drafts``, each with its
translations beside it. A plugin that walks only ``articles`` silently misses
hidden posts and translations, whose pages are written all the same; these
helpers name the two sets plugins actually want. Pages are kept the same way
by PagesGenerator (``CONTENT_LISTS`` names both generators' lists).
"""

# The lists a generator keeps its content objects in, by kind, as ArticlesGenerator and
# PagesGenerator name them: published, then hidden, then drafts, each with its translations.
CONTENT_LISTS = {
    "article": ("articles", "hidden_articles", "translations", "hidden_translations", "drafts", "drafts_translations"),
    "page": ("pages", "hidden_pages", "translations", "hidden_translations", "draft_pages", "draft_translations"),
}


def published_articles(generator):
    """Every post the build publishes: listed and hidden, in every language.

    Hidden posts are not in the indexes and feeds but have their own page, so
    they are published for anything that appears on that page (comments,
    handouts, reading time). Drafts are not included.
    """
    return [
        *generator.articles,
        *generator.hidden_articles,
        *generator.translations,
        *generator.hidden_translations,
    ]


def draft_articles(generator):
    """Every draft, in every language: written to the drafts folder, never published."""
    return [*generator.drafts, *generator.drafts_translations]


def every_article(generator):
    """``published_articles`` followed by ``draft_articles``: every post the build reads.

    For what a template may show on any post page, drafts included (a
    reading time, or ``handout = None``), so no template meets a post
    without the attribute.
    """
    return [*published_articles(generator), *draft_articles(generator)]


def every_content(generators):
    """Every content object the ``generators`` keep in any of ``CONTENT_LISTS``, each once, in order."""
    names = dict.fromkeys(name for kind in CONTENT_LISTS.values() for name in kind)
    seen, contents = set(), []
    for generator in generators:
        for name in names:
            for content in getattr(generator, name, None) or ():
                if id(content) not in seen:
                    seen.add(id(content))
                    contents.append(content)
    return contents
