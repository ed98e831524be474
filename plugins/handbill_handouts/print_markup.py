"""Turn a post's rendered HTML into HTML for paper.

Paper cannot be clicked, so every link whose address is not already printed
gets a numbered note at the end with its full URL; Markdown footnotes join the
same numbering, so a reader meets one series of note numbers. Images point at
local files (print resolution, no network); permalink anchors, scripts and
embedded players are removed. Pure: the caller passes ``locate_image``, which
maps an absolute image URL to (the address to print it from, its local file),
or None.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit

_REMOVED_TAGS = ("script", "style", "noscript", "form", "button", "input", "select", "textarea")
_EMBED_TAGS = ("iframe", "video", "audio", "object", "embed")
_LABEL_LENGTH = 70
_ENCODED_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# Decoded, these would change what the address means (or hide a space), so they stay encoded.
_MEANINGFUL_IN_ADDRESS = frozenset("/?#%&=+")
# A printed address may break after these (and never inside "//"), so no word is cut in two.
_ADDRESS_BREAK = re.compile(r"(?<=[/.\-?&=])(?!/)")


@dataclass(frozen=True)
class Note:
    """One numbered note: a link (``label`` and ``url``) or a footnote (``html``)."""

    number: int
    label: str = ""
    url: str = ""
    html: str = ""


@dataclass(frozen=True)
class PrintableContent:
    html: str
    notes: tuple
    images: tuple  # (address, local file) of each image shown, for the cache fingerprint
    problems: tuple  # things a reader of the build log should know (missing images…)


def printed_form(url):
    """How an address reads on paper: mail and phone without their scheme."""
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("mailto", "tel"):
        return unquote(url.split(":", 1)[1])
    return url


def _decoded(match):
    try:
        text = bytes.fromhex(match.group().replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return match.group()
    return "".join(
        char
        if char.isprintable() and not char.isspace() and char not in _MEANINGFUL_IN_ADDRESS
        else quote(char, safe="")
        for char in text
    )


def readable_url(url):
    """An address as a reader types it: ``Dunbar%27s_number`` as ``Dunbar's_number``.
    For printing only; links keep the address as it is."""
    return _ENCODED_RUN.sub(_decoded, url)


def address_parts(url):
    """The readable address in pieces, each ending where a line may break."""
    return [part for part in _ADDRESS_BREAK.split(readable_url(url)) if part]


def _same_text(link_text, address):
    """Is the link's text already the address (an autolink), so a note would repeat it?"""

    def normal(text):
        text = text.strip().lower().removesuffix("/")
        for prefix in ("https://", "http://", "mailto:", "tel:", "www."):
            text = text.removeprefix(prefix)
        return text

    return bool(link_text.strip()) and normal(link_text) == normal(address)


def _label(text):
    text = " ".join(text.split())
    if len(text) > _LABEL_LENGTH:
        return text[: _LABEL_LENGTH - 1].rstrip() + "…"
    return text


class _Notes:
    def __init__(self):
        self.notes = []
        self._by_url = {}

    def for_link(self, url, label):
        if url not in self._by_url:
            self.notes.append(Note(len(self.notes) + 1, label=_label(label), url=url))
            self._by_url[url] = len(self.notes)
        return self._by_url[url]

    def for_footnote(self, html):
        self.notes.append(Note(len(self.notes) + 1, html=html))
        return len(self.notes)


def _note_ref(soup, number):
    ref = soup.new_tag("sup", attrs={"class": "note-ref"})
    anchor = soup.new_tag("a", href=f"#note-{number}")
    anchor.string = str(number)
    ref.append(anchor)
    return ref


def _printed_address(soup, url):
    """``url`` readable, with a <wbr> at each place it may break."""
    printed = soup.new_tag("span", attrs={"class": "notes__url"})
    for number, part in enumerate(address_parts(url)):
        if number:
            printed.append(soup.new_tag("wbr"))
        printed.append(part)
    return printed


def _inline_urls(fragment, page_url, soup):
    """Inside a note, links are printed in place: ``text (URL)``."""
    for anchor in fragment.find_all("a", href=True):
        address = printed_form(urljoin(page_url, anchor["href"]))
        if not anchor["href"].startswith("#") and not _same_text(anchor.get_text(), address):
            anchor.insert_after(" (", _printed_address(soup, address), ")")
        anchor.unwrap()


def _take_footnotes(soup, page_url):
    """Remove Python-Markdown's footnote block; return {ref id: footnote HTML}."""
    bodies = {}
    for block in soup.find_all("div", class_="footnote"):
        for item in block.find_all("li", id=True):
            for backref in item.find_all("a", class_="footnote-backref"):
                backref.decompose()
            _inline_urls(item, page_url, soup)
            bodies[f"#{item['id']}"] = item.decode_contents().strip()
        block.decompose()
    return bodies


def _print_link(soup, anchor, page_url, footnotes, notes):
    href = anchor["href"].strip()
    if href in footnotes:
        ref = _note_ref(soup, notes.for_footnote(footnotes[href]))
        (anchor.parent if anchor.parent.name == "sup" else anchor).replace_with(ref)
        return
    if href.startswith("#"):
        return
    address = urljoin(page_url, href)
    if urlsplit(address).scheme.lower() not in ("http", "https", "mailto", "tel"):
        anchor.unwrap()
        return
    anchor["href"] = address  # the PDF's links still work on screen
    text = anchor.get_text() or " ".join(image.get("alt", "") for image in anchor.find_all("img"))
    if not _same_text(text, printed_form(address)):
        anchor.insert_after(_note_ref(soup, notes.for_link(printed_form(address), text or "Link")))


def _print_image(soup, image, *, page_url, locate_image, notes, images, problems):
    src = image.get("src", "").strip()
    if src.startswith("data:"):
        return
    address = urljoin(page_url, src)
    found = locate_image(address) if src else None
    if found is None:
        alt = image.get("alt", "").strip() or "Image"
        problems.append(f"image {src!r} has no local file; it is printed as a note")
        stand_in = soup.new_tag("span", attrs={"class": "image-note"})
        stand_in.string = f"[{alt}]"
        stand_in.append(_note_ref(soup, notes.for_link(address, alt)))
        image.replace_with(stand_in)
        return
    image["src"] = found[0]
    images.append(found)
    for attribute in ("srcset", "sizes", "loading", "decoding"):
        image.attrs.pop(attribute, None)


def _print_embed(soup, embed, page_url, notes):
    source = embed.get("src") or embed.get("data") or ""
    if not source and embed.find("source", src=True):
        source = embed.find("source", src=True)["src"]
    label = embed.get("title") or f"Embedded {embed.name}"
    stand_in = soup.new_tag("p", attrs={"class": "embed-note"})
    stand_in.string = f"{label} (online only)"
    if source:
        stand_in.append(_note_ref(soup, notes.for_link(urljoin(page_url, source), label)))
    embed.replace_with(stand_in)
    embed.decompose()  # marks what was inside it, so the walk below skips it


def prepare_for_print(content_html, page_url, locate_image):
    """``content_html``: the post's rendered body, its links made absolute by
    Pelican (or relative to ``page_url``, the post's absolute address)."""
    # Imported here: a build whose posts are all kept printable (known_printable) needs no parser.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(content_html, "html.parser")
    for tag in soup.find_all(_REMOVED_TAGS):
        tag.decompose()
    for permalink in soup.find_all("a", class_="headerlink"):
        permalink.decompose()
    # A figure's link to its own image file (handbill_figure_links) is for zooming on a
    # screen; on paper it would only add a note pointing at the picture already printed.
    for figure_link in soup.find_all("a", class_="figure-link"):
        for hint in figure_link.find_all(class_="figure-link__hint"):
            hint.decompose()
        figure_link.unwrap()

    notes = _Notes()
    images = []
    problems = []
    footnotes = _take_footnotes(soup, page_url)
    # Links, footnote references, missing images and embeds share one
    # numbering, in reading order.
    for element in soup.find_all(["a", "img", *_EMBED_TAGS]):
        if element.decomposed:
            continue  # it was inside an embed that is already replaced
        if element.name == "a":
            if element.has_attr("href"):
                _print_link(soup, element, page_url, footnotes, notes)
        elif element.name == "img":
            _print_image(
                soup,
                element,
                page_url=page_url,
                locate_image=locate_image,
                notes=notes,
                images=images,
                problems=problems,
            )
        else:
            _print_embed(soup, element, page_url, notes)
    for picture_source in soup.find_all("source"):
        picture_source.decompose()
    return PrintableContent(
        html=str(soup),
        notes=tuple(notes.notes),
        images=tuple(dict.fromkeys(images)),
        problems=tuple(problems),
    )
