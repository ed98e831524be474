import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill_reading_time.count import count_words, minutes_for, read_reading_time_settings
from handbill_reading_time.known_counts import COUNTS_FILE, load_counts


def test_markup_is_not_counted():
    assert count_words('<p>Meet <a href="https://x.example/long-path">people</a> in person.</p>') == 4


def test_contractions_and_hyphenated_words_are_one_word():
    assert count_words("<p>It’s a face-to-face meeting; don't skip it.</p>") == 7


@pytest.mark.parametrize(("words", "minutes"), [(0, 1), (1, 1), (220, 1), (221, 2), (2200, 10)])
def test_minutes_round_up_and_are_at_least_one(words, minutes):
    assert minutes_for(count_words("<p>" + "word " * words + "</p>"), 220) == minutes


@pytest.mark.parametrize("value", [0, -5, "200", 2.5, True, None])
def test_a_reading_speed_must_be_a_positive_whole_number(value):
    _, (problem,) = read_reading_time_settings({"READING_TIME_WORDS_PER_MINUTE": value})
    assert "positive whole number" in problem
    assert read_reading_time_settings({"READING_TIME_WORDS_PER_MINUTE": 200})[1] == []


def test_a_bad_reading_speed_fails_the_build_naming_the_setting(build_site):
    site = build_site(
        {"posts/a.md": "Title: A\nDate: 2024-01-01\n\nSome words.\n"},
        {"READING_TIME_WORDS_PER_MINUTE": "200"},
        expect_success=False,
    )
    assert site.returncode == 1
    assert "READING_TIME_WORDS_PER_MINUTE must be a positive whole number" in " ".join(site.log.split())
    assert "Traceback" not in site.log
    assert "1 min read" in site.read("posts/2024/a/index.html")


def test_hidden_posts_and_translations_get_a_reading_time(build_site):
    long_text = "word " * 500  # 500 words at 220 a minute: 3 minutes
    site = build_site(
        {
            "posts/shown.md": f"Title: Shown\nDate: 2024-01-01\nLang: en\n\n{long_text}\n",
            "posts/hidden.md": f"Title: Hidden\nDate: 2024-01-02\nStatus: hidden\n\n{long_text}\n",
            "posts/shown-fr.md": f"Title: Montré\nDate: 2024-01-01\nSlug: shown\nLang: fr\n\n{long_text}\n",
        }
    )
    pages = {path.relative_to(site.output).as_posix() for path in site.output.rglob("*.html")}
    hidden = next(page for page in pages if "hidden" in page)
    translation = next(page for page in pages if "shown" in page and "fr" in page)
    for page in (hidden, translation):
        assert "3 min read" in site.read(page), page


def test_with_pages_queued_the_words_are_counted_meanwhile_and_kept_for_the_next_build(build_site, tmp_path):
    # The project's settings queue the pages (handbill_output_sync): the words are counted in
    # a forked process while the build goes on, and every page still shows its own time.
    posts = {
        "posts/short.md": "Title: Short\nDate: 2024-01-01\n\n" + "word " * 3 + "\n",
        "posts/long.md": "Title: Long\nDate: 2024-01-02\n\n" + "word " * 500 + "\n",
    }
    site = build_site(posts)
    assert "1 min read" in site.read("posts/2024/short/index.html")
    assert "3 min read" in site.read("posts/2024/long/index.html")
    counts = tmp_path / "cache" / COUNTS_FILE
    assert sorted(load_counts(counts).values()) == [3, 500]

    site = build_site({**posts, "posts/long.md": posts["posts/long.md"].replace("word " * 500, "word " * 700)})
    assert "1 min read" in site.read("posts/2024/short/index.html")
    assert "4 min read" in site.read("posts/2024/long/index.html")
    assert sorted(load_counts(counts).values()) == [3, 700]


@given(st.text(alphabet=st.sampled_from("ab é9_'’-—<>/ =\"\n"), max_size=80))
def test_words_are_counted_as_a_plain_pattern_finds_them(html):
    words = re.compile(r"\w+(?:['’-]\w+)*")
    assert count_words(html) == len(words.findall(re.sub(r"<[^>]+>", " ", html)))
