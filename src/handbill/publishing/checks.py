"""The checks a build must pass before it is deployed.

- every internal link, image, stylesheet, script, handout PDF and feed entry
  resolves (the linkcheck plugin's ``find_broken_links``);
- no draft is in the output: not at the address it would have once
  published, not under a file named after its slug, not as a feed entry;
- no comment that the site does not publish is in the output: every record
  whose id the build's comment manifest does not list (held records, those
  the policy holds, and those whose body the build could not publish) must
  not show up by its id or by its text;
- what the site does publish of comments is fit to: no record the manifest
  lists has a body ``bodies.body_problem`` refuses, and no comment body on a
  page shows an email address, in its text or in its links.
"""

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from handbill.core.bodies import body_problem
from handbill.core.feeds import FeedError, feed_entries
from handbill.core.records import CommentRecord, read_comment_files
from handbill.core.redaction import html_shows_email_address
from handbill.linkcheck import find_broken_links

# Output files that can carry text a reader sees (and so a leaked comment).
TEXT_SUFFIXES = {".html", ".htm", ".xml", ".json", ".txt", ".js", ".map", ""}
# A comment's text is looked for only when it is long enough not to occur by chance.
MIN_WORDS_TO_MATCH = 6
MANIFEST = "comments/manifest.json"
# The class of the element the theme puts a comment's rendered body in (partials/comments.html).
COMMENT_BODY_CLASS = "comment__body"


@dataclass(frozen=True)
class Problem:
    check: str  # "build", "link", "draft", "comment"
    where: str  # the output file (or source file) at fault
    detail: str

    def __str__(self):
        return f"[{self.check}] {self.where}: {self.detail}"


def broken_links(output, site_url):
    return [
        Problem("link", link.page, f"{link.target} ({link.reason})")
        for link in find_broken_links(output, site_url=site_url)
    ]


def _feed_entries(feed_file):
    try:
        return feed_entries(feed_file)
    except FeedError:
        return []  # the link check reports feeds that are not well-formed


def leaked_drafts(output, drafts):
    """Problems for every trace of a draft in ``output``."""
    output = Path(output)
    problems = []
    files = [path for path in output.rglob("*") if path.is_file()]
    for draft in drafts:
        label = f"draft {draft.title!r} ({draft.source})"
        for relative in draft.paths:
            where = output / relative
            # Pretty URLs: the draft's folder must not exist at all (handouts go there too).
            folder = where.parent if where.name == "index.html" and relative != "index.html" else None
            if where.exists() or (folder is not None and folder.is_dir() and any(folder.iterdir())):
                problems.append(Problem("draft", relative, f"{label} is in the output"))
        for path in files:
            if path.suffix != ".xml" and path.name.split(".")[0] == draft.slug != "index":
                relative = path.relative_to(output).as_posix()
                problems.append(Problem("draft", relative, f"{label}: a file named after it"))
    titles = {html.unescape(draft.title): draft for draft in drafts}
    urls = {draft.url: draft for draft in drafts if draft.url}
    for feed in sorted(output.rglob("*.xml")):
        for entry in _feed_entries(feed):
            draft = titles.get(html.unescape(entry.title)) or next(
                (
                    draft
                    for url, draft in urls.items()
                    for link in entry.links
                    if link.rstrip("/").endswith(url.rstrip("/"))
                ),
                None,
            )
            if draft is not None:
                detail = f"draft {draft.title!r} ({draft.source}) is a feed entry"
                problems.append(Problem("draft", feed.relative_to(output).as_posix(), detail))
    return problems


def _words(text):
    return " ".join(re.findall(r"\w+", text.lower()))


def _visible_words(page_text):
    return _words(html.unescape(re.sub(r"<[^>]*>", " ", page_text)))


def published_comment_ids(output):
    """{post slug: ids} of the comments the build published (its comment manifest)."""
    manifest = Path(output) / MANIFEST
    if not manifest.is_file():
        return {}
    posts = json.loads(manifest.read_text(encoding="utf-8")).get("posts", {})
    return {slug: set(post.get("comment_ids", [])) for slug, post in posts.items()}


def _comment_records(comments_dir):
    """[(path, CommentRecord)] of the readable records under ``comments_dir`` (the build reports the rest)."""
    if not Path(comments_dir).is_dir():
        return []
    return [(path, result) for path, result in read_comment_files(comments_dir) if isinstance(result, CommentRecord)]


def _not_published_because(record):
    if record.held_reason:
        return record.held_reason
    problem = body_problem(record.body)
    return f"body refused: {problem}" if problem else "not published"


def leaked_comments(output, comments_dir):
    """Problems for every unpublished comment whose id or text is in ``output``."""
    output = Path(output)
    records = [record for _, record in _comment_records(comments_dir)]
    if not records:
        return []
    published_ids = published_comment_ids(output)
    shown = [r for r in records if r.id in published_ids.get(r.post, ())]
    unpublished = [r for r in records if r.id not in published_ids.get(r.post, ())]
    if not unpublished:
        return []
    # The same words in a published comment (a comment sent twice) are not a leak.
    shown_texts = {_words(record.body) for record in shown}
    looked_for = {
        record.id: words
        for record in unpublished
        if len((words := _words(record.body)).split()) >= MIN_WORDS_TO_MATCH and words not in shown_texts
    }
    problems = []
    for path in sorted(output.rglob("*")):
        if not path.is_file() or path.suffix not in TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        visible = _visible_words(text)
        relative = path.relative_to(output).as_posix()
        for record in unpublished:
            comment = f"unpublished comment {record.post}/{record.id} ({_not_published_because(record)})"
            if record.id in text:
                problems.append(Problem("comment", relative, f"{comment} is in it"))
            elif record.id in looked_for and looked_for[record.id] in visible:
                problems.append(Problem("comment", relative, f"the text of {comment} is in it"))
    return problems


def unfit_published_comments(output, comments_dir):
    """Problems for published comments the build should have held: a refused body, or an address on show."""
    output = Path(output)
    published_ids = published_comment_ids(output)
    problems = []
    for path, record in _comment_records(comments_dir):
        problem = body_problem(record.body)
        if problem and record.id in published_ids.get(record.post, ()):
            where = Path(path).relative_to(Path(comments_dir).parent).as_posix()
            problems.append(Problem("comment", where, f"published, but its body is refused: {problem}"))
    for page in sorted(output.rglob("*.htm*")):
        text = page.read_text(encoding="utf-8", errors="replace")
        if COMMENT_BODY_CLASS not in text:
            continue  # most pages carry no comment; parsing them would be wasted
        for body in BeautifulSoup(text, "html.parser").select(f"div.{COMMENT_BODY_CLASS}"):
            if html_shows_email_address(str(body)):
                comment = body.find_parent(id=True)
                detail = f"{comment['id'] if comment else 'a comment'} shows an email address"
                problems.append(Problem("comment", page.relative_to(output).as_posix(), detail))
    return problems


def run_checks(output, site_url, drafts, comments_dir):
    """Every problem that must stop this build from being deployed."""
    return [
        *broken_links(output, site_url),
        *leaked_drafts(output, drafts),
        *leaked_comments(output, comments_dir),
        *unfit_published_comments(output, comments_dir),
    ]
