import math
import re

DEFAULT_WORDS_PER_MINUTE = 220

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(html):
    """Words of an HTML fragment's text (markup is not counted)."""
    return len(_WORD.findall(_TAG.sub(" ", html)))


def words_per_minute_problem(value):
    """Why ``value`` cannot be a reading speed, or None."""
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        return f"must be a positive whole number of words per minute, not {value!r}"
    return None


def minutes_to_read(html, words_per_minute=DEFAULT_WORDS_PER_MINUTE):
    return max(1, math.ceil(count_words(html) / words_per_minute))
