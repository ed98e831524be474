"""Reusing one Markdown instance gives exactly the pages a fresh instance per file gives."""

from handbill.testing.sites import project_settings

POSTS = {
    "posts/one.md": """\
        Title: One
        Date: 2024-01-01
        Summary: The *first* summary with a footnote-free "quote".

        Text with a footnote.[^a] And an [abbr] term.

        ## Same heading

        *[abbr]: abbreviation

        [^a]: Footnote of one.
        """,
    "posts/two.md": """\
        Title: Two
        Date: 2024-01-02
        Summary: Second -- summary.

        Another footnote.[^a] No abbreviation here: abbr.

        ## Same heading

        | a | b |
        |---|---|
        | 1 | 2 |

        [^a]: Footnote of two.
        """,
}


def test_reused_instance_gives_identical_pages(build_site, tmp_path):
    reusing = build_site(POSTS)
    fresh_plugins = [name for name in project_settings()["PLUGINS"] if name != "handbill_markdown_reuse"]
    from handbill.testing.sites import build

    fresh = build(tmp_path / "fresh", POSTS, {"PLUGINS": fresh_plugins})
    for page in ("posts/2024/one/index.html", "posts/2024/two/index.html", "index.html"):
        assert reusing.read(page) == fresh.read(page), page
    two = reusing.read("posts/2024/two/index.html")
    # State of one document (footnotes, abbreviations, header ids) must not leak into the next.
    assert "Footnote of one" not in two and "<abbr" not in two and 'id="same-heading_1"' not in two
    assert "Second &ndash; summary." in reusing.read("index.html")
