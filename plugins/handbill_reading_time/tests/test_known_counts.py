"""Counts kept from the last build: used for an unchanged article, never for a changed one,
and a file that cannot be used only means counting again. Real builds with only this plugin."""

import json
import logging

from hypothesis import given
from hypothesis import strategies as st

from handbill.testing.plugin_site import build_with_only
from handbill_reading_time.count import COUNTING, count_words
from handbill_reading_time.known_counts import COUNTS_FILE, load_counts, save_counts, text_key
from handbill_reading_time.tests.test_alone import PLUGIN, post


def build(root, files):
    return build_with_only(PLUGIN, files, root, READING_TIME_WORDS_PER_MINUTE=100)


def minutes(site):
    return {article.slug: article.reading_time for article in site.articles}


def test_a_build_keeps_one_count_for_each_article_it_counted(tmp_path):
    site = build(tmp_path, {**post("short", 3), **post("long", 250)})
    saved = load_counts(tmp_path / "cache" / COUNTS_FILE)
    assert sorted(saved.values()) == [3, 250]
    assert {text_key(article._content): count_words(article._content) for article in site.articles} == saved


def test_an_unchanged_article_takes_the_kept_count_and_a_changed_one_is_counted(tmp_path):
    site = build(tmp_path, {**post("short", 3), **post("long", 250)})
    path = tmp_path / "cache" / COUNTS_FILE
    short = next(article for article in site.articles if article.slug == "short")
    # A count only the file can know: the next build shows it for the unchanged post.
    save_counts(path, {**load_counts(path), text_key(short._content): 1000})

    site = build(tmp_path, {**post("short", 3), **post("long", 450)})

    assert minutes(site) == {"short": 10, "long": 5}
    # The file now holds this build's counts only: the long post's old text is gone.
    assert sorted(load_counts(path).values()) == [450, 1000]


def test_counts_kept_by_another_way_of_counting_are_not_used(tmp_path):
    path = tmp_path / "cache" / COUNTS_FILE
    site = build(tmp_path, post("short", 3))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["made_by"] = "an older way"
    data["results"] = {text_key(site.articles[0]._content): 1000}
    path.write_text(json.dumps(data), encoding="utf-8")

    assert minutes(build(tmp_path, post("short", 3))) == {"short": 1}


def test_an_unreadable_file_is_a_warning_and_every_article_is_counted(tmp_path, caplog):
    path = tmp_path / "cache" / COUNTS_FILE
    path.parent.mkdir(parents=True)
    path.write_text('{"counting": ', encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger=PLUGIN):
        site = build(tmp_path, post("long", 250))

    assert minutes(site) == {"long": 3}
    assert f"{path} is unreadable" in caplog.text
    assert sorted(load_counts(path).values()) == [250]  # written again


def test_a_cache_folder_that_cannot_be_written_is_a_warning_and_the_build_goes_on(tmp_path, caplog):
    (tmp_path / "cache").mkdir()
    (tmp_path / "cache" / COUNTS_FILE.parent).write_text("a file where the folder goes", encoding="utf-8")

    with caplog.at_level(logging.WARNING, logger=PLUGIN):
        site = build(tmp_path, post("long", 250))

    assert minutes(site) == {"long": 3}
    assert "the word counts could not be kept" in caplog.text


# Whatever a damaged or hand-edited file holds, loading it gives counts or nothing, never an error.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@given(json_values, st.booleans())
def test_any_json_in_the_file_loads_as_counts_or_nothing(tmp_path_factory, value, as_counts):
    path = tmp_path_factory.mktemp("counts") / "word-counts.json"
    held = {"made_by": COUNTING, "results": value} if as_counts else value
    path.write_text(json.dumps(held), encoding="utf-8")
    loaded = load_counts(path)
    assert all(type(key) is str and type(words) is int and words >= 0 for key, words in loaded.items())
