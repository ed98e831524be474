"""Content for the comments plugin's site-building tests: posts and raw comment records.

Records are written as text here, not through records.format_record, so the
tests can also write the broken and hostile records a hand edit might produce.
"""

import lxml.html

FIELD_ORDER = ("Id", "Post", "Author", "Website", "Date", "Reply-To", "Identity", "Status", "Held-Reason", "Source")


def post(slug, date="2024-01-10 09:00", comments=None, title=None, body="A post about meeting people."):
    lines = [f"Title: {title or slug.replace('-', ' ').title()}", f"Date: {date}", f"Slug: {slug}"]
    if comments:
        lines.append(f"Comments: {comments}")
    return {f"posts/{slug}.md": "\n".join(lines) + "\n\n" + body + "\n"}


def comment(post, id, author="Sam Okafor", date="2024-01-11T10:00:00+00:00", body=None,
            *, identity="email-verified", status="published", **fields):
    """One record file; ``fields`` by file key with underscores (Reply_To="c-1")."""
    values = {
        "Id": id, "Post": post, "Author": author, "Date": date, "Identity": identity, "Status": status,
        **{key.replace("_", "-"): value for key, value in fields.items()},
    }
    header = "\n".join(f"{key}: {values[key]}" for key in FIELD_ORDER if key in values)
    return {f"comments/{post}/{id}.md": f"{header}\n\n{body or f'Body of {id}.'}\n"}


def site(*parts):
    files = {}
    for part in parts:
        files.update(part)
    return files


def article_path(slug, year=2024):
    return f"posts/{year}/{slug}/index.html"


def thread_shape(html):
    """[(comment id, depth)] in document order, from the built page."""
    tree = lxml.html.fromstring(html)
    return [
        (li.get("id").removeprefix("comment-"), len(li.xpath("ancestor::li[contains(@class, 'comment')]")))
        for li in tree.xpath("//section[@id='comments']//li[contains(concat(' ', @class, ' '), ' comment ')]")
    ]


def comment_count_links(html):
    """{article href: count text} of the byline comment counts on a page."""
    tree = lxml.html.fromstring(html)
    return {a.get("href"): a.text_content().strip() for a in tree.xpath("//a[@class='comment-count']")}
