"""A small site with production settings, published by the tests to local targets."""

import shutil
from datetime import UTC, datetime

from handbill.core.records import CommentRecord, format_record
from handbill.testing.sites import write_site

SITE_URL = "https://dana.example.test"

PUBLISHED_COMMENT = CommentRecord(
    id="c-20240302-0900-aaaa01",
    post="first-post",
    author="Jane Harper",
    date=datetime(2024, 3, 2, 9, 0, tzinfo=UTC),
    body="Thank you, this was the nudge I needed before the conference.",
    identity="email-verified",
)
HELD_COMMENT = CommentRecord(
    id="c-20240303-1000-bbbb02",
    post="first-post",
    author="Cheap Deals",
    date=datetime(2024, 3, 3, 10, 0, tzinfo=UTC),
    body="Amazing discounts on designer watches available right now online",
    identity="imported",
    status="held",
    held_reason="marked as spam on WordPress",
)


def post(title, slug, date, body, status="published"):
    return (
        f"Title: {title}\nDate: {date}\nSlug: {slug}\nCategory: Networking\nTags: events\n"
        f"Summary: About {title.lower()}.\nStatus: {status}\nHandout: no\nComments: open\n\n{body}\n"
    )


def site_files():
    return {
        "posts/first-post.md": post(
            "First Post", "first-post", "2024-03-01 09:00", "Read [the second post]({filename}second-post.md)."
        ),
        "posts/second-post.md": post("Second Post", "second-post", "2024-04-01 09:00", "Second body."),
        "posts/secret-plans.md": post(
            "Secret Plans", "secret-plans", "2024-05-01 09:00", "Not for anyone yet.", status="draft"
        ),
        f"comments/first-post/{PUBLISHED_COMMENT.id}.md": format_record(PUBLISHED_COMMENT),
        f"comments/first-post/{HELD_COMMENT.id}.md": format_record(HELD_COMMENT),
    }


class Site:
    """A site folder with a production settings file whose PUBLISH the test chooses."""

    def __init__(self, root):
        self.root = root
        self.files = site_files()
        self.settings = {"SITEURL": SITE_URL, "FEED_DOMAIN": SITE_URL}

    def write(self, publish):
        """(Re)write the content and a settings file with ``PUBLISH = publish``; the settings file."""
        shutil.rmtree(self.root / "content", ignore_errors=True)
        _, _, settings_file = write_site(
            self.root, self.files, {**self.settings, "PUBLISH": publish}, base_settings="publishconf.py"
        )
        return settings_file
