"""Give every article a ``reading_time`` (whole minutes, at least 1).

An article whose HTML is as in the last build takes that build's word count
(``known_counts``) instead of being counted again.

Setting: READING_TIME_WORDS_PER_MINUTE (see README.md).
"""

import logging

from pelican import signals
from pelican.generators import ArticlesGenerator

from handbill.core.articles import every_article

from .count import DEFAULT_WORDS_PER_MINUTE, count_words, minutes_for, read_reading_time_settings
from .known_counts import counts_path, load_counts, save_counts, text_key

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
            path = counts_path(generator.settings)
            known, counts = load_counts(path), {}
            for article in every_article(generator):
                html = article.content
                key = text_key(html)
                words = counts[key] = known[key] if key in known else count_words(html)
                article.reading_time = minutes_for(words, words_per_minute)
            save_counts(path, counts)


def register():
    signals.all_generators_finalized.connect(add_reading_time)
