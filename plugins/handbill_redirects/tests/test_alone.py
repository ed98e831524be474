"""handbill_redirects on its own: Pelican's defaults and default theme, no other plugin.

Needs no theme (it renders the redirect pages from its own template) and no
settings (REDIRECTS defaults to pages, ``_redirects`` and an nginx map); a
post or page only has to list its old paths in ``Redirect-From``.
"""

from handbill.testing.plugin_site import assert_alone, build_with_only

PLUGIN = "handbill_redirects"

FILES = {
    "new-home.md": """\
        Title: New Home
        Date: 2024-03-01 09:00
        Slug: new-home
        Redirect-From: /2019/05/06/new-home/ /2019/05/new-home.html

        Body.
        """,
    "pages/about.md": "Title: About\nSlug: about\nRedirect-From: /about-me/\n\nAbout.\n",
}


def test_old_paths_get_redirect_pages_and_host_rules(tmp_path):
    site = build_with_only(PLUGIN, FILES, tmp_path, SITEURL="https://example.test")
    assert_alone(site, PLUGIN)
    # Pelican's default URLs: articles at <slug>.html, pages at pages/<slug>.html.
    page = site.read("2019/05/06/new-home/index.html")
    assert '<meta http-equiv="refresh" content="0; url=https://example.test/new-home.html">' in page
    assert '<link rel="canonical" href="https://example.test/new-home.html">' in page
    assert '<a href="https://example.test/new-home.html">New Home</a>' in page
    assert "https://example.test/new-home.html" in site.read("2019/05/new-home.html")
    assert "https://example.test/pages/about.html" in site.read("about-me/index.html")
    assert site.read("_redirects").splitlines() == [
        "/2019/05/06/new-home/ /new-home.html 301",
        "/2019/05/new-home.html /new-home.html 301",
        "/about-me/ /pages/about.html 301",
    ]
    assert '"/2019/05/06/new-home" "/new-home.html";' in site.read("redirects.nginx.map")
    # The pages the redirects point at are Pelican's own, untouched.
    assert site.exists("new-home.html") and site.exists("pages/about.html")
