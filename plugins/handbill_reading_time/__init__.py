"""Give every article a ``reading_time`` (whole minutes, at least 1).

Setting: READING_TIME_WORDS_PER_MINUTE (see README.md).
"""

import logging

from pelican import signals
from pelican.generators import ArticlesGenerator

from handbill.core.articles import every_article

from .count import DEFAULT_WORDS_PER_MINUTE, minutes_to_read, read_reading_time_settings

logger = logging.getLogger(__name__)


def words_per_minute_setting(settings):
    values, problems = read_reading_time_settings(settings)
    for problem in problems:
        logger.error("%s; using %d", problem, DEFAULT_WORDS_PER_MINUTE)
    return values.READING_TIME_WORDS_PER_MINUTE


def add_reading_time(generators):
    # After all generators, so that reading `content` can resolve {filename}
    # links to pages and static files, which are known only by then.
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            words_per_minute = words_per_minute_setting(generator.settings)
            for article in every_article(generator):
                article.reading_time = minutes_to_read(article.content, words_per_minute)


def register():
    signals.all_generators_finalized.connect(add_reading_time)
