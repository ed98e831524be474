"""The link checker on small output folders written by hand."""

from handbill.linkcheck import find_broken_links


def write(root, files):
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def found(root, site_url=""):
    return {(b.page, b.target, b.reason) for b in find_broken_links(root, site_url=site_url)}


def test_relative_root_relative_and_directory_links_resolve(tmp_path):
    write(tmp_path, {
        "index.html": (
            '<a href="posts/a/">a</a><a href="/posts/a/index.html">a</a><link rel="stylesheet" href="theme/x.css">'
        ),
        "theme/x.css": "",
        "posts/a/index.html": (
            '<a href="../../">home</a><img src="../../img/p.png" srcset="../../img/p.png 1x, ../../img/p2.png 2x">'
        ),
        "img/p.png": "",
        "img/p2.png": "",
    })
    assert found(tmp_path) == set()


def test_missing_files_images_scripts_and_srcset_candidates_are_reported(tmp_path):
    write(tmp_path, {
        "index.html": '<a href="gone/">x</a><script src="app.js"></script><img src="a.png" srcset="b.png 2x" alt="">',
        "a.png": "",
    })
    assert found(tmp_path) == {
        ("index.html", "gone/", "no such file in the output"),
        ("index.html", "app.js", "no such file in the output"),
        ("index.html", "b.png", "no such file in the output"),
    }


def test_fragments_must_name_an_element(tmp_path):
    write(tmp_path, {
        "index.html": (
            '<h2 id="here">x</h2><a href="#here">ok</a><a href="#nowhere">bad</a><a href="p.html#fn:1">fn</a>'
        ),
        "p.html": '<li id="fn:1">note</li>',
    })
    assert found(tmp_path) == {("index.html", "#nowhere", "no element with id 'nowhere'")}


def test_external_links_are_not_checked_but_links_to_the_site_itself_are(tmp_path):
    write(tmp_path, {
        "index.html": (
            '<a href="https://elsewhere.example/x">x</a><a href="mailto:a@b.example">m</a>'
            '<a href="https://blog.example/posts/">mine</a><link rel="canonical" href="https://blog.example/nope/">'
        ),
    })
    assert found(tmp_path, site_url="https://blog.example") == {
        ("index.html", "https://blog.example/posts/", "no such file in the output"),
    }


def test_links_may_not_escape_the_output_folder(tmp_path):
    write(tmp_path / "site", {"index.html": '<a href="../../etc/passwd">x</a>'})
    assert found(tmp_path / "site") == {("index.html", "../../etc/passwd", "no such file in the output")}


def test_feed_entries_must_resolve(tmp_path):
    write(tmp_path, {
        "posts/a/index.html": "",
        "feeds/all.atom.xml": (
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="https://blog.example/posts/a/"/></entry>'
            '<entry><link href="https://blog.example/posts/b/"/></entry></feed>'
        ),
        "feeds/all.rss.xml": (
            "<rss><channel><item><link>/posts/a/</link></item><item><link>/posts/c/</link></item></channel></rss>"
        ),
        "feeds/broken.atom.xml": "<feed><entry>",
    })
    problems = found(tmp_path, site_url="https://blog.example")
    assert ("feeds/all.atom.xml", "https://blog.example/posts/b/", "no such file in the output") in problems
    assert ("feeds/all.rss.xml", "/posts/c/", "no such file in the output") in problems
    assert any(
        page == "feeds/broken.atom.xml" and reason.startswith("not well-formed XML") for page, _, reason in problems
    )
    assert len(problems) == 3
