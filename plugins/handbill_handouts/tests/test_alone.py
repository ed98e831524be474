"""handbill_handouts on its own: Pelican's defaults and default theme, no other Handbill plugin.

What the plugin needs from outside:

* a ``handouts.html`` template in the theme, for the index page it writes
  (Pelican's default theme has none, so a two-line one is added with
  THEME_TEMPLATES_OVERRIDES; Handbill's theme ships the real one). The PDFs
  themselves come from the plugin's own templates and the fonts it bundles;
* BRAND with an absolute ``website`` (or HANDOUTS["site_url"], or an
  absolute SITEURL), for the QR code back to the post; the brand name falls
  back to AUTHOR, the fonts to the bundled Source Serif 4 / Source Sans 3.
"""

from pypdf import PdfReader

from handbill.testing.plugin_site import assert_alone, build_with_only
from handbill_handouts.tests.pdfs import embedded_font_names, page_texts, qr_codes

PLUGIN = "handbill_handouts"

INDEX_TEMPLATE = """\
{% for handout in handouts %}<a href="{{ SITEURL }}/{{ handout.url }}">{{ handout.article.title }}</a>
{% endfor %}"""

FILES = {
    "meeting-people.md": """\
        Title: Meeting People Who Matter
        Date: 2024-03-05 09:30
        Slug: meeting-people
        Handout: yes

        Walk into the room with one question you actually want answered.
        """,
    "no-handout.md": "Title: Just a Post\nDate: 2024-03-06\nSlug: no-handout\n\nNot for print.\n",
}


def test_a_post_that_asks_for_one_gets_a_branded_pdf_handout(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "handouts.html").write_text(INDEX_TEMPLATE)
    site = build_with_only(
        PLUGIN,
        FILES,
        tmp_path / "site",
        AUTHOR="Dana Whitfield",
        BRAND={"website": "https://coach.example"},
        HANDOUTS={"workers": 1},
        THEME_TEMPLATES_OVERRIDES=[str(templates)],
    )
    assert_alone(site, PLUGIN)

    pdf = site.output / "handouts" / "meeting-people.pdf"
    text = " ".join(page_texts(pdf))
    assert "Meeting People Who Matter" in text
    assert "Dana Whitfield" in text  # the brand, from AUTHOR
    assert PdfReader(pdf).metadata.title == "Meeting People Who Matter"
    fonts = embedded_font_names(pdf)
    assert any(name.startswith("Source-Serif-4") for name in fonts), fonts
    # Pelican's default URLs: the post is at <slug>.html.
    assert qr_codes(pdf) == ["https://coach.example/meeting-people.html"]

    assert sorted(path.name for path in (site.output / "handouts").glob("*.pdf")) == ["meeting-people.pdf"]
    handouts = {article.slug: article.handout for article in site.articles}
    assert handouts["no-handout"] is None
    assert handouts["meeting-people"].url == "handouts/meeting-people.pdf"
    index = site.read("handouts/index.html")
    assert '<a href="/handouts/meeting-people.pdf">Meeting People Who Matter</a>' in index
