"""handout://<folder>/<path>: how a handout refers to a local file.

Handouts never name a file by its absolute path: WeasyPrint names images in
the PDF after their URL, so the same inputs give the same bytes wherever the
project lives. ``urllib.parse.urljoin`` joins relative references only for
the schemes listed in its module-wide ``uses_relative``, so this scheme gets
its own small parser and joiner rather than an entry in that shared list.
"""

import posixpath
from urllib.parse import quote, unquote

LOCAL_SCHEME = "handout"
_PREFIX = f"{LOCAL_SCHEME}://"


class AddressError(ValueError):
    """A handout:// address that names no file inside its folder."""


def local_url(folder, relative_path):
    return f"{_PREFIX}{folder}/{quote(str(relative_path))}"


def is_local(url):
    return url[: len(_PREFIX)].lower() == _PREFIX


def split_local_url(url):
    """handout://folder/a/b.png → ("folder", "a/b.png"), the path unquoted and
    normalised; raises ``AddressError`` if it climbs out of its folder."""
    if not is_local(url):
        raise AddressError(f"{url} is not a {LOCAL_SCHEME}:// address")
    rest = url[len(_PREFIX) :].split("#", 1)[0].split("?", 1)[0]
    folder, _, quoted_path = rest.partition("/")
    if not folder:
        raise AddressError(f"{url} names no folder")
    return folder, _inside(unquote(quoted_path), url)


def _inside(path, url):
    """``path`` with its "." and ".." resolved; one that climbs out of its
    folder is refused, not clamped at the folder as a browser would."""
    parts = []
    for part in path.split("/"):
        if part == "..":
            if not parts:
                raise AddressError(f"{url} is outside its folder")
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


def join_local_url(base, reference):
    """``reference`` (from a file at handout:// address ``base``) as an
    absolute address: relative paths resolve in the base's folder; anything
    with a scheme, or a bare fragment, is returned as it is."""
    if not reference or reference.startswith("#") or _has_scheme(reference):
        return reference
    folder, base_path = split_local_url(base)
    path, hash_mark, fragment = reference.partition("#")
    if path.startswith("//"):
        return reference  # network-path reference: another host, not a file of ours
    path = unquote(path.split("?", 1)[0])  # a query means nothing to a file
    joined = path if path.startswith("/") else posixpath.join(posixpath.dirname(base_path), path)
    url = f"{_PREFIX}{folder}/{quote(_inside(joined, reference))}"
    return url + hash_mark + fragment


def _has_scheme(reference):
    scheme, colon, _ = reference.partition(":")
    return bool(colon) and scheme[:1].isalpha() and all(char.isalnum() or char in "+-." for char in scheme)
