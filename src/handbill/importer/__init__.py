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
from .staging import stage_import
from .wordpress import is_wxr, read_wordpress
from .writer import write_import
from .xmlsource import ExportError, parse_export

__all__ = ["ExportError", "import_file", "read_export"]


def read_export(path):
    """The Export in the WordPress (WXR) or Blogger (Atom) file at ``path``."""
    root = parse_export(path)
    if is_wxr(root):
        return read_wordpress(root, path)
    if is_blogger(root):
        return read_blogger(root, path)
    raise ExportError(
        path,
        f"neither a WordPress export (an RSS file with wp: elements) nor a Blogger export "
        f"(an Atom feed from blogger.com); its root element is <{root.tag}>",
    )


def import_file(path, content_dir, comments_dir, settings=None):
    """Import the export at ``path``, its comments judged by the site's CommentSettings
    ``settings`` (None: the defaults): (StagedImport, WriteResult). Nothing is written on error."""
    staged = stage_import(read_export(path), content_dir, comments_dir, settings)
    return staged, write_import(staged)
