"""Search: a Pagefind index of the posts and pages, a search page and a search box.

Every page that extends the theme's ``base.html`` gets ``search_url`` (the
search page's address, "" when search is off), for the header's search box.
Pagefind indexes the pages of published posts and pages, in every language, and
its files go to ``output/pagefind/``, a large site's in parts (``parts``): only
files whose bytes changed are written, and every one is recorded as this build's
output (``handbill.core.build_outputs``). When nothing a part indexes changed and
its files are intact, Pagefind does not run for it and its last index is kept
(``index_cache``). Then the search page is written with the theme's
``search.html`` (it gets ``search_bundle_url``, the folder of Pagefind's files,
and ``search_bundle_parts``, the folders in it of the parts that have an index).
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
from typing import NamedTuple

from pelican import signals
from pelican.generators import ArticlesGenerator, Generator, PagesGenerator, PelicanTemplateNotFound

from handbill.core import build_outputs
from handbill.core.cores import usable_cores

from .index_cache import (
    current_files,
    input_digest,
    load_record,
    pagefind_identity,
    read_pages,
    relative_entries,
    save_record,
)
from .indexing import (
    NothingToIndex,
    SearchIndexError,
    build_bundles,
    can_be_globbed,
    indexed_files,
    pagefind_command,
    publish_bundle,
)
from .parts import split_into_parts
from .settings import read_search_settings

logger = logging.getLogger(__name__)

PAGE_TEMPLATE = "search"


class IndexPart(NamedTuple):
    folder: str  # in the index's folder; "" for the first part, which is that folder
    target: str  # the same folder, relative to the output
    files: list  # the pages it indexes, relative to the output


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
        # The index first: the search page names the parts that have one.
        parts = self.write_index()
        try:
            template = self.get_template(PAGE_TEMPLATE)
        except PelicanTemplateNotFound:
            logger.error("Search: the theme has no %s.html template; no search page was written", PAGE_TEMPLATE)
            return
        writer.write_file(
            self.options.page_save_as,
            template,
            self.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            url=self.options.page_url,
            page_name="search",
            search_bundle_url=f"{self.options.output_dir.strip('/')}/",
            search_bundle_parts=[f"{folder}/" if folder else "" for folder in parts],
        )

    def write_index(self):
        """Index the posts and pages, part by part (see parts.py); returns the folders (in the
        index's folder) of the parts that have an index, in order."""
        files = []
        for name in indexed_files(self.contents):
            if can_be_globbed(name):
                files.append(name)
            else:
                logger.warning("Search: %s is not indexed: Pagefind cannot name a path with a backslash", name)
        if not files:
            logger.info("Search: no post or page to index")
            return []
        output = Path(self.output_path)
        index_folder = self.options.output_dir.strip("/")
        record_path = Path(self.settings["CACHE_PATH"]) / "handbill_search" / "index-digest.json"
        record, setup = load_record(record_path), self.index_setup()
        parts = [
            IndexPart(folder, "/".join(filter(None, (index_folder, folder))), part_files)
            for folder, part_files in split_into_parts(files, self.options.part_pages)
        ]
        kept, stale = {}, []
        for part in parts:
            try:
                digest = input_digest(setup, read_pages(output, part.files))
            except OSError:  # a page was not written: Pagefind's run names it
                digest = None
            current = current_files(record.get(part.target), digest, output)
            if current is None:
                stale.append((part, digest))
            else:
                kept[part.target] = record[part.target]
                for path in current:
                    build_outputs.record(path)
        if not stale:
            logger.info(
                "Search: no indexed page changed, so Pagefind did not run; %s is kept (%d file(s))",
                output / index_folder,
                sum(len(kept_files) for _digest, kept_files in kept.values()),
            )
            return [part.folder for part in parts]
        made, written, unchanged = self.index_parts(output, stale, record_path.parent, several=len(parts) > 1)
        for path in (*written, *unchanged):
            build_outputs.record(path)
        # A part whose pages could not all be read for its digest is published, not recorded.
        recorded = {target: (digest, entries) for target, (digest, entries) in made.items() if digest is not None}
        save_record(record_path, {**kept, **recorded})
        logger.info(
            "Search: indexed %d page(s) into %s (%d file(s) written, %d unchanged)%s",
            sum(len(part.files) for part, _digest in stale),
            output / index_folder,
            len(written),
            len(unchanged),
            f"; {len(stale)} of its {len(parts)} parts changed" if len(parts) > 1 else "",
        )
        return [part.folder for part in parts if part.target in kept or part.target in made]

    def index_parts(self, output, stale, work_parent, several):
        """Run Pagefind for the ``stale`` parts (``(IndexPart, digest)``), side by side, and move their
        bundles into the output; returns ``{target: (digest, entries)}`` of each part published (see
        index_cache), and the files written and unchanged."""
        made, written, unchanged = {}, [], []
        # Beside the cache rather than in the system's temporary folder: on the output's file
        # system as a rule, so that Pagefind's files are moved into the output, not copied.
        work_parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="work-", dir=work_parent) as workdir:
            bundles = build_bundles(
                output,
                [part.files for part, _digest in stale],
                workdir,
                workers=usable_cores(),
                exclude_selectors=self.options.exclude_selectors,
                force_language=self.options.force_language,
            )
            for (part, digest), bundle in zip(stale, bundles, strict=True):
                where = f" in {output / part.target}" if several else ""
                if isinstance(bundle, NothingToIndex):
                    logger.warning("Search: %s%s, so the search page finds nothing there", bundle, where)
                elif isinstance(bundle, SearchIndexError):
                    finds = f"none of its {len(part.files)} page(s)" if several else "nothing"
                    logger.error("Search: no index was made%s, so the search page finds %s: %s", where, finds, bundle)
                else:
                    part_written, part_unchanged, entries = publish_bundle(bundle, output / part.target)
                    written += part_written
                    unchanged += part_unchanged
                    made[part.target] = (digest, relative_entries(entries, output))
        return made, written, unchanged

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
