import pytest

from reading_time.count import count_words, minutes_to_read


def test_markup_is_not_counted():
    assert count_words('<p>Meet <a href="https://x.example/long-path">people</a> in person.</p>') == 4


def test_contractions_and_hyphenated_words_are_one_word():
    assert count_words("<p>It’s a face-to-face meeting; don't skip it.</p>") == 7


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (220, 1), (221, 2), (2200, 10)])
def test_minutes_round_up_and_are_at_least_one(words, minutes):
    assert minutes_to_read("<p>" + "word " * words + "</p>", 220) == minutes


def test_words_per_minute_must_be_positive():
    with pytest.raises(ValueError, match="READING_TIME_WORDS_PER_MINUTE"):
        minutes_to_read("<p>x</p>", 0)
