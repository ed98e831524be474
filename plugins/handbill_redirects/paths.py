"""Old paths → where their redirect pages go and where they point (pure)."""

import posixpath
from urllib.parse import quote, unquote, urlsplit


class RedirectPathError(ValueError):
    pass


def parse_redirect_path(path):
    """One path of a ``Redirect-From`` value (they are separated by spaces), percent-encoded."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc:
        raise RedirectPathError(f"{path!r} is an address; give its path, e.g. {parts.path or '/'!r}")
    if parts.query or parts.fragment:
        raise RedirectPathError(f"{path!r} has a query or fragment, which a static site cannot redirect from")
    if not path.startswith("/") or not path.strip("/"):
        raise RedirectPathError(f"{path!r} must be a path from the site's root, e.g. /2019/05/old-post/")
    if ".." in unquote(path).split("/"):
        raise RedirectPathError(f"{path!r} must not contain '..'")
    return quote(unquote(path), safe="/-._~!$&'()*+,;=:@")


def save_as_for(path):
    """The output file that answers requests for ``path`` (as the web server decodes it).

    A path that names a file (``/2019/05/post.html``) is that file; any other
    (``/2019/05/post/`` or ``/2019/05/post``) is the folder's index.html.
    """
    relative = unquote(path).strip("/")
    last = relative.rsplit("/", 1)[-1]
    if not path.endswith("/") and posixpath.splitext(last)[1] in (".html", ".htm", ".php", ".asp", ".aspx"):
        return relative
    return f"{relative}/index.html"


def relative_target(save_as, url):
    """``url`` (site-relative, as Pelican gives it) as seen from the page saved at ``save_as``."""
    target = posixpath.relpath("/" + url, "/" + posixpath.dirname(save_as))
    if url.endswith("/") and not target.endswith("/"):
        target += "/"
    return target
