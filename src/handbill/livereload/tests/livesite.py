"""A small site with the project's settings, served by a live reload child process."""

from contextlib import contextmanager

from handbill.livereload.child import spawn
from handbill.testing.sites import write_site


def post(number, body, date=None):
    return (
        f"Title: Post number {number}\n"
        f"Date: {date or f'2023-0{number}-10 09:00'}\n"
        f"Slug: post-{number}\n"
        "Category: In Person\n"
        "Tags: events\n\n"
        f"{body}\n"
    )


FILES = {
    **{f"posts/p{number}.md": post(number, f"The first words of post {number}.") for number in (1, 2, 3)},
    "pages/about.md": "Title: About\nSlug: about\n\nMe.\n",
}


@contextmanager
def live_site(root):
    """(content folder, running LiveReloadProcess) for FILES under ``root``."""
    content, _output, settings_file = write_site(root, FILES)
    live = spawn(settings_file, env={"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"})
    try:
        yield content, live
    finally:
        live.stop()
