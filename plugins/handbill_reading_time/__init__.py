"""Give every article a ``reading_time`` (whole minutes, at least 1).

Setting: READING_TIME_WORDS_PER_MINUTE (default 220, a positive whole number).
"""

import logging

from pelican import signals
from pelican.generators import ArticlesGenerator

from .count import DEFAULT_WORDS_PER_MINUTE, minutes_to_read, words_per_minute_problem

logger = logging.getLogger(__name__)


def words_per_minute_setting(settings):
    value = settings.get("READING_TIME_WORDS_PER_MINUTE", DEFAULT_WORDS_PER_MINUTE)
    problem = words_per_minute_problem(value)
    if problem:
        logger.error("READING_TIME_WORDS_PER_MINUTE: %s; using %d", problem, DEFAULT_WORDS_PER_MINUTE)
        return DEFAULT_WORDS_PER_MINUTE
    return value


def add_reading_time(generators):
    # After all generators, so that reading `content` can resolve {filename}
    # links to pages and static files, which are known only by then.
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            words_per_minute = words_per_minute_setting(generator.settings)
            for article in (*generator.articles, *generator.drafts):
                article.reading_time = minutes_to_read(article.content, words_per_minute)


def register():
    signals.all_generators_finalized.connect(add_reading_time)
