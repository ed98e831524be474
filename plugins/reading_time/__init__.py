"""Give every article a ``reading_time`` (whole minutes, at least 1).

Setting: READING_TIME_WORDS_PER_MINUTE (default 220).
"""

from pelican import signals
from pelican.generators import ArticlesGenerator

from .count import minutes_to_read

DEFAULT_WORDS_PER_MINUTE = 220


def add_reading_time(generators):
    # After all generators, so that reading `content` can resolve {filename}
    # links to pages and static files, which are known only by then.
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            words_per_minute = generator.settings.get(
                "READING_TIME_WORDS_PER_MINUTE", DEFAULT_WORDS_PER_MINUTE
            )
            for article in (*generator.articles, *generator.drafts):
                article.reading_time = minutes_to_read(article.content, words_per_minute)


def register():
    signals.all_generators_finalized.connect(add_reading_time)
