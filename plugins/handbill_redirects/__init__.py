"""Keep old addresses working: redirect pages and host redirect maps.

A post or page lists its old paths in ``Redirect-From`` (space-separated,
from the site's root), e.g. ``Redirect-From: /2019/05/06/old-slug/`` (the
importer writes it for every imported post). The build then writes, for
every published post or page:

* an HTML page at each old path that sends readers (and search engines,
  through ``rel=canonical``) to the new address;
* ``_redirects`` (Netlify, Cloudflare Pages) and an nginx ``map`` file, for
  hosts that answer with a real 301.

Setting ``REDIRECTS`` (see README.md). A path that would replace a page of
the site, or that two posts claim, is an error naming the files.
"""

from pelican import signals

from .generator import RedirectsGenerator


def get_generators(pelican):
    return RedirectsGenerator


def register():
    signals.get_generators.connect(get_generators)
