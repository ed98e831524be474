"""Give every article a ``reading_time`` (whole minutes, at least 1).

An article whose HTML is as in the last build takes that build's word count
(``known_counts``) instead of being counted again. When most articles have no
kept count and the build's writer queues its pages (handbill_output_sync), the
words are counted in a forked process meanwhile, and every article gets its
``reading_time`` before any page is rendered (``handbill.core.page_inputs``):
at 5,000 posts the counting took 0.7 s of the build's own process, with the
other core idle.

Setting: READING_TIME_WORDS_PER_MINUTE (see README.md).
"""

import contextlib
import logging

from pelican import signals
from pelican.generators import ArticlesGenerator

from handbill.core import page_inputs
from handbill.core.articles import every_article
from handbill.core.forking import ForkedCallFailed, call_in_fork

from .count import DEFAULT_WORDS_PER_MINUTE, count_words, minutes_for, read_reading_time_settings
from .known_counts import counts_path, load_counts, save_counts, text_key

logger = logging.getLogger(__name__)


def words_per_minute_setting(settings):
    values, problems = read_reading_time_settings(settings)
    for problem in problems:
        logger.error("%s; using %d", problem, DEFAULT_WORDS_PER_MINUTE)
    return values.READING_TIME_WORDS_PER_MINUTE


def counted_words(articles, known):
    """(text key, words) of each of ``articles``, in order: the ``known`` count ({text key:
    words}) of an article whose HTML has one, else its words counted."""
    counted = []
    for article in articles:
        # The HTML as read, before Pelican resolves {filename} links: those are only in tags,
        # which are not counted. `content` would resolve them again and keep the result
        # (Pelican memoizes it), a second copy of every article's HTML in the process that
        # counts (0.7 s of it at 5,000 posts); the pages' rendering resolves them elsewhere.
        html = article._content
        key = text_key(html)
        counted.append((key, known[key] if key in known else count_words(html)))
    return counted


class _ReadingTimes:
    """The reading times of one build's articles: counted in a forked process when the pages
    are rendered later (``page_inputs``), else here at once; given to the articles by ``finish``."""

    def __init__(self, articles, settings):
        self.articles = articles
        self.words_per_minute = words_per_minute_setting(settings)
        self.path = counts_path(settings)
        self.known = load_counts(self.path)
        self._wait = None
        # Worth a process only when most articles have no kept count (a first build, or one after
        # a clean): with their counts kept, a build only reads each article's HTML for its digest.
        if page_inputs.rendering_comes_later() and len(self.known) < len(articles) / 2:
            self._wait = call_in_fork(lambda: counted_words(articles, self.known))

    def finish(self):
        counted = None
        if self._wait is not None:
            try:
                counted = self._wait()
            except ForkedCallFailed as error:
                logger.warning("Reading time: counting in another process failed (%s); counted here", error)
            self._wait = None
        if counted is None:
            counted = counted_words(self.articles, self.known)
        for article, (_key, words) in zip(self.articles, counted, strict=True):
            article.reading_time = minutes_for(words, self.words_per_minute)
        save_counts(self.path, dict(counted))

    def abandon(self):
        """The build stopped: the counting process is waited for, and nothing is kept."""
        if self._wait is not None:
            with contextlib.suppress(ForkedCallFailed):
                self._wait()
            self._wait = None


def add_reading_time(generators):
    # After all generators: plugins may still change an article's HTML before then.
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            page_inputs.finish_before_rendering(_ReadingTimes(every_article(generator), generator.settings))


def register():
    signals.all_generators_finalized.connect(add_reading_time)
