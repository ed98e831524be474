"""Posts that would show state leaking from one Markdown conversion into the next:
footnotes with the same label, an abbreviation defined in one post only, equal headings;
and one full of what the smarty extension rewrites."""

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
    "three.md": """\
        Title: Three's "smart" -- title...
        Slug: three
        Date: 2024-01-03
        Summary: 'Quoted' summary---with "dashes" -- and the '80s...

        "'Nested' quotes," she said. 'Single "double" single.' It's Bob's.

        An em---dash, an en -- dash, four ---- dashes, an ellipsis... and four dots....

        `it's "code" -- untouched...` but *it's* **"bold"** and [a 'link'](http://x/ "it's").

        ## The '90s: "heading's" text

        &nbsp;"entity" &mdash;'quote' \\"escaped\\" \\'escaped\\' <span title="a 'b'">raw "html"</span>

            code block's "quotes" -- stay...
        """,
}
