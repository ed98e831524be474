"""handbill_figure_links: the Markdown tree in isolation, then on its own in a Pelican build."""

import markdown
from hypothesis import given
from hypothesis import strategies as st

from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill_figure_links.markdown import HINT, FigureLinkExtension

PLUGIN = "handbill_figure_links"


def convert(text):
    extensions = ["markdown.extensions.extra", "pymdownx.blocks.caption", FigureLinkExtension()]
    return markdown.markdown(text, extensions=extensions, output_format="html5")


def test_a_figure_image_links_to_its_file_and_keeps_its_caption():
    html = convert("![A chart](chart.svg)\n/// caption\nThe chart.\n///\n")
    assert '<a class="figure-link" href="chart.svg"><img alt="A chart" src="chart.svg">' in html
    assert f'<span class="figure-link__hint">{HINT}</span></a>' in html
    assert "<figcaption>" in html


def test_an_image_alone_in_its_paragraph_is_linked_but_not_one_in_text_or_in_a_link():
    html = convert("![Alone](a.png)\n\nSee ![icon](i.png) here.\n\n[![Linked](l.png)](page.html)\n")
    assert '<p><a class="figure-link" href="a.png"><img alt="Alone" src="a.png">' in html
    assert '<p>See <img alt="icon" src="i.png"> here.</p>' in html
    assert '<p><a href="page.html"><img alt="Linked" src="l.png"></a></p>' in html
    assert html.count("figure-link") == 2  # the link and its hint, once


words = st.text(alphabet="abcdefghij klm", min_size=1, max_size=30).map(str.strip).filter(bool)


@given(alt=words, before=words, after=words)
def test_the_text_around_a_linked_image_is_kept_in_order(alt, before, after):
    html = convert(f"{before}\n\n![{alt}](x.png)\n\n{after}\n")
    assert html.index(f"<p>{before}</p>") < html.index('class="figure-link"') < html.rindex(f"<p>{after}</p>")
    assert f'alt="{alt}"' in html


def test_alone_in_a_build_static_sources_resolve_in_the_link_too(tmp_path):
    post = "Title: Chart\nDate: 2024-01-01\nSlug: chart\n\n![A chart]({static}/images/chart.svg)\n"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    site = build_with_only(
        PLUGIN,
        {"chart.md": post, "images/chart.svg": svg},
        tmp_path,
        MARKDOWN={"extension_configs": {"markdown.extensions.extra": {}}, "output_format": "html5"},
    )
    assert_alone(site, PLUGIN)
    html = site.read("chart.html")
    assert '<a class="figure-link" href="/images/chart.svg"><img alt="A chart" src="/images/chart.svg">' in html
