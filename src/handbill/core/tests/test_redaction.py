"""Email addresses are redacted as a reader would see them, and ordinary text is left alone.

Examples name the obfuscations one by one; Hypothesis combines them on
generated addresses and checks the page the comments plugin renders: its
text, decoded and folded as a reader reads it, shows no address.
"""

import html
import re
import unicodedata
from html.parser import HTMLParser

import pytest
import regex
from confusable_homoglyphs.confusables import confusables_data
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handbill.core.redaction import (
    CONFUSABLE_FULL_STOPS,
    EMAIL_REMOVED,
    contains_email_address,
    html_shows_email_address,
    published_text,
    reader_view,
    redact_emails,
)
from handbill_comments.rendering import BodyRenderer

HIDDEN_ADDRESSES = [
    "leak&#64;victim.example",
    "leak&#x40;victim.example",
    "leak&commat;victim&period;example",
    "leak&#64victim.example",  # a browser decodes a numeric reference without its semicolon
    "leak@victim&#46;example",
    "leak@*victim*.example",
    "leak@**victim**.example",
    "leak@_victim_.example",
    "leak@`victim`.example",
    "leak@~~victim~~.example",
    "l*ea*k@victim.example",
    "leak@victim\\.example",
    "leak\\@victim.example",
    "leak@[victim](https://elsewhere.example/).example",
    '[me](https://elsewhere.example/ "leak&#64;victim.example")',  # a link's title shows on hover
    "[me](https://elsewhere.example/ 'leak@*victim*.example')",
    "leak＠victim．example",
    "leak﹫victim․example",
    "leak@victim。example",
    "leak@victim｡example",
    "𝐥𝐞𝐚𝐤@𝐯𝐢𝐜𝐭𝐢𝐦.𝐞𝐱𝐚𝐦𝐩𝐥𝐞",
    "ｌｅａｋ＠ｖｉｃｔｉｍ．ｅｘａｍｐｌｅ",
    "le\u200bak@victim.example",
    "leak@vic\u200ctim.example",
    "leak@victim.\u200dexample",
    "leak\u2060@victim.example",
    "leak@\ufeffvictim.example",
    "leak@vic\u00adtim.example",
    "leak\u202e@victim.example",
    "leak@victim\u2066.example",
    "leak@vi&#8203;ctim.example",
    "l̷e̷a̷k̷@̷v̷i̷c̷t̷i̷m̷.̷e̷x̷a̷m̷p̷l̷e̷",
    "mailto:leak@victim.example",
    "[write](mailto:leak@victim.example)",
    "leak@victim.example",
    "first_last@victim.example",
    "leak+tag@mail.victim.co.uk",
]

ORDINARY_TEXT = [
    "@dana on Twitter says hi",
    "Follow @dana.",
    "version 2.0 is out",
    "See you at 9 a.m. or 5 p.m.",
    "Meet me @ 5.30 at the café.",
    "me@5.30",
    "user@localhost",
    "e.g. ann at example dot com",
    "C# & F# &amp; friends",
    "50% off *today* only_",
    "A `code@span` without a dot",
    "[link](https://example.com/path)",
    "Ellipsis… and 。 Japanese full stops。",
]


@pytest.mark.parametrize("address", HIDDEN_ADDRESSES)
def test_an_address_a_reader_would_see_is_redacted(address):
    text = f"Write to {address} today."
    assert contains_email_address(text)
    redacted = redact_emails(text)
    assert redacted.startswith("Write to ") and redacted.endswith(" today.")
    assert EMAIL_REMOVED in redacted and not contains_email_address(redacted)
    assert "victim" not in redacted.replace("[write]", "")


@pytest.mark.parametrize("text", ORDINARY_TEXT)
def test_ordinary_text_is_left_alone(text):
    assert redact_emails(text) == text
    assert not contains_email_address(text)


def test_emphasis_around_an_address_stays_balanced():
    assert redact_emails("*ann@x.example* and `bob@y.example`") == f"*{EMAIL_REMOVED}* and `{EMAIL_REMOVED}`"


def test_the_replacement_can_be_chosen():
    assert redact_emails("Ann <ann@x.example>", replacement="") == "Ann <>"


def test_a_long_run_without_an_address_is_read_in_one_pass():
    text = "a" * 200_000 + "@" + "b" * 200_000
    assert redact_emails(text) == text


def test_the_reader_view_maps_back_to_the_raw_text():
    view, spans = reader_view("a&#64;*b*\\.c")
    assert view == "a@b.c"
    assert spans == [(0, 1), (1, 6), (7, 8), (9, 11), (11, 12)]


# Generated obfuscations, checked on the rendered page.

WORD = st.text("abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=8)
AT_SIGNS = ["@", "&#64;", "&#x40;", "&#X40;", "&commat;", "＠", "﹫", "&#xFF20;"]
DOTS = [".", "&#46;", "&period;", "．", "｡", "。", "․", "\\.", "&#x2e;"]
INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066", "\u034f", "&#8203;"]
EMPHASIS = ["*", "**", "_", "`", "~~"]


def fold_letter(letter, style):
    if style == "full-width":
        return chr(ord(letter) - ord("a") + 0xFF41)
    if style == "bold":
        return chr(ord(letter) - ord("a") + 0x1D41A)
    if style == "reference":
        return f"&#{ord(letter)};"
    return letter


@st.composite
def disguised(draw, word):
    """``word`` with some letters styled or written as references, invisible characters
    between letters, and part of it emphasised."""
    styles = st.sampled_from(["plain", "full-width", "bold", "reference"])
    letters = [fold_letter(letter, draw(styles)) for letter in word]
    for _ in range(draw(st.integers(0, 2))):
        letters.insert(draw(st.integers(0, len(letters))), draw(st.sampled_from(INVISIBLES)))
    if draw(st.booleans()) and len(letters) > 1:
        start = draw(st.integers(0, len(letters) - 1))
        end = draw(st.integers(start + 1, len(letters)))
        marker = draw(st.sampled_from(EMPHASIS))
        letters[start:end] = [marker, *letters[start:end], marker]
    return "".join(letters)


@st.composite
def hidden_address(draw):
    local, domain, suffix = draw(WORD), draw(WORD), draw(st.sampled_from(["com", "org", "example", "co.uk"]))
    dot = st.sampled_from(DOTS)
    return (
        draw(disguised(local)) + draw(st.sampled_from(AT_SIGNS)) + draw(disguised(domain))
        + draw(dot) + draw(dot).join(draw(disguised(part)) for part in suffix.split("."))
    )


class PageText(HTMLParser):
    """The text of rendered HTML and the addresses of its links, references decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    def handle_starttag(self, tag, attrs):
        self.parts.extend(f" {value} " for name, value in attrs if name == "href" and value)


# Written apart from redaction.py on purpose: what a reader reads, by other means.
_NOT_SEEN = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}\p{Mn}\p{Me}]")
_READ_AS_DOT = str.maketrans({"。": ".", "․": "."})
_AN_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def read_as_a_reader(page):
    parser = PageText()
    parser.feed(page)
    parser.close()
    text = unicodedata.normalize("NFKC", html.unescape("".join(parser.parts)))
    return _NOT_SEEN.sub("", text).translate(_READ_AS_DOT)


PROPERTIES = settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
RENDERER = BodyRenderer()


@PROPERTIES
@given(
    hidden_address(), st.sampled_from(["", "Mail me: ", "*Hi!* ", "> quoted "]), st.sampled_from(["", ".", " thanks"])
)
def test_no_disguise_shows_an_address_on_the_rendered_page(address, before, after):
    body = f"{before}{address}{after}"
    assert contains_email_address(body)
    assert not _AN_ADDRESS.search(read_as_a_reader(RENDERER.render(body)))
    assert not _AN_ADDRESS.search(read_as_a_reader(RENDERER.render(redact_emails(body))))


@PROPERTIES
@given(hidden_address(), st.text(max_size=40), st.text(max_size=40))
def test_redaction_is_idempotent(address, before, after):
    once = redact_emails(f"{before} {address} {after}")
    assert redact_emails(once) == once and not contains_email_address(once)


@PROPERTIES
@given(st.text(st.characters(exclude_characters="@＠﹫&")))
def test_text_without_an_at_sign_is_never_changed(text):
    assert redact_emails(text) == text


@PROPERTIES
@given(st.text())
def test_every_character_of_the_reader_view_comes_from_the_text_in_order(text):
    view, spans = reader_view(text)
    assert len(view) == len(spans)
    assert all(0 <= start < end <= len(text) for start, end in spans)
    assert spans == sorted(spans)


def test_published_text_decodes_references_and_reads_links():
    html = '<p>a &amp; b&#64;c <a href="https://x.example/?q=1" title="T">link</a></p>'
    assert published_text(html) == "a & b@c  https://x.example/?q=1 T link"
    assert html_shows_email_address(html.replace("b&#64;c", "b&#64;c.example"))
    assert not html_shows_email_address(html)


def test_the_confusable_full_stops_are_those_of_the_installed_confusables_data():
    # The data wraps right-to-left glyphs in left-to-right marks.
    assert {entry["c"].strip("\u200e\u200f") for entry in confusables_data["."]} == CONFUSABLE_FULL_STOPS
