"""WeasyPrint's view of the files of one handout.

Serves handout://<folder>/<path> addresses (see rendering.local_url) from the
folders of the render job, and data: URIs; nothing from the network, since
the content was rewritten to need nothing else. Imported only when rendering.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit, uses_netloc, uses_relative

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .rendering import LOCAL_SCHEME

# WeasyPrint resolves relative references (inside an SVG logo, say) with
# urljoin, which joins only the schemes it knows.
for _schemes in (uses_relative, uses_netloc):
    if LOCAL_SCHEME not in _schemes:
        _schemes.append(LOCAL_SCHEME)


class LocalFileFetcher(URLFetcher):
    def __init__(self, folders):
        super().__init__(allowed_protocols=(LOCAL_SCHEME, "data"))
        self._folders = {name: Path(folder).resolve() for name, folder in folders.items()}

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != LOCAL_SCHEME:
            return super().fetch(url, headers)
        if parts.netloc not in self._folders:
            raise ValueError(f"{url}: no folder named {parts.netloc!r}")
        folder = self._folders[parts.netloc]
        path = (folder / unquote(parts.path).lstrip("/")).resolve()
        if not path.is_relative_to(folder):
            raise ValueError(f"{url} is outside its folder")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})
