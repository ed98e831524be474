"""HTML from WordPress and Blogger → clean Markdown for Python-Markdown.

markdownify does the conversion; this module prepares what those platforms
store (WordPress keeps paragraphs as blank lines and captions as a
``[caption]`` shortcode, Blogger keeps captions in a table) and adapts the
output to the site's Markdown: figures become an image followed by a
pymdownx caption block, nested lists are indented by four spaces, and text
that looks like an HTML tag stays text. Pure functions, no I/O.
"""

import re
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment
from markdownify import ATX, MarkdownConverter

# Tags that start a block of their own; text between them is a paragraph.
BLOCK_TAGS = (
    "address|article|aside|blockquote|caption|col|colgroup|dd|details|div|dl|dt|fieldset|figcaption"
    "|figure|footer|form|h[1-6]|header|hgroup|hr|iframe|legend|li|menu|nav|ol|p|pre|section|summary"
    "|table|tbody|td|tfoot|th|thead|tr|ul"
)
_BLOCK_START = re.compile(rf"(<(?:{BLOCK_TAGS})[\s/>])", re.I)
_BLOCK_END = re.compile(rf"(</(?:{BLOCK_TAGS})>)", re.I)
_STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{BLOCK_TAGS})[\s/>]", re.I)
_PRE = re.compile(r"<pre[\s>].*?</pre>", re.I | re.S)
_CAPTION_SHORTCODE = re.compile(r"\[caption([^\]]*)\](.*?)\[/caption\]", re.I | re.S)
_CAPTION_ATTRIBUTE = re.compile(r"""caption=(["'])(.*?)\1""", re.I | re.S)
# The image (maybe inside a link) that a [caption] shortcode starts with.
_LEADING_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.I | re.S)
# Where WordPress keeps uploaded files (images, PDFs...).
UPLOAD_PATHS = ("/wp-content/", "/files/")
_TAG_LIKE = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")


def _caption_shortcodes_to_figures(html):
    """WordPress's ``[caption …]<img …> Text[/caption]`` → ``<figure>`` with a ``<figcaption>``."""

    def figure(match):
        attributes, inner = match.group(1), match.group(2)
        media = _LEADING_MEDIA.match(inner)
        if not media:
            return inner
        caption = media.group(2).strip()
        if not caption:
            # Before WordPress 3.4 the caption was an attribute of the shortcode.
            attribute = _CAPTION_ATTRIBUTE.search(attributes)
            caption = attribute.group(2) if attribute else ""
        return f"<figure>{media.group(1)}<figcaption>{caption}</figcaption></figure>"

    return _CAPTION_SHORTCODE.sub(figure, html)


def add_paragraphs(html):
    """Wrap text separated by blank lines in ``<p>``, as WordPress does when it shows a post.

    WordPress's classic editor stores paragraphs as blank lines and line
    breaks as single newlines (its ``wpautop`` adds the markup on display).
    Block elements (lists, headings, ``<pre>``...) stand apart from the
    paragraphs around them; block-editor content, whose paragraphs are
    ``<p>`` already, is left alone.
    """
    if "<!-- wp:" in html:
        return html
    preformatted = []

    def keep(match):
        preformatted.append(match.group(0))
        return f"\n\n\x00{len(preformatted) - 1}\x00\n\n"

    text = _PRE.sub(keep, html.replace("\r\n", "\n").replace("\r", "\n"))
    text = _BLOCK_END.sub(r"\1\n\n", _BLOCK_START.sub(r"\n\n\1", text))
    blocks = []
    for raw_block in re.split(r"\n\s*\n", text):
        block = raw_block.strip()
        if not block:
            continue
        if _STARTS_WITH_BLOCK.match(block) or re.fullmatch(r"\x00\d+\x00", block):
            blocks.append(block)
        else:
            blocks.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", block) + "</p>")
    joined = "\n".join(blocks)
    return re.sub(r"\x00(\d+)\x00", lambda match: preformatted[int(match.group(1))], joined)


def widest_candidate(srcset):
    """The address of the widest (or densest) candidate of a ``srcset``, or ""."""
    best, best_size = "", -1.0
    for candidate in srcset.split(","):
        words = candidate.split()
        if not words:
            continue
        descriptor = words[1] if len(words) > 1 else "1x"
        try:
            size = float(descriptor[:-1]) if descriptor[-1:] in ("w", "x") else 0.0
        except ValueError:
            size = 0.0
        if size > best_size:
            best, best_size = words[0], size
    return best


def _prepare(soup, base_url, rewrite):
    """Rewrite the platforms' own markup into plain HTML markdownify understands."""
    for image in soup.find_all("img"):
        # Markdown has no srcset: the image keeps its sharpest version (handouts print it).
        source = widest_candidate(image.get("srcset", "")) or image.get("src", "").strip()
        if source:
            image["src"] = source
    if base_url:
        # Images and uploaded files were served by the old site; paths to them
        # mean nothing on the new one, so they point there (until fetched).
        for image in soup.find_all("img", src=True):
            image["src"] = urljoin(base_url, image["src"].strip())
        for link in soup.find_all("a", href=True):
            if urlsplit(link["href"]).path.startswith(UPLOAD_PATHS):
                link["href"] = urljoin(base_url, link["href"].strip())
    if rewrite:
        for image in soup.find_all("img", src=True):
            image["src"] = rewrite(image["src"], "img")
        for link in soup.find_all("a", href=True):
            link["href"] = rewrite(link["href"].strip(), "a")
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    # Blogger puts a captioned image in a table: image in the first row, caption in the next.
    for table in soup.find_all("table", class_="tr-caption-container"):
        image_cell = table.find("img")
        caption_cell = table.find(class_="tr-caption")
        if image_cell is None:
            continue
        figure = soup.new_tag("figure")
        media = image_cell.parent if image_cell.parent.name == "a" else image_cell
        figure.append(media.extract())
        if caption_cell is not None:
            caption = soup.new_tag("figcaption")
            caption.extend(list(caption_cell.contents))
            figure.append(caption)
        table.replace_with(figure)
    for element in soup.find_all(["script", "style", "noscript"]):
        element.decompose()


class _Converter(MarkdownConverter):
    def __init__(self):
        super().__init__(
            heading_style=ATX,
            bullets="-",
            strong_em_symbol="*",
            escape_underscores=True,
            escape_asterisks=True,
        )

    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        # Text that reads like a tag or an entity must stay text in Markdown.
        return _TAG_LIKE.sub("&lt;", _ENTITY_LIKE.sub("&amp;", text))

    def convert_img(self, el, text, parent_tags):
        if el.get("src"):
            el["src"] = el["src"].strip().replace(" ", "%20")
        return super().convert_img(el, text, parent_tags)

    def convert_figcaption(self, el, text, parent_tags):
        # Inside a figure, convert_figure places the caption.
        return "" if "figure" in parent_tags else super().convert_figcaption(el, text, parent_tags)

    def convert_figure(self, el, text, parent_tags):
        media = text.strip()
        caption_element = el.find("figcaption")
        caption = ""
        if caption_element is not None:
            caption = "".join(
                self.process_element(child, parent_tags={"figcaption", "_inline"})
                for child in caption_element.children
            )
            caption = re.sub(r"\s+", " ", caption).strip()
        if not caption:
            return f"\n\n{media}\n\n"
        return f"\n\n{media}\n/// caption\n{caption}\n///\n\n"

    def convert_iframe(self, el, text, parent_tags):
        source = (el.get("src") or "").strip()
        if not source:
            return ""
        title = (el.get("title") or "").strip() or "Embedded content"
        return f"\n\n[{self.escape(title, parent_tags)}]({source})\n\n"

    def convert_li(self, el, text, parent_tags):
        # Python-Markdown continues a list item (and nests lists) at four spaces.
        item = super().convert_li(el, text, parent_tags)
        first, newline, rest = item.partition("\n")
        bullet = re.match(r"\s*\S+ ", first)
        if not rest or bullet is None:
            return item
        width = len(bullet.group(0))
        rest = re.sub(rf"(?m)^ {{{width}}}", "    ", rest)
        return first + newline + rest


_CONVERTER = _Converter()


def _tidy(markdown):
    lines = [line if line.strip() else "" for line in markdown.split("\n")]
    # A line break (two trailing spaces) before a blank line or at the end means nothing.
    text = "\n".join(lines)
    text = re.sub(r" {2,}\n(?=\n|$)", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def html_to_markdown(html, base_url="", rewrite=None):
    """Clean Markdown for a post's or a comment's HTML ("" for no content).

    ``base_url`` is the old site's address: relative addresses of images and
    uploaded files are made absolute against it. ``rewrite(address, tag)``,
    when given, returns the address an image (``tag`` "img") or a link ("a")
    gets instead (see links.ReferenceRewriter).
    """
    if not html or not html.strip():
        return ""
    soup = BeautifulSoup(add_paragraphs(_caption_shortcodes_to_figures(html)), "html.parser")
    _prepare(soup, base_url, rewrite)
    return _tidy(_CONVERTER.convert_soup(soup))


def html_to_line(html):
    """One line of Markdown for a summary (paragraphs joined, block markup dropped)."""
    markdown = html_to_markdown(html)
    lines = [re.sub(r"^(?:#+|>|-|\d+\.)\s+", "", line.strip()) for line in markdown.split("\n")]
    return " ".join(line for line in lines if line)
