"""HTML as WordPress and Blogger store it → the Markdown the site's Markdown renders."""

import markdown

from handbill.importer.convert import add_paragraphs, html_to_line, html_to_markdown
from handbill.testing.sites import project_settings

MARKDOWN = project_settings()["MARKDOWN"]


def render(text):
    """The HTML the site's Markdown settings make of ``text``."""
    return markdown.markdown(
        text,
        extensions=list(MARKDOWN["extension_configs"]),
        extension_configs=MARKDOWN["extension_configs"],
        output_format="html5",
    )


def test_classic_editor_paragraphs_and_line_breaks():
    html = "First line\nsecond line.\n\nNext paragraph.\n<ul>\n\t<li>One</li>\n</ul>\nAfter."
    assert html_to_markdown(html) == (
        "First line  \nsecond line.\n\nNext paragraph.\n\n- One\n\nAfter."
    )


def test_block_editor_content_keeps_its_paragraphs():
    html = (
        "<!-- wp:paragraph -->\n<p>One.</p>\n<!-- /wp:paragraph -->\n\n"
        "<!-- wp:paragraph -->\n<p>Two.</p>\n<!-- /wp:paragraph -->"
    )
    assert add_paragraphs(html) == html
    assert html_to_markdown(html) == "One.\n\nTwo."


def test_preformatted_text_is_kept_verbatim():
    html = "Code:\n\n<pre><code>def f():\n\n    return 1</code></pre>"
    assert html_to_markdown(html) == "Code:\n\n```\ndef f():\n\n    return 1\n```"


def test_caption_shortcode_becomes_a_captioned_figure():
    html = (
        '[caption id="attachment_7" align="aligncenter" width="300"]'
        '<a href="big.jpg"><img src="small.jpg" alt="A flip chart" width="300" /></a>'
        " The chart, <em>after</em> the workshop[/caption]"
    )
    markdown_text = html_to_markdown(html)
    assert markdown_text == (
        "[![A flip chart](small.jpg)](big.jpg)\n/// caption\nThe chart, *after* the workshop\n///"
    )
    rendered = render(markdown_text)
    assert "<figure>" in rendered
    assert "<figcaption>\n<p>The chart, <em>after</em> the workshop</p>\n</figcaption>" in rendered


def test_old_caption_attribute():
    html = '[caption id="" align="alignnone" width="100" caption="Old style"]<img src="o.jpg" alt="o" />[/caption]'
    assert html_to_markdown(html) == "![o](o.jpg)\n/// caption\nOld style\n///"


def test_block_editor_figure_and_blogger_caption_table():
    gutenberg = (
        '<figure class="wp-block-image"><img src="/up/room one.jpg" alt="The room"/>'
        '<figcaption>At the <a href="https://venue.example/">library</a></figcaption></figure>'
    )
    assert html_to_markdown(gutenberg) == (
        "![The room](/up/room%20one.jpg)\n/// caption\nAt the [library](https://venue.example/)\n///"
    )
    blogger = (
        '<table class="tr-caption-container"><tbody><tr><td><a href="b.jpg"><img src="s.jpg" /></a>'
        '</td></tr><tr><td class="tr-caption">Spring mixer</td></tr></tbody></table>'
    )
    assert html_to_markdown(blogger) == "[![](s.jpg)](b.jpg)\n/// caption\nSpring mixer\n///"
    assert "<figcaption>" in render(html_to_markdown(blogger))


def test_figure_without_caption_is_just_the_image():
    assert html_to_markdown('<figure><img src="x.png" alt="X"></figure>') == "![X](x.png)"


def test_nested_lists_render_nested():
    html = "<ul><li>One<ul><li>One a</li></ul></li><li>Two</li></ul><ol><li>First</li><li>Second</li></ol>"
    markdown_text = html_to_markdown(html)
    assert markdown_text == "- One\n    - One a\n- Two\n\n1. First\n2. Second"
    assert "<li>One<ul>\n<li>One a</li>" in render(markdown_text)


def test_text_that_looks_like_markup_stays_text():
    html = "<p>Type &lt;script&gt;alert(1)&lt;/script&gt; or &amp;copy; then snake_case *bold*</p>"
    markdown_text = html_to_markdown(html)
    rendered = render(markdown_text)
    assert "<script>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&amp;copy;" in rendered
    assert "snake_case *bold*" in rendered


def test_headings_links_quotes_and_embeds():
    html = (
        "<h2>Heading</h2><p>A <a href='https://ex.org/'>link</a>.</p>"
        "<blockquote>Quoted<br>twice</blockquote>"
        '<iframe src="https://video.example/embed/1" title="The talk"></iframe>'
        "<script>tracker()</script>"
    )
    assert html_to_markdown(html) == (
        "## Heading\n\nA [link](https://ex.org/).\n\n> Quoted  \n> twice\n\n"
        "[The talk](https://video.example/embed/1)"
    )


def test_summary_is_one_line():
    assert html_to_line("<p>Why the <em>card</em></p>\n<p>comes last.</p>") == "Why the *card* comes last."
    assert html_to_line("") == ""


def test_images_and_uploads_keep_loading_from_the_old_site():
    html = (
        '<p><img src="/wp-content/uploads/a.jpg" alt="A"> <a href="/wp-content/uploads/plan.pdf">plan</a>'
        ' and <a href="/2019/05/other-post/">another post</a></p>'
    )
    assert html_to_markdown(html, base_url="https://old.example.com") == (
        "![A](https://old.example.com/wp-content/uploads/a.jpg) "
        "[plan](https://old.example.com/wp-content/uploads/plan.pdf) and "
        # Old post addresses stay: the new site redirects them.
        "[another post](/2019/05/other-post/)"
    )
