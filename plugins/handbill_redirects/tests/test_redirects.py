"""Redirects of old addresses: the path rules, then real builds."""

import pytest

from handbill.core.paths import RedirectPathError, parse_redirect_path, relative_target, save_as_for
from handbill.testing.sites import run_pelican
from handbill_redirects.settings import RedirectSettings, RedirectSettingsError, load_redirect_settings


def post(slug, redirect_from, status="published"):
    return (
        f"Title: {slug.replace('-', ' ').title()}\nDate: 2024-03-01 09:00\nSlug: {slug}\n"
        f"Status: {status}\nHandout: no\nRedirect-From: {redirect_from}\n\nBody of {slug}.\n"
    )


def test_paths():
    assert parse_redirect_path("/2019/05/06/old/") == "/2019/05/06/old/"
    # One spelling for a path however it was written: percent-encoded.
    encoded = "/blog/caf%C3%A9.html"
    assert parse_redirect_path("/blog/café.html") == parse_redirect_path(encoded) == encoded
    assert save_as_for("/2019/05/06/old/") == "2019/05/06/old/index.html"
    assert save_as_for("/2019/05/06/old") == "2019/05/06/old/index.html"
    assert save_as_for("/2018/03/post.html") == "2018/03/post.html"
    assert save_as_for("/blog/caf%C3%A9.html") == "blog/café.html"
    assert relative_target("2019/05/06/old/index.html", "posts/2019/new/") == "../../../../posts/2019/new/"
    assert relative_target("2018/03/post.html", "posts/2018/new/") == "../../posts/2018/new/"


@pytest.mark.parametrize(
    "value, message",
    [
        ("https://old.example.com/a/", "is an address; give its path, e.g. '/a/'"),
        ("/?p=12", "has a query or fragment"),
        ("2019/05/old/", "must be a path from the site's root"),
        ("/", "must be a path from the site's root"),
        ("/a/../../etc/", "must not contain '..'"),
    ],
)
def test_bad_paths(value, message):
    with pytest.raises(RedirectPathError, match=message.replace("?", r"\?").replace("(", r"\(").replace(")", r"\)")):
        parse_redirect_path(value)


def test_settings():
    assert load_redirect_settings({}) == RedirectSettings()
    assert load_redirect_settings({"REDIRECTS": {"nginx_file": ""}}).nginx_file == ""
    with pytest.raises(RedirectSettingsError) as error:
        load_redirect_settings({"REDIRECTS": {"pages": "yes", "apache_file": "x", "netlify_file": "/etc/x"}})
    assert error.value.problems == [
        "REDIRECTS[\"pages\"] must be True or False, not 'yes'",
        'REDIRECTS["apache_file"] is not a setting (known: pages, netlify_file, nginx_file)',
        "REDIRECTS[\"netlify_file\"] must be a file path inside the output, not '/etc/x'",
    ]
    assert error.value.settings.pages is True


def test_redirect_pages_and_host_rules(build_site):
    site = build_site(
        {
            "posts/new-home.md": post("new-home", "/2019/05/06/new-home/ /2019/05/new-home.html"),
            "posts/unfinished.md": post("unfinished", "/2020/01/unfinished/", status="draft"),
            "pages/about.md": "Title: About\nSlug: about\nRedirect-From: /about/ /about-me/\n\nAbout.\n",
        },
        settings={"SITEURL": "https://example.test/blog", "RELATIVE_URLS": False},
    )
    page = site.read("2019/05/06/new-home/index.html")
    assert '<meta http-equiv="refresh" content="0; url=https://example.test/blog/posts/2024/new-home/">' in page
    assert '<a href="https://example.test/blog/posts/2024/new-home/">New Home</a>' in page
    assert site.exists("2019/05/new-home.html")
    assert site.exists("about-me/index.html")
    assert not site.exists("2020/01/unfinished/index.html")  # drafts redirect nowhere yet
    assert site.read("_redirects").splitlines() == [
        "/blog/2019/05/06/new-home/ /blog/posts/2024/new-home/ 301",
        "/blog/2019/05/new-home.html /blog/posts/2024/new-home/ 301",
        "/blog/about-me/ /blog/about/ 301",
    ]
    nginx = site.read("redirects.nginx.map")
    assert '"/blog/2019/05/06/new-home" "/blog/posts/2024/new-home/";' in nginx
    assert '"/blog/2019/05/new-home.html" "/blog/posts/2024/new-home/";' in nginx


def test_conflicting_redirects_fail_the_build_naming_the_files(build_site):
    site = build_site(
        {
            "posts/one.md": post("one", "/old/shared/ /posts/2024/two/"),
            "posts/two.md": post("two", "/old/shared/ /bad?x=1"),
        },
        settings={"REDIRECTS": {"pages": True, "netlify_file": "", "nginx_file": ""}},
        expect_success=False,
    )
    assert site.returncode == 1
    log = " ".join(site.log.split())
    assert "one.md: Redirect-From: /posts/2024/two/ is the address of" in log
    assert "two.md: Redirect-From: /old/shared/ is claimed by" in log and "one.md too" in log
    assert "two.md: Redirect-From: '/bad?x=1' has a query or fragment" in log
    assert site.exists("old/shared/index.html")  # the first claim still works
    assert not site.exists("_redirects")


def test_a_title_with_entities_reads_right_on_its_redirect_page(build_site):
    source = post("tea", "/2019/tea/").replace("Title: Tea", "Title: Tea &amp; <em>biscuits</em>")
    site = build_site({"posts/tea.md": source})
    page = site.read("2019/tea/index.html")
    assert "<title>Tea &amp; biscuits</title>" in page
    assert "&amp;amp;" not in page and "&lt;em&gt;" not in page


def test_a_second_build_into_the_same_output_rewrites_its_redirect_pages(build_site):
    site = build_site({"posts/moved.md": post("moved", "/2010/08/old.html /2011/01/older/")})
    again = run_pelican(site.root, site.settings_file)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "would replace" not in again.stdout + again.stderr
    assert 'url=../../posts/2024/moved/"' in site.read("2010/08/old.html")


def test_a_redirect_over_a_page_this_build_wrote_is_still_refused(build_site):
    site = build_site(
        {"posts/moved.md": post("moved", "/archives/")},
        expect_success=False,
    )
    log = " ".join(site.log.split())
    assert site.returncode == 1
    assert "Redirect-From: /archives/ would replace archives/index.html, which the build already wrote" in log
    assert "Archives" in site.read("archives/index.html")
