"""Turn reviewed comments into what the theme shows: safe HTML and plain values.

Bodies are Markdown in a small subset — paragraphs, line breaks, emphasis,
code, lists, block quotes and http(s) links — rendered by a Markdown instance
of their own (not Pelican's) that passes no raw HTML through, then sanitized
with nh3 so nothing executable can survive whatever the Markdown produced.
Email addresses in bodies are removed: no commenter's address reaches the site.
Names and websites are left as plain text for the templates to escape.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

import markdown
import nh3
from markupsafe import Markup

from handbill.core.comment_settings import CLOSED_NOTICE
from handbill.core.records import WEB_ADDRESS, redact_emails

ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow ugc noopener"

# Markdown features outside the subset: raw HTML (escaped as text instead),
# images, headings (they would break the page's outline) and <addr> mail links.
_DROPPED_PREPROCESSORS = ("html_block",)
_DROPPED_BLOCKS = ("hashheader", "setextheader")
_DROPPED_INLINE = ("html", "automail", "image_link", "image_reference", "short_image_ref")


def _web_links_only(tag, attribute, value):
    if attribute == "href" and not WEB_ADDRESS.fullmatch(value):
        return None
    return value


class BodyRenderer:
    """Comment Markdown → sanitized HTML. One instance per build; not thread-safe."""

    def __init__(self):
        self._markdown = markdown.Markdown(extensions=["nl2br", "sane_lists"], output_format="html")
        for name in _DROPPED_PREPROCESSORS:
            self._markdown.preprocessors.deregister(name)
        for name in _DROPPED_BLOCKS:
            self._markdown.parser.blockprocessors.deregister(name)
        for name in _DROPPED_INLINE:
            self._markdown.inlinePatterns.deregister(name)

    def render(self, text):
        text = redact_emails(text)
        html = self._markdown.reset().convert(text)
        return nh3.clean(
            html,
            tags=set(ALLOWED_TAGS),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            attribute_filter=_web_links_only,
            url_schemes={"http", "https"},
            link_rel=LINK_REL,
            strip_comments=True,
        )


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
    depth: int
    parent_author: str
    reply_mailto: str
    replies: list = field(default_factory=list)

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
    thread: list  # CommentView, nested through .replies
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


def comment_section(slug, title, post_comments, settings, *, renderer, timezone, date_format):
    """The CommentSection of a post from its review (review.PostComments)."""
    state = post_comments.state
    use_mail = not settings.service_url
    title = Markup(title).striptags()  # Pelican's titles are HTML (typographic entities)

    def view(node, parent_author):
        record = node.record
        date = record.date.astimezone(timezone)
        return CommentView(
            id=record.id,
            author=record.author,
            website=safe_website(record.website),
            date=date,
            date_display=date.strftime(date_format),
            html=renderer.render(record.body),
            is_owner=record.identity == "site-owner",
            depth=node.depth,
            parent_author=parent_author,
            reply_mailto=mailto_link(settings.contact_email, slug, title, record.id) if use_mail else "",
            replies=[view(child, record.author) for child in node.replies],
        )

    return CommentSection(
        slug=slug,
        mode=state.mode,
        notice=settings.notice_for(state.policy) if state.mode == "open" else CLOSED_NOTICE,
        count=post_comments.thread.count,
        thread=[view(node, "") for node in post_comments.thread.roots],
        closes_at=state.closes_at,
        form_action=f"{settings.service_url}/comments" if settings.service_url else "",
        token_url=f"{settings.service_url}/token" if settings.service_url else "",
        mailto=mailto_link(settings.contact_email, slug, title) if use_mail else "",
    )
