"""handbill_comments on its own: no other Handbill plugin, Handbill's theme.

The plugin attaches ``article.comment_section`` to each article; only a theme
that includes it shows comments. Pelican's default theme does not, so this
build uses Handbill's theme (theme/templates/partials/comments.html), which
needs no other plugin. Minimum settings: COMMENTS with a ``service_url`` (or a
``contact_email``), and ARTICLE_PATHS kept away from the records in
content/comments/<post-slug>/<id>.md, which Pelican would otherwise read as posts.
"""

import re

from handbill.testing.plugin_site import THEME, assert_alone, build_with_only
from handbill_comments.tests.sitecontent import comment, post, site, thread_shape

PLUGIN = "handbill_comments"

# Any address, written plainly or as a mailto: link.
EMAIL_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_a_published_comment_is_rendered_and_no_email_address_ever_is(tmp_path):
    files = site(
        post("first-coffee"),
        comment(
            "first-coffee",
            "c-1",
            author="Zoë de la Cruz",
            body="Thanks, this helped. Write to me at zoe@example.org any time.",
        ),
        comment("first-coffee", "c-2", author="Sam Okafor", Reply_To="c-1", body="Same here."),
        comment("first-coffee", "c-3", author="Held Person", status="held", body="Not yet."),
    )
    built = build_with_only(
        PLUGIN,
        files,
        tmp_path,
        THEME=str(THEME),
        ARTICLE_PATHS=["posts"],
        COMMENTS={"service_url": "https://comments.example.com", "contact_email": ""},
    )
    assert_alone(built, PLUGIN)
    [article] = built.articles
    assert article.comment_section.count == 2

    html = built.read("first-coffee.html")
    assert thread_shape(html) == [("c-1", 0), ("c-2", 1)]
    assert "Zoë de la Cruz" in html and "Thanks, this helped." in html
    assert "Write to me at [email address removed] any time." in html
    assert "Held Person" not in html and "Not yet." not in html
    assert 'action="https://comments.example.com/comments"' in html
    assert not EMAIL_ADDRESS.findall(html)
    # Nor anywhere else in the site (feeds, index, the service's manifest).
    for path in built.output.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json"}:
            assert "zoe@example.org" not in path.read_text(encoding="utf-8"), path
