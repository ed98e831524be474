"""The last build's word counts, so that an article whose text did not change is not counted again.

Counting an article's words is a regular-expression pass over its HTML, in the
build's own process while the other core waits: at 1,000 posts about a tenth of
a second of every build, 0.7 s at 5,000. The counts are kept in
``<CACHE_PATH>/handbill_reading_time/word-counts.json``, each under the SHA-256
of the article's HTML, with a digest of how words are counted (count.py's
patterns); an article whose HTML has a known digest takes its count from there.
A missing, unreadable or differently counted file only means that every
article is counted again. Only the running build's counts are saved, so the
file holds no more than the site.
"""

import hashlib
import json
import logging
from pathlib import Path

from handbill.core.atomic import write_text_if_changed

from .count import COUNTING

logger = logging.getLogger(__name__)

COUNTS_FILE = Path("handbill_reading_time") / "word-counts.json"


def counts_path(settings):
    return Path(settings["CACHE_PATH"]) / COUNTS_FILE


def text_key(html):
    """What a count is kept under: the SHA-256 (hex) of the article's HTML."""
    return hashlib.sha256(html.encode("utf-8", "surrogatepass")).hexdigest()


def load_counts(path):
    """{text key: words} saved at ``path`` by a build that counted as this one does; {} otherwise."""
    try:
        saved = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        logger.warning("Reading time: %s is unreadable (%s); every article is counted again", path, error)
        return {}
    if not isinstance(saved, dict) or saved.get("counting") != COUNTING or not isinstance(saved.get("counts"), dict):
        return {}
    return {key: words for key, words in saved["counts"].items() if type(words) is int and words >= 0}


def save_counts(path, counts):
    """Keep ``counts`` ({text key: words}) for the next build; a file that cannot be written is only a warning."""
    text = json.dumps({"counting": COUNTING, "counts": counts}, sort_keys=True, separators=(",", ":"))
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        write_text_if_changed(path, text + "\n")
    except OSError as error:
        logger.warning("Reading time: the word counts could not be kept in %s (%s)", path, error)
