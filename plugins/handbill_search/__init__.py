"""Search: a Pagefind index of the posts and pages, a search page and a search box.

Every page that extends the theme's ``base.html`` gets ``search_url`` (the
search page's address, "" when search is off), for the header's search box.
The search page is written with the theme's ``search.html`` (it gets
``search_bundle_url``, the folder of Pagefind's files), then Pagefind
indexes the pages of published posts and pages, in every language, and its
files go to ``output/pagefind/``: only files whose bytes changed are written,
and every one is recorded as this build's output (``handbill.core.build_outputs``).
When nothing it indexes changed and its files are intact, Pagefind does not
run at all and the last index is kept (``index_cache``).
The theme says what counts on a page (``data-pagefind-body``) and what a
result shows (``data-pagefind-meta``, such as the post's handout).

This runs as the last of the page writers (a generator's ``generate_output``),
not on ``finalized``: receivers of one signal are called in no fixed order,
and handbill_output_sync and handbill_strict_build finish the build there.

A failure is an error naming its cause; the site is built all the same, and
the search page then says that search is not available. Pages without a word
to index (a site of photo posts) are only a warning. Setting: SEARCH
(documented in README.md).
"""

import logging
import tempfile
from pathlib import Path

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, PelicanTemplateNotFound

from handbill.core import build_outputs

from .index_cache import current_files, input_digest, load_record, pagefind_identity, read_pages, save_record
from .indexing import (
    NothingToIndex,
    SearchIndexError,
    build_bundle,
    can_be_globbed,
    indexed_files,
    pagefind_command,
    publish_bundle,
)
from .settings import read_search_settings

logger = logging.getLogger(__name__)

PAGE_TEMPLATE = "search"


class SearchGenerator(Generator):
    """Writes the search page and Pagefind's index once every page is written."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.contents = []  # set by hand_over_contents: what the index holds

    def generate_context(self):
        self.options, problems = read_search_settings(self.settings)
        for problem in problems:
            logger.error("Search: %s; its default is used", problem)
        self.context["search_url"] = self.options.page_url if self.options.enabled else ""

    def generate_output(self, writer):
        if not self.options.enabled:
            return
        try:
            template = self.get_template(PAGE_TEMPLATE)
        except PelicanTemplateNotFound:
            logger.error("Search: the theme has no %s.html template; no search page was written", PAGE_TEMPLATE)
        else:
            writer.write_file(
                self.options.page_save_as,
                template,
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=self.options.page_url,
                page_name="search",
                search_bundle_url=f"{self.options.output_dir.strip('/')}/",
            )
        self.write_index()

    def write_index(self):
        files = []
        for name in indexed_files(self.contents):
            if can_be_globbed(name):
                files.append(name)
            else:
                logger.warning("Search: %s is not indexed: Pagefind cannot name a path with a backslash", name)
        if not files:
            logger.info("Search: no post or page to index")
            return
        output = Path(self.output_path)
        target = output / self.options.output_dir.strip("/")
        record_path = Path(self.settings["CACHE_PATH"]) / "handbill_search" / "index-digest.json"
        try:
            digest = input_digest(self.index_setup(), read_pages(output, files))
        except OSError:  # a page was not written: Pagefind's run names it
            digest = None
        kept = current_files(load_record(record_path), digest, output)
        if kept is not None:
            for path in kept:
                build_outputs.record(path)
            logger.info(
                "Search: no indexed page changed, so Pagefind did not run; %s is kept (%d file(s))", target, len(kept)
            )
            return
        # Beside the cache rather than in the system's temporary folder: on the output's file
        # system as a rule, so that Pagefind's files are moved into the output, not copied.
        record_path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="work-", dir=record_path.parent) as workdir:
            try:
                bundle = build_bundle(
                    output, files, workdir, self.options.exclude_selectors, self.options.force_language
                )
            except NothingToIndex as error:
                logger.warning("Search: %s, so the search page finds nothing", error)
                return
            except SearchIndexError as error:
                logger.error("Search: no index was made, so the search page finds nothing: %s", error)
                return
            written, unchanged, entries = publish_bundle(bundle, target)
        for path in (*written, *unchanged):
            build_outputs.record(path)
        if digest is not None:
            save_record(record_path, digest, output, entries)
        logger.info(
            "Search: indexed %d page(s) into %s (%d file(s) written, %d unchanged)",
            len(files),
            target,
            len(written),
            len(unchanged),
        )

    def index_setup(self):
        """Everything but the pages that the index depends on (see index_cache)."""
        return {
            "command": pagefind_command(self.options.exclude_selectors, self.options.force_language),
            "output_dir": self.options.output_dir.strip("/"),
            "pagefind": pagefind_identity(),
        }


def add_generator(pelican):
    return SearchGenerator


def hand_over_contents(generators):
    """The listed posts and pages, translations included: hidden ones stay out of the results."""
    search = next(g for g in generators if isinstance(g, SearchGenerator))
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            search.contents += [*generator.articles, *generator.translations]
        elif isinstance(generator, PagesGenerator):
            search.contents += [*generator.pages, *generator.translations]


def register():
    signals.get_generators.connect(add_generator)
    signals.all_generators_finalized.connect(hand_over_contents)
