import pytest

from handbill_reading_time.count import count_words, minutes_to_read, words_per_minute_problem


def test_markup_is_not_counted():
    assert count_words('<p>Meet <a href="https://x.example/long-path">people</a> in person.</p>') == 4


def test_contractions_and_hyphenated_words_are_one_word():
    assert count_words("<p>It’s a face-to-face meeting; don't skip it.</p>") == 7


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (220, 1), (221, 2), (2200, 10)])
def test_minutes_round_up_and_are_at_least_one(words, minutes):
    assert minutes_to_read("<p>" + "word " * words + "</p>", 220) == minutes


@pytest.mark.parametrize("value", [0, -5, "200", 2.5, True, None])
def test_a_reading_speed_must_be_a_positive_whole_number(value):
    assert "positive whole number" in words_per_minute_problem(value)
    assert words_per_minute_problem(200) is None


def test_a_bad_reading_speed_fails_the_build_naming_the_setting(build_site):
    site = build_site(
        {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nSome words.\n"},
        {"READING_TIME_WORDS_PER_MINUTE": "200"},
        expect_success=False,
    )
    assert site.returncode == 1
    assert "READING_TIME_WORDS_PER_MINUTE: must be a positive whole number" in " ".join(site.log.split())
    assert "Traceback" not in site.log
    assert "1 min read" in site.read("posts/2024/a/index.html")
