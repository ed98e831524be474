"""Pages rendered by workers are the pages Pelican renders in turn, and are there when the next generator runs."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.testing.plugin_site import build_in_process, build_with_only
from handbill_output_sync.parallel_writing import PageRenderError, _PageContext
from handbill_output_sync.tests import reads_written_pages

PLUGIN = "handbill_output_sync"
IN_WORKERS = {"workers": 2, "min_pages": 1}
IN_TURN = {"workers": 1}


def post(number):
    """A post linking to its neighbours by source file, so that each page resolves links for itself."""
    links = " ".join(
        f"[post {other}]({{filename}}post-{other}.md)" for other in (number - 1, number + 1) if 0 <= other < 12
    )
    return (
        f"Title: Post {number}\nDate: 2024-03-{number + 1:02d} 09:00\nSlug: post-{number}\n"
        f"Tags: tag-{number % 3}\nCategory: cat-{number % 2}\n\nText {number}, see {links}.\n"
    )


FILES = {f"post-{number}.md": post(number) for number in range(12)}
SETTINGS = {"DEFAULT_PAGINATION": 4, "ARTICLE_URL": "posts/{slug}/", "ARTICLE_SAVE_AS": "posts/{slug}/index.html"}


def tree(output):
    return {path.relative_to(output).as_posix(): path.read_bytes() for path in output.rglob("*") if path.is_file()}


@pytest.mark.parametrize("relative_urls", [False, True])
def test_pages_rendered_by_workers_are_byte_identical_to_pages_rendered_in_turn(tmp_path, relative_urls):
    settings = {**SETTINGS, "RELATIVE_URLS": relative_urls}
    in_workers = build_with_only(PLUGIN, FILES, tmp_path / "workers", PARALLEL_WRITING=IN_WORKERS, **settings)
    in_turn = build_with_only(PLUGIN, FILES, tmp_path / "in-turn", PARALLEL_WRITING=IN_TURN, **settings)
    pages = tree(in_turn.output)
    assert "index2.html" in pages and "posts/post-5/index.html" in pages
    assert tree(in_workers.output) == pages
    if relative_urls:
        assert b'href="../../posts/post-4/"' in pages["posts/post-5/index.html"]
        assert b'href="./posts/post-4/"' in pages["index2.html"]  # the same post's link, from another folder


def test_the_pages_are_written_before_the_next_generator_runs(tmp_path):
    plugins = [PLUGIN, "handbill_output_sync.tests.reads_written_pages"]
    build_in_process(FILES, tmp_path, plugins, PARALLEL_WRITING=IN_WORKERS, **SETTINGS)
    assert reads_written_pages.seen == [f"post-{number}" for number in sorted(range(12), key=str)]


def test_a_template_error_in_a_worker_fails_the_build_naming_the_page(tmp_path):
    overrides = tmp_path / "overrides"
    overrides.mkdir()
    (overrides / "article.html").write_text(
        "{% if article.slug == 'post-7' %}{{ article.no_such_attribute.fails }}{% endif %}{{ article.title }}\n"
    )
    with pytest.raises(PageRenderError, match=r"Could not render .*posts/post-7/index\.html: UndefinedError"):
        build_with_only(
            PLUGIN, FILES, tmp_path, PARALLEL_WRITING=IN_WORKERS, THEME_TEMPLATES_OVERRIDES=[str(overrides)], **SETTINGS
        )
    assert (tmp_path / "output" / "posts" / "post-6" / "index.html").read_text() == "Post 6"


def test_a_bad_setting_is_an_error_naming_it(tmp_path, caplog):
    build_with_only(PLUGIN, FILES, tmp_path, PARALLEL_WRITING={"workers": 0}, **SETTINGS)
    assert "PARALLEL_WRITING" in caplog.text and "workers" in caplog.text
    assert (tmp_path / "output" / "posts" / "post-0" / "index.html").exists()


NAMES = st.text(min_size=1, max_size=3)


@given(
    base=st.dictionaries(NAMES, st.integers()),
    dropped=st.sets(NAMES),
    replaced=st.sets(NAMES),
    added=st.dictionaries(NAMES, st.integers()),
)
def test_a_queued_page_gets_back_its_context_entry_for_entry_object_for_object(base, dropped, replaced, added):
    # Objects of their own (lists), so that "the same value" can only mean "the same object".
    base = {name: [value] for name, value in base.items()}
    localcontext = {name: value for name, value in base.items() if name not in dropped}
    for name in replaced & set(localcontext):
        localcontext[name] = [*localcontext[name]]  # equal, but another object
    localcontext.update({name: [value] for name, value in added.items()})
    kept = _PageContext(localcontext, base)
    whole = kept.whole()
    assert whole.keys() == localcontext.keys()
    assert all(whole[name] is value for name, value in localcontext.items())
    # Only what differs from the base is held apart from it.
    assert all(base.get(name) is not value for name, value in kept.own.items())
