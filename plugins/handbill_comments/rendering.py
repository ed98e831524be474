"""Turn reviewed comments into what the theme shows: safe HTML and plain values.

Bodies are Markdown in a small subset — paragraphs, line breaks, emphasis,
code, lists, block quotes and http(s) links — rendered by a Markdown instance
of their own (not Pelican's) that passes no raw HTML through, with the same
typographic quotes and dashes as posts (smarty), then sanitized
with nh3 so nothing executable can survive whatever the Markdown produced.
Email addresses in bodies are removed: no commenter's address reaches the site.
Names and websites are left as plain text for the templates to escape.

Rendering is bounded: ``render_body`` refuses what ``bodies.body_problem``
refuses (deep nesting, which makes Markdown recurse), the renderer defuses
the bracket runs that make Markdown's link search quadratic, and a body that
still fails is reported, not raised, so one record never stops the build.
Threads are laid out without recursion, nested to DISPLAY_LEVELS levels.
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from handbill.core.bodies import body_problem
from handbill.core.comment_settings import CLOSED_NOTICE
from handbill.core.records import WEB_ADDRESS, redact_emails
from handbill.core.redaction import html_shows_email_address

from .threads import walk

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow ugc noopener"

# Replies nest this many levels deep on the page (top-level comments are the
# first); deeper replies are shown at the last level, saying whom they answer.
DISPLAY_LEVELS = 4

# Markdown features outside the subset: raw HTML (escaped as text instead),
# images, headings (they would break the page's outline) and <addr> mail links.
_DROPPED_PREPROCESSORS = ("html_block",)
_DROPPED_BLOCKS = ("hashheader", "setextheader")
_DROPPED_INLINE = ("html", "automail", "image_link", "image_reference", "short_image_ref")

# Python-Markdown looks for the end of a link from every "[" (and from the "("
# after "]") by scanning to its partner, or to the end of the paragraph when
# there is none: 5,000 "[" meant 5,000 scans of the whole body. Before
# Markdown, the characters that cannot open a link or its destination are
# swapped for private-use stand-ins, and put back in the sanitized HTML.
_STAND_IN = {"[": "\ue000", "]": "\ue001", "(": "\ue002", '"': "\ue003", "'": "\ue004"}
# Quotes go back as references, which read the same in text and in attributes.
_PUT_BACK = str.maketrans({"\ue000": "[", "\ue001": "]", "\ue002": "(", "\ue003": "&quot;", "\ue004": "&#39;"})
# The stand-ins themselves never come from a commenter.
_NO_STAND_INS = str.maketrans(dict.fromkeys(map(ord, _STAND_IN.values()), "\ufffd"))
# A destination with a title, (url "title"); quotes anywhere else in a
# destination would send Markdown's title search to the end of the paragraph.
_DESTINATION_WITH_TITLE = re.compile(r"""\s*\S*\s+(?:"[^"]*"|'[^']*')\s*""")


def _partners(text, opening, closing):
    """{index of an ``opening`` character: index of its ``closing`` partner}, escapes skipped."""
    partners, open_at = {}, []
    position = 0
    while position < len(text):
        character = text[position]
        if character == "\\":
            position += 2
            continue
        if character == opening:
            open_at.append(position)
        elif character == closing and open_at:
            partners[open_at.pop()] = position
        position += 1
    return partners


def defuse_links(text):
    """``text`` with every bracket that cannot open a link, or that sits inside one, swapped for a stand-in.

    Links that can be links are left alone, and never overlap, so Markdown
    scans each character for a link's end a bounded number of times.
    """
    text = text.translate(_NO_STAND_INS)
    brackets = _partners(text, "[", "]")
    parens = _partners(text, "(", ")")
    out = list(text)

    def stand_in_inside(start, end, characters):
        for index in range(start, end):
            if text[index] in characters:
                out[index] = _STAND_IN[text[index]]

    position = 0
    while position < len(text):
        character = text[position]
        if character == "\\":
            position += 2
        elif character != "[":
            position += 1
        elif position not in brackets:
            out[position] = _STAND_IN["["]
            position += 1
        else:
            end = brackets[position]
            stand_in_inside(position + 1, end, "[]")
            position = end + 1
            if position < len(text) and text[position] == "(":
                if position not in parens:
                    out[position] = _STAND_IN["("]
                    position += 1
                    continue
                end = parens[position]
                quotes = "" if _DESTINATION_WITH_TITLE.fullmatch(text, position + 1, end) else "\"'"
                stand_in_inside(position + 1, end, "[]" + quotes)
                position = end + 1
    return "".join(out)


def _web_links_only(tag, attribute, value):
    if attribute == "href" and not WEB_ADDRESS.fullmatch(value):
        return None
    return value


def comment_markdown():
    """Python-Markdown limited to the comment subset (no raw HTML, images, headings or mail links),
    with the typography posts get: ``smarty``, as in pelicanconf's MARKDOWN (curly quotes, "--" an
    en dash, "---" an em dash, ellipses; code is left as typed)."""
    md = markdown.Markdown(extensions=["nl2br", "sane_lists", "smarty"], output_format="html")
    for name in _DROPPED_PREPROCESSORS:
        md.preprocessors.deregister(name)
    for name in _DROPPED_BLOCKS:
        md.parser.blockprocessors.deregister(name)
    for name in _DROPPED_INLINE:
        md.inlinePatterns.deregister(name)
    return md


class BodyRenderer:
    """Comment Markdown → sanitized HTML. One instance per build; not thread-safe."""

    def __init__(self):
        # Set up at the first body rendered: a build that keeps every body's rendering
        # (known_bodies) renders none, and setting up Markdown took about 30 ms.
        self._markdown = None

    def render(self, text):
        """The body's safe HTML; raises whatever Markdown raises (see ``render_body``)."""
        text = defuse_links(redact_emails(text))
        if self._markdown is None:
            self._markdown = comment_markdown()
        try:
            html = self._markdown.reset().convert(text)
        except Exception:
            self._markdown = None  # a conversion cut short may leave state behind
            raise
        return nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=_web_links_only,
            url_schemes={"http", "https"},
            link_rel=LINK_REL,
            strip_comments=True,
        ).translate(_PUT_BACK)


def render_body(renderer, text):
    """(html, None) for a body fit to publish, else (None, why it is held)."""
    problem = body_problem(text)
    if problem:
        return None, f"body refused: {problem}"
    try:
        html = renderer.render(text)
    except Exception as error:  # noqa: BLE001 - whatever one body makes Markdown raise, the site still builds
        first_line = next(iter(str(error).splitlines()), "")
        return None, f"body could not be rendered ({type(error).__name__}: {first_line})"
    if html_shows_email_address(html):
        return None, "body would show an email address once rendered"
    return html, None


def safe_website(url):
    """``url`` when it is an http(s) address, else "" (records already check; templates rely on it)."""
    return url if url and WEB_ADDRESS.fullmatch(url) else ""


@dataclass
class CommentView:
    id: str
    author: str
    website: str
    date: object  # aware datetime in the site's time zone
    date_display: str
    html: str
    is_owner: bool
    depth: int  # the level it is shown at: 0 (top level) to DISPLAY_LEVELS - 1
    parent_id: str  # "" for a top-level comment
    parent_author: str
    shows_parent: bool  # deeper than the page nests, so it says whom it answers
    reply_mailto: str
    opens_replies: bool = False  # the next comment is its reply, one level in
    closes: int = 0  # how many levels of replies end after it

    @property
    def date_iso(self):
        return self.date.isoformat()


@dataclass
class CommentSection:
    """Everything the theme's comment partials need about one post (``article.comment_section``)."""

    slug: str
    mode: str  # open | closed | hidden
    notice: str
    count: int
    thread: list  # CommentView in page order; depth, opens_replies and closes give the nesting
    closes_at: object  # aware datetime or None
    form_action: str  # the service's /comments address, "" without a service
    token_url: str
    mailto: str  # the email fallback, "" when there is a service (or no contact_email)


def mailto_link(contact_email, slug, title, reply_to=""):
    """A mailto: link whose subject names the post's slug (and the comment replied to)."""
    if not contact_email:
        return ""
    subject = f"Comment on {slug}" + (f" (reply to {reply_to})" if reply_to else "")
    body = (
        f"Post: {title}\n"
        + (f"In reply to: {reply_to}\n" if reply_to else "")
        + "Full name: \nWebsite (optional): \n\nComment:\n\n"
    )
    return f"mailto:{contact_email}?subject={quote(subject)}&body={quote(body)}"


def comment_section(slug, title, post_comments, settings, *, timezone, date_format):
    """The CommentSection of a post from its review (review.PostComments)."""
    state = post_comments.state
    use_mail = not settings.service_url
    title = Markup(title).striptags()  # Pelican's titles are HTML (typographic entities)

    nodes = list(walk(post_comments.thread.roots))
    authors = {node.record.id: node.record.author for node in nodes}
    views = []
    for node in nodes:
        record = node.record
        date = record.date.astimezone(timezone)
        views.append(
            CommentView(
                id=record.id,
                author=record.author,
                website=safe_website(record.website),
                date=date,
                date_display=date.strftime(date_format),
                html=post_comments.bodies[record.id],
                is_owner=record.identity == "site-owner",
                depth=min(node.depth, DISPLAY_LEVELS - 1),
                parent_id=record.reply_to,
                parent_author=authors.get(record.reply_to, ""),
                shows_parent=node.depth >= DISPLAY_LEVELS,
                reply_mailto=mailto_link(settings.contact_email, slug, title, record.id) if use_mail else "",
            )
        )
    # In page order a comment is followed by its first reply (one level in) or
    # by a comment at its own level or above; the template opens and closes
    # the lists of replies from these two values.
    depths = [view.depth for view in views] + [0]
    for view, next_depth in zip(views, depths[1:], strict=True):
        view.opens_replies = next_depth > view.depth
        view.closes = max(0, view.depth - next_depth)

    return CommentSection(
        slug=slug,
        mode=state.mode,
        notice=settings.notice_for(state.policy) if state.mode == "open" else CLOSED_NOTICE,
        count=post_comments.thread.count,
        thread=views,
        closes_at=state.closes_at,
        form_action=f"{settings.service_url}/comments" if settings.service_url else "",
        token_url=f"{settings.service_url}/token" if settings.service_url else "",
        mailto=mailto_link(settings.contact_email, slug, title) if use_mail else "",
    )
