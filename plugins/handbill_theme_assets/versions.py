"""The version of a theme file, and its address with it."""

import hashlib
import os
from urllib.parse import quote

from jinja2 import pass_context

# Hex digits of the SHA-256 in the version: enough that two versions of one file never meet.
VERSION_DIGITS = 10


class ThemeFileMissing(LookupError):
    """A template asked for a theme file that none of the theme's static folders holds."""


def version_of(data):
    """The version of a file holding ``data`` (bytes)."""
    return hashlib.sha256(data).hexdigest()[:VERSION_DIGITS]


def versioned_address(site_url, static_dir, relative, version):
    """The address of the theme file ``relative`` (a path with ``/``), copied to ``static_dir``
    of a site at ``site_url``, with its ``version``."""
    return f"{site_url}/{quote(static_dir)}/{quote(relative)}?v={version}"


# {path: ((size, mtime_ns), version)}: read again only when the file changed (livereload's
# process builds many times; a page asks for four files, and pages are thousands).
_known = {}


def file_version(path):
    """The version of the file at ``path``; OSError when it cannot be read."""
    status = os.stat(path)
    stamp = (status.st_size, status.st_mtime_ns)
    known = _known.get(path)
    if known is not None and known[0] == stamp:
        return known[1]
    with open(path, "rb") as file:
        version = version_of(file.read())
    _known[path] = (stamp, version)
    return version


def theme_source(theme, static_paths, relative):
    """The theme file that Pelican copies to ``relative`` in the theme's output folder, or None."""
    for folder in reversed(static_paths):
        candidate = os.path.join(theme, folder, *relative.split("/"))
        if os.path.isfile(candidate):
            return candidate
    return None


def is_file_name(relative):
    """Whether ``relative`` names a file inside a folder: parts joined by ``/``, none empty, ``.`` or ``..``."""
    return isinstance(relative, str) and all(part not in ("", ".", "..") for part in relative.split("/"))


@pass_context
def theme_static(context, relative):
    """``{{ theme_static('css/handbill.css') }}``: the theme file's address with its version."""
    if not is_file_name(relative):
        raise ThemeFileMissing(f"theme_static({relative!r}): not a file name inside the theme's static folders")
    theme, static_paths = context["THEME"], context["THEME_STATIC_PATHS"]
    source = theme_source(theme, static_paths, relative)
    if source is None:
        folders = ", ".join(os.path.join(theme, folder) for folder in static_paths) or "no folder"
        raise ThemeFileMissing(f"theme_static({relative!r}): the theme has no such file (looked in {folders})")
    return versioned_address(context["SITEURL"], context["THEME_STATIC_DIR"], relative, file_version(source))
