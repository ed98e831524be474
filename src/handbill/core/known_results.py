"""Results a build keeps for the next one, each under the digest of what it was made from.

A plugin whose work on a piece of text depends on that text alone (and on how
the work is done) keeps each result in a JSON file under the cache folder,
keyed by the SHA-256 of the text, beside a digest of how the results are made
(``made_by``); the next build takes the result for an unchanged text instead
of working it out again. A missing, unreadable or differently made file only
means working everything out again. Only the running build's results are
saved, so the file holds no more than the site.

The file is trusted as the rest of the cache folder is (Pelican's content cache
holds pickles): whoever can write there can change the site anyway.
"""

import hashlib
import json
import logging
from pathlib import Path

from .atomic import write_text_if_changed

logger = logging.getLogger(__name__)


def text_key(text):
    """What a result is kept under: the SHA-256 (hex) of the text it was made from."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def load_results(path, made_by, fits, redone):
    """{text key: result} saved at ``path`` by a build whose results were ``made_by`` the same
    way, each result one that ``fits`` (a predicate); {} otherwise. ``redone`` says, for the
    warning about an unreadable file, what the build does instead."""
    try:
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("%s is unreadable (%s); %s", path, error, redone)
        return {}
    if not isinstance(saved, dict) or saved.get("made_by") != made_by or not isinstance(saved.get("results"), dict):
        return {}
    return {key: result for key, result in saved["results"].items() if fits(result)}


def save_results(path, made_by, results, what):
    """Keep ``results`` ({text key: JSON-able result}) for the next build; a file that cannot be
    written is only a warning, naming ``what`` the results are."""
    text = json.dumps({"made_by": made_by, "results": results}, sort_keys=True, separators=(",", ":"))
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_text_if_changed(path, text + "\n")
    except OSError as error:
        logger.warning("%s could not be kept in %s (%s)", what, path, error)


class KeptResults:
    """``work(text)`` for each text a build asks about, taken from the results kept at ``path``
    when one was made from the same text the same way (``made_by``) and still ``holds`` (for a
    result that depends on more than its text, such as files found on disk); ``save`` keeps
    this build's results for the next. Results are JSON values that ``fits``; ``what`` and
    ``redone`` word the warnings (see ``save_results`` and ``load_results``)."""

    def __init__(self, path, made_by, work, fits, *, what, redone, holds=None):
        self.path, self.made_by, self.work, self.what = Path(path), made_by, work, what
        self.holds = holds
        self.known = load_results(self.path, made_by, fits, redone)
        self.results = {}  # {text key: result} of this build's texts
        self.worked_out = 0  # results worked out rather than known, for tests and the bench

    def __call__(self, text):
        key = text_key(text)
        result = self.known.get(key)
        if result is None or (self.holds is not None and not self.holds(result)):
            result = self.work(text)
            self.worked_out += 1
        self.results[key] = result
        return result

    def save(self):
        save_results(self.path, self.made_by, self.results, self.what)
