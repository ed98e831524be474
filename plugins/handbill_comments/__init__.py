"""Comments from identified people, moderated, rendered into the static pages.

Comment records (``content/comments/<post-slug>/<id>.md``, see records.py)
are read once per build, judged by the ``COMMENTS`` policy (policy.py,
review.py), rendered (rendering.py), threaded (threads.py) and attached to
each article as ``article.comment_section`` for the theme's partials
``comments.html`` and ``comment_count.html``. Held records, a body that
cannot be published among them, are logged as warnings with their reasons;
records that cannot be placed are logged as errors naming the file, which
fails the build (strict_build). Nothing held or broken is published, no
record is ever changed or deleted, and no record can stop the site building.
The build also writes ``comments/manifest.json`` for the comment service
(manifest.py), and the layout of the service's pages, ``comments/service-layout.html``
(service_layout.py).
"""

import logging
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from pelican import signals

from handbill.core import build_inputs
from handbill.core.articles import draft_articles, published_articles
from handbill.core.build_date import content_date
from handbill.core.comment_settings import CommentSettingsError, load_comment_settings
from handbill.core.policy import parse_override
from handbill.core.records import read_comment_files

from .known_bodies import KnownBodies, rendering_digest
from .known_names import KnownNames
from .manifest import build_manifest, write_manifest
from .rendering import BodyRenderer, comment_section
from .review import PostInfo, review_comments
from .service_layout import write_service_layout

logger = logging.getLogger(__name__)


def load_settings(pelican_settings):
    """COMMENTS as CommentSettings; bad keys are logged as errors and take their defaults."""
    try:
        return load_comment_settings(pelican_settings)
    except CommentSettingsError as error:
        for problem in error.problems:
            logger.error("Comments setting: %s", problem)
        return error.settings


def post_override(article):
    """The post's ``Comments:`` mode; an unknown value is an error and closes the post."""
    try:
        return parse_override(article.metadata.get("comments"))
    except ValueError as error:
        logger.error("%s: %s; comments on this post are closed until it is fixed", article.source_path, error)
        return "closed"


def collect_comments(generator, settings, now):
    """Read and review every comment record against the generator's articles.

    Returns (review, articles shown on the site). Shared by the build and
    ``invoke comments.held``.
    """
    shown = published_articles(generator)
    posts = {}
    for article in shown:
        if article.slug not in posts:  # translations follow their original's settings
            posts[article.slug] = PostInfo(article.slug, article.date, post_override(article))
    unpublished = {article.slug for article in draft_articles(generator)}
    comments_dir = Path(generator.settings["PATH"]) / settings.path
    files = read_comment_files(comments_dir) if comments_dir.is_dir() else []
    for path, _record in files:
        build_inputs.record(path)
    # Each body's and name's verdict as the last build gave it, when its text and the code are the same.
    made_by = rendering_digest()
    bodies = KnownBodies(generator.settings, BodyRenderer(), made_by)
    names = KnownNames(generator.settings, made_by)
    review = review_comments(
        files, posts, settings, now, rendered_body=bodies, judged_name=names, unpublished_slugs=unpublished
    )
    bodies.save()
    names.save()
    return review, shown


def display_path(path, pelican_settings):
    """``content/comments/<slug>/<id>.md``: short, and still names the file."""
    try:
        return str(Path(path).relative_to(Path(pelican_settings["PATH"]).parent))
    except ValueError:
        return str(path)


def attach_comments(generator):
    settings = load_settings(generator.settings)
    now = datetime.now(UTC)
    review, shown = collect_comments(generator, settings, now)
    for path, reason in review.held:
        logger.warning("Comment held: %s: %s", display_path(path, generator.settings), reason)
    for path, reason in review.broken:
        logger.error("Comment record %s: %s; it is not published", display_path(path, generator.settings), reason)

    site_zone = ZoneInfo(generator.settings["TIMEZONE"])
    date_format = generator.settings["DEFAULT_DATE_FORMAT"]
    sections, originals = {}, []
    for article in shown:
        if article.slug not in sections:
            originals.append(article)
            sections[article.slug] = comment_section(
                article.slug,
                article.title,
                review.posts[article.slug],
                settings,
                timezone=site_zone,
                date_format=date_format,
            )
        article.comment_section = sections[article.slug]

    if not (settings.service_url or settings.contact_email) and any(
        section.mode == "open" for section in sections.values()
    ):
        logger.warning(
            'Comments: neither COMMENTS["service_url"] nor COMMENTS["contact_email"] is set, '
            "so open posts offer no way to comment"
        )
    manifest = build_manifest(
        [(article, review.posts[article.slug]) for article in originals],
        generator.settings["SITEURL"],
        content_date(shown),
    )
    write_manifest(generator.output_path, manifest)
    logger.info(
        "Comments: %d published, %d held, %d broken",
        sum(section.count for section in sections.values()),
        len(review.held),
        len(review.broken),
    )


def register():
    signals.article_generator_finalized.connect(attach_comments)
    signals.all_generators_finalized.connect(write_service_layout)
