"""Email addresses out of comment text, judged by what a reader sees. Pure, no I/O.

A record's text is Markdown, and what a reader sees of it is not its raw
characters: ``leak&#64;victim.example`` shows an ``@``, ``leak@*victim*.example``
shows the address with one word in italics, ``leak@victim\\.example`` loses its
backslash, a full-width ``＠`` or an ideographic ``。`` reads as ``@`` and ``.``,
and a zero-width space inside an address is not seen at all. So addresses are
looked for in a *reader view* of the text, built character by character with
the span of raw text each view character comes from:

* HTML character references are decoded (named, decimal, hex, as a browser
  does, with or without the semicolon);
* a Markdown backslash escape shows the character it escapes;
* emphasis, strong, code and strike markers (``*`` ``_`` `````` ``~``), link
  brackets and a link's destination show nothing;
* invisible and format characters (Default_Ignorable_Code_Point, Cf) and
  combining marks show nothing;
* every other character is NFKC-folded, and what Unicode's confusables data
  says looks like a full stop, and what IDNA (UTS #46) reads as one between the
  labels of a domain (``。``), counts as ``.``.

An address found in the view is redacted by replacing the whole raw span it
covers. The raw text is searched as well, for addresses a reader does not see
but a link carries (``[me](mailto:ann@x.example)``), and so is the reader view
of each link's destination and title, which show on hover.

Not covered: addresses spelled out in words ("ann at example dot com").
"""

import html
import string
import unicodedata
from html.parser import HTMLParser

import regex

EMAIL_REMOVED = "[email address removed]"

_LOCAL_PART = r"[\w.!#$%&'*+/=?^`{|}~-]"
# An email address, with or without mailto:. Its last domain label has a
# letter (top-level domains do), so "me@5.30" and "version 2.0" are not addresses.
EMAIL_ADDRESS = regex.compile(
    rf"(?:mailto:)?{_LOCAL_PART}+@[\w-]+(?:\.[\w-]+)*\.(?=[\w-]*[^\W\d_])[\w-]+", regex.IGNORECASE
)
_LOCAL_CHARACTERS = regex.compile(rf"{_LOCAL_PART}")
_MAILTO = "mailto:"

# Markdown's inline markers and link brackets: a reader sees the text between them, not them.
_MARKUP_MARKERS = frozenset("*_`~[]")
_ASCII_PUNCTUATION = frozenset(string.punctuation)
_CHARACTER_REFERENCE = regex.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# A link's destination and title, after its text: "](https://x.example "title")".
_LINK_DESTINATION = regex.compile(r"\]\([^()\s]*(?:\([^()\s]*\)[^()\s]*)*(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_UNSEEN = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Mn}\p{Me}]")
# IDNA maps the ideographic full stop to "." between domain labels (UTS #46);
# the NFKC forms of the full-width and half-width stops are "." and this.
_IDEOGRAPHIC_FULL_STOP = "\u3002"


# What Unicode's confusables data says looks like a full stop (confusable-homoglyphs'
# ``confusables_data["."]``, its right-to-left glyphs without the left-to-right marks the data
# wraps them in), written out: loading the data takes 6 MB and about 40 ms, and every record
# read needs only these. A test derives them from the installed data again.
CONFUSABLE_FULL_STOPS = frozenset(
    "\u0660\u06f0\u0701\u0702\u2024\ua4f8\ua60e\U00010a50\U0001d16d"
)
_DOTS = frozenset({".", _IDEOGRAPHIC_FULL_STOP, *CONFUSABLE_FULL_STOPS})


def _seen(character):
    """What a reader sees of one character of text once it is displayed: "" for nothing."""
    if character in _MARKUP_MARKERS or _UNSEEN.fullmatch(character):
        return ""
    folded = unicodedata.normalize("NFKC", character)
    return "".join("." if one in _DOTS else one for one in folded if not _UNSEEN.fullmatch(one))


def reader_view(text):
    """``(view, spans)``: the text a reader sees of Markdown ``text``, and for each of
    its characters the ``(start, end)`` of the raw text it comes from."""
    view, spans = [], []

    def emit(seen, start, end):
        view.append(seen)
        spans.extend([(start, end)] * len(seen))

    position = 0
    while position < len(text):
        character = text[position]
        if character == "&" and (reference := _CHARACTER_REFERENCE.match(text, position)):
            decoded = html.unescape(reference.group())
            if decoded != reference.group():
                emit("".join(map(_seen, decoded)), position, reference.end())
                position = reference.end()
                continue
        if character == "\\" and text[position + 1 : position + 2] in _ASCII_PUNCTUATION:
            emit(_seen(text[position + 1]), position, position + 2)
            position += 2
            continue
        if character == "]" and (destination := _LINK_DESTINATION.match(text, position)):
            position = destination.end()
            continue
        emit(_seen(character), position, position + 1)
        position += 1
    return "".join(view), spans


def _address_spans(text):
    """``(start, end)`` of every email address in ``text``.

    Searched from each "@" outwards rather than by one regex over the text,
    which would take time quadratic in a long run of word characters.
    """
    for at in (index for index, character in enumerate(text) if character == "@"):
        start = at
        while start > 0 and _LOCAL_CHARACTERS.fullmatch(text[start - 1]):
            start -= 1
        # "*ann@x.example*": the emphasis around an address stays, balanced.
        while start < at and text[start] in _MARKUP_MARKERS:
            start += 1
        if text[max(0, start - len(_MAILTO)) : start].lower() == _MAILTO:
            start -= len(_MAILTO)
        if start < at and (address := EMAIL_ADDRESS.match(text, start)):
            yield address.start(), address.end()


def _raw_spans(text):
    """The raw spans of ``text`` that show, or carry, an email address, merged and in order."""
    if "@" not in unicodedata.normalize("NFKC", html.unescape(text)):
        return []  # the usual case, decided quickly: no view of this text has an "@"
    view, view_spans = reader_view(text)
    found = list(_address_spans(text))
    found += [(view_spans[start][0], view_spans[end - 1][1]) for start, end in _address_spans(view)]
    found += _link_destination_spans(text)
    merged = []
    for start, end in sorted(found):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _link_destination_spans(text):
    """Addresses in links' destinations and titles as a reader sees them on hover
    (``[me](https://x "ann&#64;x.example")``): the reader view leaves those out."""
    found = []
    for destination in _LINK_DESTINATION.finditer(text):
        inside = destination.start() + len("](")
        view, view_spans = reader_view(text[inside : destination.end() - 1])
        found += [
            (inside + view_spans[start][0], inside + view_spans[end - 1][1]) for start, end in _address_spans(view)
        ]
    return found


def redact_emails(text, replacement=EMAIL_REMOVED):
    """``text`` with every email address a reader could see in it (or a link could
    carry) replaced by ``replacement``."""
    pieces, position = [], 0
    for start, end in _raw_spans(text):
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def contains_email_address(text):
    """Whether a reader could see an email address in ``text`` (or a link in it carries one)."""
    return bool(_raw_spans(text))


class _PublishedText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value for name, value in attrs if name in {"href", "title"} and value)


def published_text(html):
    """What anyone can read of rendered ``html``: its text and its links' addresses and titles,
    references decoded."""
    parser = _PublishedText()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def html_shows_email_address(html):
    """Whether a reader of rendered ``html`` could see an email address (the build's last check
    of a comment, and the pre-deploy check of the built pages)."""
    return contains_email_address(published_text(html))
