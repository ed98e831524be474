"""theme_static on its own: a small theme of the test's, Pelican's defaults, no other plugin."""

import logging
import re
import shutil
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pelican.settings import DEFAULT_CONFIG

from handbill.testing.plugin_site import THEME as HANDBILL_THEME
from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill_theme_assets.versions import (
    is_file_name,
    theme_source,
    version_of,
    versioned_address,
)

PLUGIN = "handbill_theme_assets"
POST = {"post.md": "Title: Post\nDate: 2024-01-01\nSlug: post\n\nText.\n"}
ARTICLE = (
    '<link rel="stylesheet" href="{{ theme_static(\'css/site.css\') }}">\n'
    "<script src=\"{{ theme_static('js/my script.js') }}\"></script>\n"
)


def make_theme(root, article=ARTICLE, css=b"body { color: black }\n"):
    """A theme of one article template, Pelican's default theme's others, and two static files."""
    theme = root / "theme"
    shutil.copytree(DEFAULT_CONFIG["THEME"], theme)
    (theme / "templates" / "article.html").write_text(article, encoding="utf-8")
    (theme / "static" / "css" / "site.css").write_bytes(css)
    (theme / "static" / "js").mkdir(exist_ok=True)
    (theme / "static" / "js" / "my script.js").write_bytes(b"console.log(1);\n")
    return theme


def build(root, theme, **settings):
    return build_with_only(PLUGIN, POST, root / "site", THEME=str(theme), **settings)


def addresses(html):
    return re.findall(r'(?:href|src)="([^"]+)"', html)


def test_a_template_gets_each_file_s_address_with_the_version_of_its_bytes(tmp_path):
    theme = make_theme(tmp_path)
    site = build(tmp_path, theme, SITEURL="https://example.com/blog")
    assert_alone(site, PLUGIN)
    css, script = addresses(site.read("post.html"))
    css_version = version_of((theme / "static" / "css" / "site.css").read_bytes())
    assert css == f"https://example.com/blog/theme/css/site.css?v={css_version}"
    assert script.startswith("https://example.com/blog/theme/js/my%20script.js?v=")
    # The address without its version is the file Pelican copied.
    for address in (css, script):
        path = unquote(urlsplit(address).path).removeprefix("/blog/")
        assert site.exists(path)


def test_the_version_changes_when_the_file_does_and_only_then(tmp_path):
    theme = make_theme(tmp_path)
    first = addresses(build(tmp_path, theme).read("post.html"))
    assert addresses(build(tmp_path, theme).read("post.html")) == first
    (theme / "static" / "css" / "site.css").write_bytes(b"body { color: navy }\n")
    second = addresses(build(tmp_path, theme).read("post.html"))
    assert second[0] != first[0] and second[1] == first[1]


def test_relative_addresses_lead_from_each_page_to_the_file(tmp_path):
    theme = make_theme(tmp_path)
    site = build(tmp_path, theme, RELATIVE_URLS=True, ARTICLE_SAVE_AS="posts/{slug}/index.html")
    css, _script = addresses(site.read("posts/post/index.html"))
    assert css.startswith("../../theme/css/site.css?v=")


def test_a_file_the_theme_does_not_have_fails_the_page_naming_it(tmp_path, caplog):
    theme = make_theme(tmp_path, article="{{ theme_static('css/missing.css') }}")
    with caplog.at_level(logging.ERROR), pytest.raises(Exception, match=r"css/missing\.css"):
        build(tmp_path, theme)


@given(st.text(min_size=1, max_size=40).filter(is_file_name))
def test_any_file_name_gives_an_address_that_names_it(relative):
    address = versioned_address("https://example.com", "theme", relative, "0123456789")
    parts = urlsplit(address)
    assert parts.query == "v=0123456789" and not parts.fragment
    assert unquote(parts.path) == f"/theme/{relative}"


@pytest.mark.parametrize("relative", ["", "/etc/passwd", "../secret.css", "css/../../x", "css//a.css", "./a.css"])
def test_names_that_leave_the_folder_or_have_empty_parts_are_not_file_names(relative):
    assert not is_file_name(relative)


def test_a_later_static_folder_wins_as_pelican_copies_it_over_an_earlier_one(tmp_path):
    for folder in ("static", "extra"):
        (tmp_path / folder / "css").mkdir(parents=True)
        (tmp_path / folder / "css" / "site.css").write_text(folder)
    assert theme_source(str(tmp_path), ["static", "extra"], "css/site.css") == str(tmp_path / "extra/css/site.css")
    assert theme_source(str(tmp_path), ["static"], "css/site.css") == str(tmp_path / "static/css/site.css")
    assert theme_source(str(tmp_path), ["static"], "css/none.css") is None


def stylesheets(html):
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)


def test_handbill_s_theme_versions_its_files_with_the_plugin_and_names_them_plainly_without(tmp_path):
    with_plugin = build_with_only(PLUGIN, POST, tmp_path / "with", THEME=str(HANDBILL_THEME), SITEURL="/blog")
    sheets = stylesheets(with_plugin.read("post.html"))
    assert sheets and all(re.fullmatch(r"/blog/theme/css/[a-z-]+\.css\?v=[0-9a-f]{10}", sheet) for sheet in sheets)
    # Another plugin alone: the theme's static_url falls back to the file's plain address.
    without = build_with_only(
        "handbill_figure_links", POST, tmp_path / "without", THEME=str(HANDBILL_THEME), SITEURL="/blog"
    )
    assert stylesheets(without.read("post.html")) == [sheet.partition("?")[0] for sheet in sheets]
