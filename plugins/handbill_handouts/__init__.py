"""Handouts: selected posts as branded, printable PDFs (WeasyPrint).

A post opts in with ``Handout: yes`` (or by tag/category, see README.md).
Each handout is written to ``output/handouts/<slug>.pdf`` with a PNG preview
of its first page; the article gets ``article.handout`` (url, pages, size)
and ``handouts/index.html`` lists them all (its address is
``context["handouts_index_url"]``, "" when there is none). Each event of the handbill_events
plugin (``context["events"]``) gets an edition of the posts it lists in
``handouts/events/<event-slug>/``, given to its page as
``context["event_handouts"]``. Settings: HANDOUTS, HANDOUT_EVENT,
HANDOUT_PRINT_PACK (documented in README.md); the brand is BRAND, read by the
handbill_brand plugin's loader (that plugin need not be registered).
"""

import logging

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator

from handbill.core import page_inputs
from handbill.core.articles import every_article, published_articles

from .build import HandoutBuild, asks_for_handout, start_rendering_early
from .settings import HandoutSettingsError, read_settings, requested_selection

logger = logging.getLogger(__name__)

INDEX_TEMPLATE = "handouts"


class HandoutsIndexGenerator(Generator):
    """Writes the handouts index page (``<output_dir>/index.html``) with the
    theme's ``handouts.html``; the handouts are filled in by ``build_handouts``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.handouts = []  # set when the handouts are finished (see build_handouts)
        self.output_dir = None  # set by build_handouts when there is an index to write

    def generate_output(self, writer):
        if self.output_dir is None:
            return
        page_inputs.finish_all()  # the handouts it lists
        writer.write_file(
            f"{self.output_dir}/index.html",
            self.get_template(INDEX_TEMPLATE),
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=f"{self.output_dir}/",
            page_name="handouts",
            handouts=self.handouts,
        )


def add_index_generator(pelican):
    return HandoutsIndexGenerator


# Rendering processes started when the build's posts were read (start_rendering), until
# build_handouts takes them; one build at a time per process, as Pelican's own state.
_early_processes = None


def start_rendering(articles_generator):
    """Start the rendering processes as soon as the posts are read, when the build surely
    renders handouts (``start_rendering_early``); processes a stopped build left are ended."""
    global _early_processes  # noqa: PLW0603 - see _early_processes
    _end_early_processes()
    try:
        settings = read_settings(articles_generator.context)
    except HandoutSettingsError:
        return  # reported by build_handouts
    lang = articles_generator.settings.get("DEFAULT_LANG", "en")
    _early_processes = start_rendering_early(settings, published_articles(articles_generator), lang)


def _taken_early_processes():
    global _early_processes
    processes, _early_processes = _early_processes, None
    return processes


def _end_early_processes():
    processes = _taken_early_processes()
    if processes is not None:
        processes.close(cancel=True)


def build_handouts(generators):
    try:
        _build_handouts(generators)
    finally:
        _end_early_processes()  # when no handout build took them (bad settings, say)


def _build_handouts(generators):
    articles_generator = next(g for g in generators if isinstance(g, ArticlesGenerator))
    index_generator = next(g for g in generators if isinstance(g, HandoutsIndexGenerator))
    # Pelican made the post's `Handout: yes/no` metadata the attribute
    # `handout`; templates expect the built handout there, or None.
    for article in every_article(articles_generator):
        article.handout = None
    # Drafts never get handouts.
    published = published_articles(articles_generator)
    try:
        # The context, not the settings: the brand is read once per build and kept there.
        settings = read_settings(articles_generator.context)
    except HandoutSettingsError as error:
        selection = requested_selection(articles_generator.settings)
        if selection is None or any(asks_for_handout(article, *selection) for article in published):
            for problem in error.problems:
                logger.error("Handouts: %s; no handout was built", problem)
        else:
            logger.info("Handouts: no post asks for one, so their settings are not used: %s", error)
        return
    build = HandoutBuild(settings, articles_generator.context, processes=_taken_early_processes())
    build.start(published)
    # What each page's context is copied from is set now; what only their rendering
    # needs comes when the handouts are finished.
    if build.has_index:
        index_generator.output_dir = settings.output_dir
    # For the theme's navigation: the handouts index, when there is one to link to.
    articles_generator.context["handouts_index_url"] = f"{settings.output_dir}/" if build.has_index else ""
    # For the event pages (handbill_events): each event's handouts, by its slug.
    articles_generator.context["event_handouts"] = build.event_handouts
    page_inputs.finish_before_rendering(_FinishingHandouts(build, index_generator))


class _FinishingHandouts:
    """The build's handouts, rendered by worker processes while Pelican's writer queues the
    pages (handbill_output_sync), and finished before any page is rendered."""

    def __init__(self, build, index_generator):
        self.build, self.index_generator = build, index_generator

    def finish(self):
        self.index_generator.handouts = self.build.finish()

    def abandon(self):
        self.build.abandon()


def register():
    signals.get_generators.connect(add_index_generator)
    signals.article_generator_pretaxonomy.connect(start_rendering)
    signals.all_generators_finalized.connect(build_handouts)
