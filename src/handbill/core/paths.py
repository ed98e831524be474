"""Old addresses → the paths a static site can redirect from, and where those pages go.

Pure functions, no I/O: the redirects plugin checks the ``Redirect-From``
paths an author writes, and the importer turns the old site's addresses into
such paths, with the same rules, so that whatever the importer writes the
build accepts.

Only the path of an address can be redirected by a static site: a redirect
page is a file at that path, and ``_redirects``/nginx maps match paths.
Addresses that differ only in their query (WordPress's ``/?p=12``) cannot be
told apart by a static host.
"""

import posixpath
from urllib.parse import quote, unquote, urlsplit

# RFC 3986's unreserved and sub-delims characters plus ":" and "@", which a
# path may hold as they are; everything else is percent-encoded.
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
# Extensions of paths that name a file rather than a folder.
_FILE_EXTENSIONS = (".html", ".htm", ".php", ".asp", ".aspx")


class RedirectPathError(ValueError):
    pass


def normalise_path(path):
    """One spelling of ``path``: percent-encoded as browsers request it.

    ``/blog/café.html`` and ``/blog/caf%C3%A9.html`` are the same address to
    a web server, so both become ``/blog/caf%C3%A9.html``. Normalising twice
    changes nothing.
    """
    return quote(unquote(path), safe=_PATH_SAFE)


def parse_redirect_path(path):
    """One path of a ``Redirect-From`` value (they are separated by spaces), normalised.

    Raises RedirectPathError, saying what to write instead, for a full
    address, a query or fragment, a path not from the site's root, the root
    itself, any ``..`` segment (a redirect page must stay in the output) and a
    path that decodes to one starting ``//`` (another host, to a browser).
    """
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        raise RedirectPathError(f"{path!r} is an address; give its path, e.g. {parts.path or '/'!r}")
    if parts.query or parts.fragment:
        raise RedirectPathError(f"{path!r} has a query or fragment, which a static site cannot redirect from")
    if not path.startswith("/") or not path.strip("/"):
        raise RedirectPathError(f"{path!r} must be a path from the site's root, e.g. /2019/05/old-post/")
    decoded = unquote(path)
    if ".." in decoded.split("/"):
        raise RedirectPathError(f"{path!r} must not contain '..'")
    if decoded.startswith("//"):
        # Normalised, it would read as a protocol-relative address of another host.
        raise RedirectPathError(f"{path!r} starts with '//' once decoded; give one '/'")
    return normalise_path(path)


def redirect_path_of_url(url):
    """The site-root path of the old address ``url`` to redirect from, or None when there is none.

    None for an address whose query is what tells it apart, for the site's
    root, and for any path ``parse_redirect_path`` would refuse.

    >>> redirect_path_of_url("https://old.example.com/2019/05/06/hello-world/")
    '/2019/05/06/hello-world/'
    >>> redirect_path_of_url("https://old.example.com/?p=12") is None
    True
    """
    parts = urlsplit(url.strip())
    if parts.query:
        return None
    try:
        return parse_redirect_path(parts.path)
    except RedirectPathError:
        return None


def save_as_for(path):
    """The output file that answers requests for ``path`` (as the web server decodes it).

    A path that names a file (``/2019/05/post.html``) is that file; any other
    (``/2019/05/post/`` or ``/2019/05/post``) is the folder's index.html.
    """
    relative = unquote(path).strip("/")
    last = relative.rsplit("/", 1)[-1]
    if not path.endswith("/") and posixpath.splitext(last)[1] in _FILE_EXTENSIONS:
        return relative
    return f"{relative}/index.html"


def relative_target(save_as, url):
    """``url`` (site-relative, as Pelican gives it) as seen from the page saved at ``save_as``."""
    target = posixpath.relpath("/" + url, "/" + posixpath.dirname(save_as))
    if url.endswith("/") and not target.endswith("/"):
        target += "/"
    return target
