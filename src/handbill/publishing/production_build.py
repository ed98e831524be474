"""``python -m publishing.production_build SETTINGS OUTPUT REPORT``: one production build.

Runs Pelican with SETTINGS into OUTPUT (plugins, handouts and all, exactly
as ``pelican`` would) and writes REPORT (JSON): the errors that ended the
build, and every draft with the paths it would have once published. The
drafts come from Pelican's own generators, so the draft check knows exactly
what Pelican decided was a draft.
"""

import json
import logging
import sys
from pathlib import Path

from pelican import Pelican, signals
from pelican.log import init as init_logging
from pelican.settings import read_settings

from handbill.invoking import plain_log_lines


class _DraftCollector:
    def __init__(self, settings):
        self.settings = settings
        self.drafts = []

    def _record(self, content, kind):
        fields = content.url_format
        keys = [f"{kind}_SAVE_AS", f"{kind}_LANG_SAVE_AS", f"DRAFT_{'PAGE_' if kind == 'PAGE' else ''}SAVE_AS"]
        paths = {self.settings[key].format(**fields) for key in keys if self.settings.get(key)}
        self.drafts.append(
            {
                "title": content.title,
                "slug": content.slug,
                "source": content.source_path,
                "paths": sorted(paths),
                "url": self.settings[f"{kind}_URL"].format(**fields),
            }
        )

    def articles(self, generator):
        for article in (*generator.drafts, *generator.drafts_translations):
            self._record(article, "ARTICLE")

    def pages(self, generator):
        for page in (*generator.draft_pages, *getattr(generator, "draft_translations", [])):
            self._record(page, "PAGE")


def main(argv):
    settings_file, output_dir, report_file = argv
    init_logging(level=logging.WARNING)
    settings = read_settings(settings_file, override={"OUTPUT_PATH": str(Path(output_dir).resolve())})
    collector = _DraftCollector(settings)
    signals.article_generator_finalized.connect(collector.articles)
    signals.page_generator_finalized.connect(collector.pages)
    errors = []
    try:
        Pelican(settings).run()
    except Exception as error:  # noqa: BLE001 - every way a build can fail is reported the same way
        errors = list(getattr(error, "errors", None) or [f"{type(error).__name__}: {error}"])
    Path(report_file).write_text(
        json.dumps(
            {
                "errors": errors,
                "drafts": collector.drafts,
                "site_url": settings["SITEURL"],
            }
        ),
        encoding="utf-8",
    )
    return 1 if errors else 0


if __name__ == "__main__":
    # Rich's columns on a terminal; one line per message in a CI log.
    with plain_log_lines(logging.WARNING):
        sys.exit(main(sys.argv[1:]))
