"""Reusing one Markdown instance gives exactly the pages a fresh instance per file gives."""

from handbill.testing.sites import project_settings
from handbill_markdown_reuse.tests.samples import POSTS as SAMPLE_POSTS

POSTS = {f"posts/{name}": text for name, text in SAMPLE_POSTS.items()}


def test_reused_instance_gives_identical_pages(build_site, tmp_path):
    reusing = build_site(POSTS)
    fresh_plugins = [name for name in project_settings()["PLUGINS"] if name != "handbill_markdown_reuse"]
    from handbill.testing.sites import build

    fresh = build(tmp_path / "fresh", POSTS, {"PLUGINS": fresh_plugins})
    for page in ("posts/2024/one/index.html", "posts/2024/two/index.html", "posts/2024/three/index.html", "index.html"):
        assert reusing.read(page) == fresh.read(page), page
    two = reusing.read("posts/2024/two/index.html")
    # State of one document (footnotes, abbreviations, header ids) must not leak into the next.
    assert "Footnote of one" not in two and "<abbr" not in two and 'id="same-heading_1"' not in two
    assert "Second &ndash; summary." in reusing.read("index.html")
    three = reusing.read("posts/2024/three/index.html")
    assert "&ldquo;&lsquo;Nested&rsquo; quotes,&rdquo; she said." in three and "em&mdash;dash" in three
