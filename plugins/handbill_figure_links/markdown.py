"""The Markdown extension that links a figure's image to its file."""

import xml.etree.ElementTree as ET

from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# After the inline patterns (20) have made the <img> elements and pymdownx blocks (19.99)
# their figures; before prettify (10) lays the tree out.
PRIORITY = 15
HINT = "Open the image full size"


def link_figure_images(root):
    """Wrap each image that stands alone in a <figure> (or in a paragraph of its
    own) in ``<a class="figure-link" href="<its src>">``, unless it is in a link
    already. The link's text is the image's alt text and a hint the theme may
    show or hide (``.figure-link__hint``)."""
    for parent in root.iter():
        for index, child in enumerate(list(parent)):
            if child.tag == "img" and child.get("src") and _stands_alone(parent, child):
                link = ET.Element("a", {"class": "figure-link", "href": child.get("src")})
                link.append(child)
                hint = ET.SubElement(link, "span", {"class": "figure-link__hint"})
                hint.text = HINT
                link.tail, child.tail = child.tail, None
                parent.remove(child)
                parent.insert(index, link)


def _stands_alone(parent, image):
    if parent.tag == "figure":
        return True
    # A paragraph whose only content is the image (inside a figure or not).
    return parent.tag == "p" and len(parent) == 1 and not (parent.text or "").strip() and not (image.tail or "").strip()


class FigureLinkTreeprocessor(Treeprocessor):
    def run(self, root):
        link_figure_images(root)


class FigureLinkExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(FigureLinkTreeprocessor(md), "handbill_figure_links", PRIORITY)
