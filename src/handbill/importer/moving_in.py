"""An import that brings the old site's images and uploads along, and the owner's to-do list after it.

``stage_with_media`` stages the export once to check it (an error stops the
import before anything is fetched), fetches what its posts reference
(media.py), and stages it again with those files linked as ``{static}``.
``owner_todo`` says what is left for the owner to do.
"""

from .links import old_site_hosts
from .media import fetch_media, plan_media
from .staging import stage_import


def stage_with_media(export, content_dir, comments_dir, settings=None, *, fetch=None, progress=None):
    """(StagedImport, MediaReport or None). ``fetch``: FetchOptions, or None to leave images and
    uploads on the old site. ``progress``: see media.fetch_media."""
    staged = stage_import(export, content_dir, comments_dir, settings)
    if fetch is None or not staged.media_references:
        return staged, None
    hosts = old_site_hosts(export.site_url, [url for post in export.posts for url in post.old_urls])
    report = fetch_media(plan_media(staged.media_references), content_dir, hosts, fetch, progress)
    return stage_import(export, content_dir, comments_dir, settings, report.local), report


def owner_todo(staged, media):
    """What the owner still has to do after an import, one line each (pure)."""
    lines = []
    if media and media.failed:
        lines.append(
            f"{len(media.failed)} image(s) or upload(s) could not be fetched; they still load from the old site:"
        )
        lines += [f"  {url}: {problem}" for url, problem in sorted(media.failed.items())]
    if staged.old_site_links:
        lines.append(
            f"{len(staged.old_site_links)} link(s) lead to old pages that were not imported "
            "(they work while the old site does):"
        )
        lines += [f"  {title!r}: {url}" for title, url in staged.old_site_links]
    # "comments (held)" from the blog's export, "Disqus comments (held)" from Disqus's.
    held = sum(count for what, count in staged.counts.items() if what.endswith("comments (held)"))
    if held:
        lines.append(f"{held} held comment(s) to review: `invoke comments.held` lists them with their reasons")
    lines.append("next: `invoke build`, then `invoke check.links`, then look at the imported posts")
    return lines
