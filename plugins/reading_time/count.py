import math
import re

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+(?:['’-]\w+)*")


def count_words(html):
    """Words of an HTML fragment's text (markup is not counted)."""
    return len(_WORD.findall(_TAG.sub(" ", html)))


def minutes_to_read(html, words_per_minute=220):
    if words_per_minute <= 0:
        raise ValueError(f"READING_TIME_WORDS_PER_MINUTE must be positive, not {words_per_minute!r}")
    return max(1, math.ceil(count_words(html) / words_per_minute))
