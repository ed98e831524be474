"""Give every article a ``reading_time`` (whole minutes, at least 1).

Setting: READING_TIME_WORDS_PER_MINUTE (default 220).
"""

from pelican import signals

from .count import minutes_to_read

DEFAULT_WORDS_PER_MINUTE = 220


def add_reading_time(generator):
    words_per_minute = generator.settings.get(
        "READING_TIME_WORDS_PER_MINUTE", DEFAULT_WORDS_PER_MINUTE
    )
    for article in (*generator.articles, *generator.drafts):
        article.reading_time = minutes_to_read(article.content, words_per_minute)


def register():
    signals.article_generator_finalized.connect(add_reading_time)
