"""``invoke import FILE`` (``import.blog``): bring a WordPress (WXR) or Blogger (Atom) export into content/."""

import os
from pathlib import Path

from invoke import Collection, Exit, task

from handbill.invoking import project_file

from . import ExportError, import_file
from .disqus import parse_owner_usernames
from .media import FetchOptions
from .moving_in import owner_todo


def _shown(path):
    return os.path.relpath(path, Path.cwd()) if Path(path).is_absolute() else str(path)


def _show_progress(done, total, url, problem):
    print(f"media {done}/{total}: {url}" + (f" (not fetched: {problem})" if problem else ""), flush=True)


def report_lines(staged, result):
    """What an import did, for people: counts, held reasons, notes, files."""
    lines = [f"{count} {what}" for what, count in sorted(staged.counts.items())]
    lines += [f"  held: {count} × {reason}" for reason, count in sorted(staged.held_reasons.items())]
    lines += [f"note: {note}" for note in staged.notes]
    lines.append(
        f"{len(result.written)} file(s) written, {len(result.unchanged)} already up to date, "
        f"{len(result.kept)} kept as they are"
    )
    lines += [f"  kept (it differs from the import; not overwritten): {_shown(p)}" for p in result.kept]
    return lines


# The default, so `invoke import FILE` keeps its short form.
@task(
    name="blog",
    default=True,
    iterable=["disqus_owner"],
    help={
        "file": "the export: WordPress (Tools → Export, .xml) or Blogger (feed.atom / blog-*.xml); "
        "a Disqus export alone brings its comments onto the posts already in content/",
        "disqus": "a Disqus export whose comment threads come along onto the imported posts",
        "disqus_owner": "your Disqus username: its comments come in as your replies "
        "(repeat it, or separate names with commas, for several accounts)",
        "settings": "settings file naming the content folder (default: pelicanconf.py)",
        "no_fetch": "leave images and uploads on the old site (they are listed) instead of fetching them",
        "allow_private_hosts": "let the old site be on this machine (loopback addresses only; for a local copy)",
    },
)
def import_blog(
    c, file, settings="pelicanconf.py", disqus=None, disqus_owner=None, *, no_fetch=False, allow_private_hosts=False
):
    """Import posts, pages and comments from a WordPress or Blogger export into content/."""
    from pelican.settings import read_settings

    from handbill.core.comment_settings import CommentSettingsError, load_comment_settings

    pelican_settings = read_settings(str(project_file(c, settings)))
    try:
        comment_settings = load_comment_settings(pelican_settings)
    except CommentSettingsError as error:
        raise Exit(f"import: fix the COMMENTS setting first: {error}") from None
    content_dir = Path(pelican_settings["PATH"])
    try:
        staged, result = import_file(
            project_file(c, file),
            content_dir,
            content_dir / comment_settings.path,
            comment_settings,
            disqus_path=project_file(c, disqus) if disqus else None,
            disqus_owners=parse_owner_usernames(disqus_owner or ()),
            site_settings=pelican_settings,
            fetch=None if no_fetch else FetchOptions(allow_private=allow_private_hosts),
            progress=_show_progress,
        )
    except ExportError as error:
        raise Exit(f"import: {error}\nNothing was written.") from None
    for line in report_lines(staged, result):
        print(line)
    print("to do:")
    for line in [*staged.todo, *owner_todo(staged, result.media)]:
        print(f"  {line}")


namespace = Collection("import", import_blog)
