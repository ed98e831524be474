"""``invoke comments.held``: list the comment records that are not published, and why.

The project's tasks.py merges this ``comments`` namespace with the comment
service's (``handbill.comment_service.tasks``): one topic for the blogger.

It reads the posts as the build does (Pelican's article generator, without
writing anything) and reviews the records with the same code, so its answer
is what the next build will do.
"""

import sys
from datetime import UTC, datetime

from invoke import Collection, Exit, task

from handbill.invoking import project_file


def review_site(settings_file):
    """(review, pelican settings) for the site that ``settings_file`` describes."""
    from pelican.generators import ArticlesGenerator
    from pelican.settings import read_settings

    from . import collect_comments, load_settings

    settings = read_settings(str(settings_file))
    context = {**settings, "generated_content": {}, "static_links": set(), "static_content": {}}
    generator = ArticlesGenerator(
        context=context,
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],
    )
    generator.generate_context()
    review, _ = collect_comments(generator, load_settings(settings), datetime.now(UTC))
    return review, settings


@task(help={"settings": "settings file (default: pelicanconf.py)"})
def held(c, settings="pelicanconf.py"):
    """List held comment records with their reasons, and broken ones (exit 1 if any is broken)."""
    from . import display_path

    review, pelican_settings = review_site(project_file(c, settings))
    published = sum(post.thread.count for post in review.posts.values())
    print(f"{published} published, {len(review.held)} held, {len(review.broken)} broken")
    for title, entries in (("Held", review.held), ("Broken (fix these)", review.broken)):
        if entries:
            print(f"\n{title}:")
            for path, reason in entries:
                print(f"  {display_path(path, pelican_settings)}: {reason}")
    sys.stdout.flush()
    if review.broken:
        raise Exit(code=1)


namespace = Collection("comments", held)
