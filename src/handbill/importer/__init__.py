"""Move a WordPress or Blogger blog into Handbill, comments included.

    from handbill.importer import import_file
    staged, result = import_file("export.xml", content_dir, comments_dir, comment_settings)

reads the export (xmlsource.py, wordpress.py, blogger.py), converts and
checks every post and comment in memory (staging.py, convert.py; old
addresses become paths through handbill.core.paths) and only then writes Markdown posts and comment records
(writer.py). ``invoke import FILE`` (tasks.py) does this for the site.
Not a Pelican plugin: the redirects of old addresses are built by the
``redirects`` plugin from the posts' ``Redirect-From`` metadata.
"""

from .blogger import is_blogger, read_blogger
from .disqus import (
    OWNER_OPTION,
    check_owner_usernames,
    is_disqus,
    read_disqus,
    read_disqus_file,
    stage_threads_onto_content,
    stage_threads_onto_import,
)
from .model import ThreadExport
from .moving_in import stage_with_media
from .site_posts import default_site_settings
from .wordpress import is_wxr, read_wordpress
from .writer import write_import
from .xmlsource import ExportError, parse_export

__all__ = ["ExportError", "import_file", "read_export"]


def read_export(path):
    """The Export in the WordPress (WXR) or Blogger (Atom) file at ``path``,
    or the ThreadExport in a Disqus export."""
    root = parse_export(path)
    if is_wxr(root):
        return read_wordpress(root, path)
    if is_blogger(root):
        return read_blogger(root, path)
    if is_disqus(root):
        return read_disqus(root, path)
    raise ExportError(
        path,
        f"neither a WordPress export (an RSS file with wp: elements), a Blogger export "
        f"(an Atom feed from blogger.com) nor a Disqus export; its root element is <{root.tag}>",
    )


def import_file(
    path,
    content_dir,
    comments_dir,
    settings=None,
    disqus_path=None,
    *,
    disqus_owners=(),
    site_settings=None,
    fetch=None,
    progress=None,
):
    """Import the export at ``path``, its comments judged by the site's CommentSettings
    ``settings`` (None: the defaults): (StagedImport, WriteResult). Nothing is written on error.

    ``disqus_path``, a Disqus export, brings its threads onto the posts of the blog's export;
    a Disqus export as ``path`` brings them onto the posts already in ``content_dir``, read
    with the site's Pelican settings ``site_settings`` (None: Pelican's defaults, in UTC).
    ``disqus_owners``: the Disqus usernames whose comments are the owner's.

    ``fetch`` (media.FetchOptions) brings the posts' images and uploads into ``content_dir``;
    None leaves them on the old site. The WriteResult's ``media`` says what was fetched."""
    export = read_export(path)
    media = None
    if isinstance(export, ThreadExport):
        if disqus_path:
            raise ExportError(path, "is a Disqus export itself; give the blog's export with --disqus")
        check_owner_usernames(export, disqus_owners, settings)
        site_settings = site_settings or default_site_settings(content_dir)
        staged = stage_threads_onto_content(export, site_settings, comments_dir, settings, disqus_owners)
    else:
        if disqus_owners and not disqus_path:
            raise ExportError(path, f"{OWNER_OPTION} names Disqus users, but no Disqus export was given with --disqus")
        # Read and checked before anything is fetched, so that a mistake in it costs nothing.
        thread_export = read_disqus_file(disqus_path) if disqus_path else None
        if thread_export:
            check_owner_usernames(thread_export, disqus_owners, settings)
        staged, media = stage_with_media(export, content_dir, comments_dir, settings, fetch=fetch, progress=progress)
        if thread_export:
            stage_threads_onto_import(thread_export, export, staged, settings, disqus_owners)
    result = write_import(staged)
    result.media = media
    return staged, result
