"""Keep each README's settings tables generated from the settings dataclasses.

A README asks for a table with a block such as::

    <!-- settings-table: COMMENTS -->
    <!-- /settings-table -->

``python -m handbill.core.settings_docs`` rewrites every such block under the
project from the code; with ``--check`` it only reports the READMEs that are
out of date (the tests do the same), so a changed default or doc string cannot
leave the README behind.
"""

import argparse
import importlib
import re
import sys
from pathlib import Path

from handbill.core.settings import render_table

PROJECT_ROOT = Path(__file__).resolve().parents[3]

# Block name → (module, settings class, the Pelican setting it reads, top-level keys shown or None).
TABLES = {
    "BRAND": ("handbill_brand.settings", "BrandOptions", "BRAND", None),
    "COMMENTS": ("handbill.core.comment_settings", "CommentSettings", "COMMENTS", None),
    "COMMENT_SERVICE": ("handbill.comment_service.config", "ServiceOptions", "COMMENT_SERVICE", None),
    "EVENTS": ("handbill_events.settings", "EventOptions", "EVENTS", None),
    "HANDOUTS": ("handbill_handouts.settings", "HandoutOptions", "HANDOUTS", None),
    "HANDOUT_EVENT": (
        "handbill_handouts.settings", "GivenHandoutSettings", None, ("HANDOUT_EVENT", "HANDOUT_PRINT_PACK"),
    ),
    "HANDOUT_PRINT_SHOP": ("handbill_handouts.settings", "PrintShopOptions", "HANDOUT_PRINT_SHOP", None),
    "REDIRECTS": ("handbill_redirects.settings", "RedirectSettings", "REDIRECTS", None),
    "PARALLEL_READING": ("handbill_parallel_reading.settings", "ParallelReadingSettings", "PARALLEL_READING", None),
    "SEARCH": ("handbill_search.settings", "SearchSettings", "SEARCH", None),
    "PUBLISH": ("handbill.publishing.settings", "PublishSettings", "PUBLISH", None),
    "READING_TIME": ("handbill_reading_time.count", "ReadingTimeSettings", None, None),
    "OUTPUT_KEEP": ("handbill_output_sync.settings", "OutputSyncSettings", None, None),
    "PARALLEL_WRITING": ("handbill_output_sync.settings", "ParallelWritingSettings", "PARALLEL_WRITING", None),
}

_BLOCK = re.compile(
    r"(?P<open><!-- settings-table: (?P<name>[A-Z_]+) -->\n)(?P<body>.*?)(?P<close><!-- /settings-table -->)",
    re.S,
)
_SKIPPED_FOLDERS = {".venv", ".git", "node_modules", "output", "__pycache__"}


def table_for(name):
    """The Markdown table for block ``name``; KeyError names the blocks there are."""
    if name not in TABLES:
        raise KeyError(f"no settings table named {name!r} (known: {', '.join(TABLES)})")
    module, class_name, setting_name, keys = TABLES[name]
    cls = getattr(importlib.import_module(module), class_name)
    return render_table(cls, setting_name, keys)


def rewritten(text):
    """``text`` with every settings-table block regenerated."""
    return _BLOCK.sub(lambda match: match["open"] + table_for(match["name"]) + match["close"], text)


def readmes(root=PROJECT_ROOT):
    """Every README.md under ``root`` that has a settings-table block."""
    found = []
    for path in sorted(Path(root).rglob("README.md")):
        if _SKIPPED_FOLDERS.intersection(path.relative_to(root).parts):
            continue
        if _BLOCK.search(path.read_text(encoding="utf-8")):
            found.append(path)
    return found


def stale_readmes(root=PROJECT_ROOT, write=False):
    """The READMEs whose tables differ from the code; rewritten first when ``write``."""
    stale = []
    for path in readmes(root):
        text = path.read_text(encoding="utf-8")
        fresh = rewritten(text)
        if fresh != text:
            stale.append(path)
            if write:
                path.write_text(fresh, encoding="utf-8")
    return stale


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date READMEs (exit 1)")
    arguments = parser.parse_args(argv)
    stale = stale_readmes(write=not arguments.check)
    for path in stale:
        verb = "is out of date" if arguments.check else "updated"
        print(f"{path.relative_to(PROJECT_ROOT)}: settings table {verb}")
    return 1 if stale and arguments.check else 0


if __name__ == "__main__":
    sys.exit(main())
