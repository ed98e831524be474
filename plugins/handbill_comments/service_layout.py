"""The comment service's pages in the site's own layout: ``<OUTPUT_PATH>/comments/service-layout.html``.

The theme's ``comment_service_layout.html`` (extending its ``base.html``) is rendered with the
site's context once per build, next to the manifest. Where a page of the service has its own
parts, it holds markers the service fills in (comment_service/service_layout.py): the page's
title, its styles and its content, and the site's address before every link, so that the
stylesheets and links point at the site wherever the service runs. A theme without the
template gets no layout file, and the service keeps its plain pages.
"""

import logging
from pathlib import Path

from pelican.generators import ArticlesGenerator, PelicanTemplateNotFound

from handbill.core import build_outputs
from handbill.core.atomic import write_text_if_changed

logger = logging.getLogger(__name__)

LAYOUT_PATH = Path("comments") / "service-layout.html"
TEMPLATE = "comment_service_layout"
# The service's own copy of these: comment_service/service_layout.py.
SITE_URL_MARK = "https://handbill-site-url.invalid"


def write_service_layout(generators):
    articles = next((g for g in generators if isinstance(g, ArticlesGenerator)), None)
    if articles is None:
        return None
    try:
        template = articles.get_template(TEMPLATE)
    except PelicanTemplateNotFound:
        logger.debug("The theme has no %s.html: the comment service keeps its plain pages", TEMPLATE)
        return None
    html = template.render({**articles.context, "SITEURL": SITE_URL_MARK, "output_file": str(LAYOUT_PATH)})
    path = Path(articles.output_path) / LAYOUT_PATH
    write_text_if_changed(path, html)
    build_outputs.record(path)
    return path
