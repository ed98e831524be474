"""Posts that would show state leaking from one Markdown conversion into the next:
footnotes with the same label, an abbreviation defined in one post only, equal headings."""

POSTS = {
    "one.md": """\
        Title: One
        Date: 2024-01-01
        Summary: The *first* summary with a footnote-free "quote".

        Text with a footnote.[^a] And an [abbr] term.

        ## Same heading

        *[abbr]: abbreviation

        [^a]: Footnote of one.
        """,
    "two.md": """\
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
