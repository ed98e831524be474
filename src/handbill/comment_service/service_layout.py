"""The site's layout for the service's pages (``<output>/comments/service-layout.html``), re-read when it changes.

The comments plugin writes it on every build from the theme (plugins/handbill_comments/
service_layout.py): the site's header, stylesheets and footer around markers that ``fill``
replaces with a page's title, styles and content, and with the site's address. Without the
file, or without an absolute site address to load the site's stylesheets from, the service's
templates keep their plain layout (templates/base.html).
"""

import logging
import threading

from markupsafe import Markup

logger = logging.getLogger(__name__)

LAYOUT_NAME = "service-layout.html"
SITE_URL_MARK = "https://handbill-site-url.invalid"  # as the plugin writes it
TITLE_MARK, HEAD_MARK, CONTENT_MARK = "<!--handbill:title-->", "<!--handbill:head-->", "<!--handbill:content-->"


class Layout:
    def __init__(self, text, site_url):
        self.text = text.replace(SITE_URL_MARK, site_url)

    def fill(self, *, title, head, content):
        """The whole page: ``title`` (escaped text), ``head`` and ``content`` (HTML) in the site's layout."""
        page = self.text.replace(TITLE_MARK, str(Markup.escape(title)) + " · ")
        return Markup(page.replace(HEAD_MARK, str(head)).replace(CONTENT_MARK, str(content)))


class LayoutFile:
    """The layout file at ``path``, read once per change of the file; ``load()`` is None without one."""

    def __init__(self, path, site_url):
        self.path = path
        self.site_url = site_url
        self._lock = threading.Lock()
        self._stamp = None
        self._layout = None

    def load(self):
        if not self.site_url:
            return None
        try:
            stat = self.path.stat()
        except FileNotFoundError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if stamp != self._stamp:
                text = self.path.read_text(encoding="utf-8")
                if CONTENT_MARK not in text:
                    logger.error("%s has no %s: the service keeps its plain pages", self.path, CONTENT_MARK)
                self._layout = Layout(text, self.site_url) if CONTENT_MARK in text else None
                self._stamp = stamp
            return self._layout
