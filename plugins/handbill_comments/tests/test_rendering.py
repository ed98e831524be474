"""Comment bodies: the Markdown subset and its sanitizing."""

import pytest

from handbill.core.records import EMAIL_REMOVED
from handbill_comments.rendering import BodyRenderer, mailto_link, safe_website


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
