"""Comment bodies: the Markdown subset, its sanitizing, and its bounds."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.core.bodies import MAX_NESTING
from handbill.core.comment_settings import CommentSettings
from handbill.core.policy import CommentsState
from handbill.core.records import EMAIL_REMOVED, CommentRecord
from handbill.core.redaction import published_text
from handbill_comments.rendering import (
    DISPLAY_LEVELS,
    BodyRenderer,
    comment_section,
    defuse_links,
    mailto_link,
    render_body,
    safe_website,
)
from handbill_comments.review import PostComments
from handbill_comments.threads import build_thread, walk


@pytest.fixture(scope="module")
def render():
    return BodyRenderer().render


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("Hello *there* and **you**", "<p>Hello <em>there</em> and <strong>you</strong></p>"),
        ("line one\nline two", "<p>line one<br>\nline two</p>"),
        ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("Use `a < b`", "<p>Use <code>a &lt; b</code></p>"),
        ("[site](https://example.org/x)",
         '<p><a href="https://example.org/x" rel="nofollow ugc noopener">site</a></p>'),
        ("# Not a heading", "<p># Not a heading</p>"),
        ("<b>raw</b> & more", "<p>&lt;b&gt;raw&lt;/b&gt; &amp; more</p>"),
        ("![img](https://example.org/a.png)", "<p>![img](https://example.org/a.png)</p>"),
        ("[local](/admin)", "<p><a rel=\"nofollow ugc noopener\">local</a></p>"),
        ("[x](javascript:alert(1))", "<p><a rel=\"nofollow ugc noopener\">x</a></p>"),
    ],
)
def test_subset(render, markdown, html):
    assert render(markdown) == html


def test_email_addresses_in_bodies_are_removed(render):
    html = render("Write to me at zoe.cruz+blog@example.org or <mailto:z@example.org>")
    assert "@" not in html and html.count(EMAIL_REMOVED) == 2


def test_renderer_can_be_reused(render):
    expected = '<p><a href="https://example.org/" rel="nofollow ugc noopener">a</a></p>'
    assert render("[a]: https://example.org/\n\n[a]") == expected
    assert render("[a]") == "<p>[a]</p>"


def test_safe_website_allows_only_http():
    assert safe_website("https://example.org/") == "https://example.org/"
    assert safe_website("javascript:alert(1)") == ""
    assert safe_website("") == ""


def test_mailto_names_the_post_slug():
    link = mailto_link("dana@example.com", "first-coffee", "First coffee", reply_to="c-1")
    assert link.startswith("mailto:dana@example.com?subject=Comment%20on%20first-coffee%20%28reply%20to%20c-1%29&body=")
    assert mailto_link("", "first-coffee", "First coffee") == ""


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("[a [b] c](https://example.org/)",
         '<p><a href="https://example.org/" rel="nofollow ugc noopener">a [b] c</a></p>'),
        ("[wiki](https://en.wikipedia.org/wiki/Foo_(bar))",
         '<p><a href="https://en.wikipedia.org/wiki/Foo_(bar)" rel="nofollow ugc noopener">wiki</a></p>'),
        ('[t](https://example.org/ "A title")',
         '<p><a href="https://example.org/" title="A title" rel="nofollow ugc noopener">t</a></p>'),
        ("[a][r]\n\n[r]: https://example.org/",
         '<p><a href="https://example.org/" rel="nofollow ugc noopener">a</a></p>'),
        ("Use `a[0](` and [x](https://example.org/)",
         '<p>Use <code>a[0](</code> and <a href="https://example.org/" rel="nofollow ugc noopener">x</a></p>'),
        ("[[[unclosed", "<p>[[[unclosed</p>"),
        ('[a](x"y) [b](it\'s)', '<p><a rel="nofollow ugc noopener">a</a> <a rel="nofollow ugc noopener">b</a></p>'),
    ],
)
def test_links_survive_the_defusing(render, markdown, html):
    assert render(markdown) == html


def test_bracket_runs_render_as_text(render):
    # Each of these took seconds, growing with the square of the length, before the defusing.
    assert render("[" * 5000) == "<p>" + "[" * 5000 + "</p>"
    assert render("[](" * 1000) == "<p>" + "[](" * 1000 + "</p>"
    assert render('[a](x"y) ' * 500).count("<a ") == 500


@given(st.text(alphabet='[]()"\'\\ax` \n*\ue000\ue003', max_size=300))
def test_defusing_only_swaps_link_characters_and_never_shows_a_stand_in(text):
    defused = defuse_links(text)
    assert len(defused) == len(text)
    for original, kept in zip(text, defused, strict=True):
        assert kept == original or original in "[](\"'\ue000\ue003"
    html = BodyRenderer().render(text)
    assert not any("\ue000" <= character <= "\uf8ff" for character in html)


def test_a_body_that_cannot_be_rendered_is_reported_and_the_renderer_recovers():
    renderer = BodyRenderer()
    # A lone surrogate passes Markdown, but nh3 cannot encode it: a real failure of a real body.
    html, reason = render_body(renderer, "Broken \ud800 text")
    assert html is None
    assert reason.startswith("body could not be rendered (UnicodeEncodeError: ")
    assert "\n" not in reason  # it goes into a one-line log message
    assert render_body(renderer, "Fine *again*.") == ("<p>Fine <em>again</em>.</p>", None)


def test_render_body_holds_refused_bodies_and_addresses_that_survive_rendering():
    renderer = BodyRenderer()
    nesting = f"body refused: lists and quotes may nest at most {MAX_NESTING} levels deep"
    assert render_body(renderer, "+ " * 496 + "x") == (None, nesting)
    assert render_body(renderer, "**") == (None, "body refused: the comment has no text to show")
    # A link's title is what a reader sees on hovering it: redacted, or else held.
    html, _ = render_body(renderer, '[me](https://example.org/ "dana@example.com")')
    assert html is None or "dana@example.com" not in published_text(html)


def section_of(records):
    """The CommentSection of a post with ``records`` all shown, built as the build builds it."""
    thread = build_thread(records)
    bodies = {node.record.id: "<p>x</p>" for node in walk(thread.roots)}
    post_comments = PostComments(CommentsState("open", "identified", None), thread, bodies)
    return comment_section("p", "P", post_comments, CommentSettings(service_url="https://c.example"),
                           timezone=UTC, date_format="%Y-%m-%d")


def rendered_nesting(views):
    """[(id, depth)] as the template's opens_replies and closes nest the items, and the depth left open."""
    depth, shape = 0, []
    for view in views:
        shape.append((view.id, depth))
        if view.opens_replies:
            depth += 1
        depth -= view.closes
        assert depth >= 0
    return shape, depth


@given(st.lists(st.integers(-1, 30), max_size=40))
def test_threads_nest_to_the_display_levels_and_every_list_is_closed(parents):
    # Record n answers record parents[n] when that came before it, else nothing.
    records = [
        CommentRecord(id=f"c-{n}", post="p", author="Sam Okafor", date=datetime(2024, 1, 1, tzinfo=UTC),
                      body="x", identity="email-verified", reply_to=f"c-{parent}" if 0 <= parent < n else "")
        for n, parent in enumerate(parents)
    ]
    views = section_of(records).thread
    shape, left_open = rendered_nesting(views)
    assert left_open == 0
    assert shape == [(view.id, view.depth) for view in views]
    assert len(views) == len(records)
    by_id = {view.id: view for view in views}
    for view in views:
        parent = by_id.get(view.parent_id)
        assert view.depth == (0 if parent is None else min(parent.depth + 1, DISPLAY_LEVELS - 1))
        assert view.shows_parent == (parent is not None and parent.depth == DISPLAY_LEVELS - 1)


def test_replies_deeper_than_the_page_nests_say_whom_they_answer():
    names = ["Sam Okafor", "Zoë de la Cruz"]
    chain = [
        CommentRecord(id=f"c-{n}", post="p", author=names[n % 2], date=datetime(2024, 1, 1, n, tzinfo=UTC),
                      body="x", identity="email-verified", reply_to=f"c-{n - 1}" if n else "")
        for n in range(8)
    ]
    views = section_of(chain).thread
    assert [view.depth for view in views] == [0, 1, 2, 3, 3, 3, 3, 3]
    answered = [(True, names[(n - 1) % 2]) for n in range(4, 8)]
    assert [(view.shows_parent, view.parent_author) for view in views[4:]] == answered
    assert not any(view.shows_parent for view in views[:4])
