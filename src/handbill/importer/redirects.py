"""The old site's addresses of a post, as paths the new site can redirect from.

Only the path of an address can be redirected by a static site: a redirect
page is a file at that path, and ``_redirects``/nginx maps match paths.
Addresses that differ only in their query (WordPress's ``/?p=12``) cannot be
told apart by a static host, so they are left out (and reported).
"""

from urllib.parse import quote, unquote, urlsplit


def redirect_path(url):
    """The site-root path of ``url`` to redirect from, or None when there is none.

    >>> redirect_path("https://old.example.com/2019/05/06/hello-world/")
    '/2019/05/06/hello-world/'
    >>> redirect_path("https://old.example.com/?p=12") is None
    True
    """
    parts = urlsplit(url.strip())
    path = parts.path
    if parts.query or not path.strip("/"):
        return None
    # One spelling for every address: percent-encoded, as browsers request it.
    return quote(unquote(path), safe="/-._~!$&'()*+,;=:@")
