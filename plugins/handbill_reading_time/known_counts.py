"""The last build's word counts, so that an article whose text did not change is not counted again.

Counting an article's words is a regular-expression pass over its HTML, in the
build's own process while the other core waits: at 1,000 posts about a tenth of
a second of every build, 0.7 s at 5,000. The counts are kept in
``<CACHE_PATH>/handbill_reading_time/word-counts.json``, each under the SHA-256
of the article's HTML, with a digest of how words are counted (count.py's
patterns); an article whose HTML has a known digest takes its count from there
(``handbill.core.known_results``).
"""

from pathlib import Path

from handbill.core.known_results import load_results, save_results, text_key

from .count import COUNTING

__all__ = ["COUNTS_FILE", "counts_path", "load_counts", "save_counts", "text_key"]

COUNTS_FILE = Path("handbill_reading_time") / "word-counts.json"


def counts_path(settings):
    return Path(settings["CACHE_PATH"]) / COUNTS_FILE


def _is_count(words):
    return type(words) is int and words >= 0


def load_counts(path):
    """{text key: words} saved at ``path`` by a build that counted as this one does; {} otherwise."""
    return load_results(path, COUNTING, _is_count, "every article is counted again")


def save_counts(path, counts):
    """Keep ``counts`` ({text key: words}) for the next build; a file that cannot be written is only a warning."""
    save_results(path, COUNTING, counts, "Reading time: the word counts")
