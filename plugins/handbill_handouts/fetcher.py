"""WeasyPrint's view of the files of one handout.

Serves handout://<folder>/<path> addresses (see addresses.py) from the folders
of the render job, and data: URIs; nothing from the network, since the content
was rewritten to need nothing else. Imported only when rendering.
"""

import mimetypes
import re
from pathlib import Path

from weasyprint.urls import URLFetcher, URLFetcherResponse

from .addresses import LOCAL_SCHEME, AddressError, is_local, join_local_url, split_local_url

# href and xlink:href are how an SVG refers to other files (images, <use> of
# another file); url() in its styles is not resolved.
_SVG_HREF = re.compile(r"""(\s(?:xlink:)?href\s*=\s*)(["'])(.*?)\2""", re.DOTALL)


def resolve_svg_references(svg_text, url):
    """The SVG at ``url`` with its relative hrefs made absolute handout://
    addresses. WeasyPrint joins them with urljoin, which leaves references
    against a scheme it does not know as they are; they would reach the
    fetcher without the folder they belong to. A reference that climbs out of
    its folder is left as it is, so it is refused when fetched."""

    def resolve(match):
        prefix, quote_mark, reference = match.groups()
        try:
            resolved = join_local_url(url, reference)
        except AddressError:
            return match.group(0)
        return f"{prefix}{quote_mark}{resolved}{quote_mark}"

    return _SVG_HREF.sub(resolve, svg_text)


class LocalFileFetcher(URLFetcher):
    def __init__(self, folders):
        super().__init__(allowed_protocols=(LOCAL_SCHEME, "data"))
        self._folders = {name: Path(folder).resolve() for name, folder in folders.items()}

    def local_file(self, url):
        """The file a handout:// address names; ValueError unless it is inside its folder."""
        name, relative = split_local_url(url)
        if name not in self._folders:
            raise ValueError(f"{url}: no folder named {name!r}")
        folder = self._folders[name]
        # Resolved too, so that a symbolic link cannot lead out of the folder either.
        path = (folder / relative).resolve()
        if not path.is_relative_to(folder):
            raise ValueError(f"{url} is outside its folder")
        return path

    def fetch(self, url, headers=None):
        if not is_local(url):
            return super().fetch(url, headers)
        path = self.local_file(url)
        body = path.read_bytes()
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if content_type == "image/svg+xml":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                pass  # not UTF-8: served as it is, relative references unresolved
            else:
                resolved = resolve_svg_references(text, url)
                if resolved != text:
                    body = resolved.encode("utf-8")
        return URLFetcherResponse(url, body=body, headers={"Content-Type": content_type})
