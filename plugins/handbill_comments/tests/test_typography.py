"""Comment bodies get the typography posts get (Markdown's smarty), and nothing else changes."""

import pytest

from handbill.core.records import EMAIL_REMOVED
from handbill.core.redaction import published_text
from handbill_comments.rendering import BodyRenderer, render_body


@pytest.fixture(scope="module")
def render():
    return BodyRenderer().render


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ('"Quoted" and \'single\'', "<p>“Quoted” and ‘single’</p>"),
        ("It's the client's call", "<p>It’s the client’s call</p>"),
        ("Monday -- Friday --- every week...", "<p>Monday – Friday — every week…</p>"),
    ],
)
def test_quotes_dashes_and_ellipses_as_in_posts(render, body, shown):
    assert render(body) == shown


def test_code_keeps_what_was_typed(render):
    html = render('Run `say "hi" -- now` then:\n\n    print("done") -- ok\n')
    assert '<code>say "hi" -- now</code>' in html
    assert 'print("done") -- ok' in html


def test_links_and_their_titles_are_left_alone(render):
    html = render('See [the "guide"](https://example.org/a--b "The \'guide\'") -- please')
    assert 'href="https://example.org/a--b"' in html
    assert "title=\"The 'guide'\"" in html  # an attribute gets no curly quotes
    assert "the “guide”</a> – please" in html


def test_redaction_still_applies(render):
    html, reason = render_body(BodyRenderer(), 'Write to "dana@example.com" -- soon')
    assert reason is None
    assert "@" not in published_text(html) and EMAIL_REMOVED in html
    assert "–" in html
