import hashlib
import math
import re
from dataclasses import dataclass

from handbill.core.settings import at_least, collect_settings, setting

DEFAULT_WORDS_PER_MINUTE = 220

_TAG = re.compile(r"<[^>]+>")
# Possessive: a word ends where it ends, so the engine never tries it shorter (a third faster).
_WORD = re.compile(r"\w++(?:['’-]\w++)*+")
_SPEED = "a positive whole number of words per minute"
# How words are counted, for counts kept from one build to the next (known_counts): other
# patterns, other counts.
COUNTING = hashlib.sha256(f"{_TAG.pattern}\0{_WORD.pattern}".encode()).hexdigest()


@dataclass(frozen=True)
class ReadingTimeSettings:
    # One top-level Pelican setting, so the fields carry the settings' own names.
    READING_TIME_WORDS_PER_MINUTE: int = setting(
        DEFAULT_WORDS_PER_MINUTE,
        "reading speed used to turn an article's word count into whole minutes (at least 1)",
        at_least(1, _SPEED),
        expect=_SPEED,
        example=200,
    )


def count_words(html):
    """Words of an HTML fragment's text (markup is not counted)."""
    return _WORD.subn("", _TAG.sub(" ", html))[1]  # counted without a list of the words


def read_reading_time_settings(settings):
    """``(ReadingTimeSettings, problems)`` from the Pelican settings; bad values keep the default."""
    return collect_settings(ReadingTimeSettings, settings)


def minutes_for(words, words_per_minute=DEFAULT_WORDS_PER_MINUTE):
    """Whole minutes to read ``words`` words, at least 1."""
    return max(1, math.ceil(words / words_per_minute))
