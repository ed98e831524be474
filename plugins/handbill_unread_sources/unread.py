"""Which files of the content folder no part of the build read, and why: plain functions.

Paths are POSIX paths relative to the content folder.
"""

import fnmatch
import posixpath

# What an operating system or an editor leaves beside the owner's files (a Mac's .DS_Store, a
# backup post.md~), never meant for the site: hidden files and folders, and these names.
LEFT_BY_TOOLS = ("*~", "Thumbs.db", "desktop.ini")


def left_by_tools(path):
    parts = path.split("/")
    return any(part.startswith(".") for part in parts) or any(
        fnmatch.fnmatchcase(parts[-1], pattern) for pattern in LEFT_BY_TOOLS
    )


def unread_files(found, read):
    """The files of ``found`` (every file of the content folder that Pelican does not ignore)
    that are not in ``read`` and not left by tools, in order."""
    return sorted(path for path in set(found) - set(read) if not left_by_tools(path))


def _inside(path, folders):
    return any(folder in ("", ".") or path.startswith(folder.rstrip("/") + "/") for folder in folders)


def _folders_text(folders):
    return ", ".join(f"{folder.rstrip('/')}/" for folder in folders) or "none"


def unread_reason(path, extensions, content_folders, static_folders):
    """Why Pelican did not read ``path``, and what to do, as the end of one sentence.

    ``extensions``: what Pelican's readers read (``md``, ``markdown``…); ``content_folders``:
    where posts and pages are read from (ARTICLE_PATHS, PAGE_PATHS); ``static_folders``: what is
    copied as it is (STATIC_PATHS).
    """
    name = posixpath.basename(path)
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem:
        extension = ""
    readable = sorted(extensions)
    if extension and extension not in extensions and extension.lower() in extensions:
        return (
            f"its name ends in .{extension}, and only names ending in "
            f"{', '.join('.' + known for known in readable)} (lower case) are read: "
            f"rename it to {stem}.{extension.lower()}"
        )
    if extension in extensions:
        if _inside(path, content_folders):
            return "its folder is left out by ARTICLE_EXCLUDES or PAGE_EXCLUDES"
        return (
            f"posts and pages are read only from {_folders_text(content_folders)} "
            "(ARTICLE_PATHS, PAGE_PATHS): move it into one of them"
        )
    kind = f".{extension} files" if extension else "files without an extension"
    return (
        f"there is no reader for {kind} (posts are {', '.join('.' + known for known in readable)}), "
        f"and only files under {_folders_text(static_folders)} (STATIC_PATHS) are copied as they are "
        "unless a post links to them"
    )
