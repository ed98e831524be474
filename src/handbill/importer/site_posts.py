"""The posts and pages already in a site, read by Pelican's own readers with the site's settings.

A Disqus export imported on its own attaches its threads to these, so each
must carry the slug, date and kind the build will give it: the slug from
``Slug:`` or as ``SLUGIFY_SOURCE`` and the slug settings make it, the date in
the site's ``TIMEZONE``, the kind from ``ARTICLE_PATHS`` and ``PAGE_PATHS``.
Only the files the build reads are read, found by Pelican's own generator
rules (paths, excludes, ``IGNORE_FILES``, readers' extensions); the comments
folder never is.
"""

import os
from dataclasses import dataclass
from pathlib import Path

from pelican.contents import Article, Page
from pelican.generators import Generator
from pelican.readers import Readers
from pelican.settings import read_settings

from .model import ImportedPost

CONTENT_CLASSES = {"article": Article, "page": Page}


@dataclass(frozen=True)
class SitePosts:
    targets: list  # [(ImportedPost, slug)]
    problems: list  # [str] one per file that cannot be used, naming it


def default_site_settings(content_dir):
    """Pelican's default settings for a site whose content is in ``content_dir``."""
    return read_settings(override={"PATH": str(content_dir), "TIMEZONE": "UTC"})


def site_sources(settings, comments_dir):
    """[(path under the content folder, "article" or "page")] of every file the build reads,
    found by Pelican's own rules (``Generator.get_files``), the comments folder left out."""
    finder = Generator(
        context={},
        settings=settings,
        path=settings["PATH"],
        theme=settings["THEME"],
        output_path=settings["OUTPUT_PATH"],
    )
    comments = Path(comments_dir).resolve()

    def sources(paths, excludes):
        found = finder.get_files(paths, exclude=excludes)
        return sorted(
            os.path.normpath(path) for path in found if comments not in Path(settings["PATH"], path).resolve().parents
        )

    articles = sources(settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"])
    pages = sources(settings["PAGE_PATHS"], settings["PAGE_EXCLUDES"])
    # A file under both kinds of path is read by both generators; its comments go to the article.
    read_as_articles = set(articles)
    return [(source, "article") for source in articles] + [
        (source, "page") for source in pages if source not in read_as_articles
    ]


def post_of(content, kind):
    """The ImportedPost (what matching and judging comments need) of a Pelican content object."""
    metadata = content.metadata
    return ImportedPost(
        source_id="",
        kind=kind,
        title=content.title,
        slug=content.slug,
        # Pages often have no date; comments on a page are only reported, never judged.
        date=getattr(content, "date", None),
        author=str(getattr(content, "author", "") or ""),
        body_html="",
        status=content.status,
        comments_open=str(metadata.get("comments", "")).strip().lower() != "closed",
        old_urls=tuple(str(metadata.get("redirect-from", "")).split()),
    )


def read_site_posts(settings, comments_dir, readers=None):
    """SitePosts of the site with Pelican ``settings``: one post per file the build reads.

    A file that cannot be read (a broken header) or that the build would skip
    (an article without a title or date) is a problem naming it; the others
    are read all the same.
    """
    readers = readers or Readers(settings)
    targets, problems = [], []
    for source, kind in site_sources(settings, comments_dir):
        try:
            content = readers.read_file(base_path=settings["PATH"], path=source, content_class=CONTENT_CLASSES[kind])
        # Pelican's build skips a file that fails to read for any reason; so does this.
        except Exception as error:  # noqa: BLE001
            problems.append(
                f"{Path(settings['PATH'], source)}: cannot be read: {error}; no Disqus thread can attach to it"
            )
            continue
        missing = [name for name in CONTENT_CLASSES[kind].mandatory_properties if not hasattr(content, name)]
        if missing:
            problems.append(
                f"{Path(settings['PATH'], source)}: no {' or '.join(missing)}, so the build skips it; "
                "no Disqus thread can attach to it"
            )
            continue
        targets.append((post_of(content, kind), content.slug))
    return SitePosts(targets, problems)
