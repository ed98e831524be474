"""The generated blog the site benchmark builds: the same posts as Pelican content
(with every feature the sample site uses) and as a Hugo site.

Each post is ~800 words in four sections, with typographic quotes and dashes to
convert, a footnote, tags and a category. Across the site, as in the sample:
a captioned figure on every 10th post, old addresses (`Redirect-From`) on every
20th, three comment records (a reply and a held one among them) on every 10th,
and a handout for HANDOUT_POSTS posts.
"""

import datetime as dt
import random
import shutil
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
HANDOUT_POSTS = 3
FIGURE_EVERY = 10
REDIRECT_EVERY = 20
COMMENTED_EVERY = 10
FIGURE = "follow-up-timeline.svg"

WORDS = [
    "meeting",
    "people",
    "table",
    "coffee",
    "follow-up",
    "introduction",
    "referral",
    "card",
    "conversation",
    "listen",
    "question",
    "name",
    "handshake",
    "event",
    "seminar",
    "breakfast",
    "chamber",
    "community",
    "trust",
    "story",
    "note",
    "email",
    "call",
    "invite",
    "host",
    "guest",
    "welcome",
    "remember",
    "thank",
    "connect",
    "help",
    "offer",
    "ask",
    "learn",
]
TAGS = [f"topic-{n}" for n in range(30)]
CATEGORIES = ["In Person", "Online", "Follow-up", "Events", "Referrals", "Speaking"]


def paragraph(rng, words):
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class Post:
    number: int
    slug: str
    title: str
    date: dt.datetime
    category: str
    tags: list
    summary: str
    body: str  # Markdown, with Pelican's {static} links
    metadata: dict = field(default_factory=dict)  # Handbill's own keys: Handout, Redirect-From, Comments


def typographic_paragraph(rng, words):
    """A paragraph with straight quotes, an apostrophe and an em dash for smarty to convert."""
    text = paragraph(rng, words)
    quoted = " ".join(rng.choice(WORDS) for _ in range(3))
    return f'{text[:-1]} --- as one guest put it, "{quoted}" --- and it\'s {rng.choice(WORDS)}.'


def post_body(rng, number):
    sections = []
    for section in range(4):
        lines = [f"## Section {section + 1}: {rng.choice(WORDS)} and {rng.choice(WORDS)}\n"]
        lines.extend(typographic_paragraph(rng, 40) + "\n" for _ in range(4))
        if section == 0:
            lines[1] = lines[1].rstrip("\n") + "[^1]\n"
        if section == 1 and number % FIGURE_EVERY == 0:
            lines.append(
                f"![A timeline of follow-up steps]({{static}}/images/{FIGURE})\n"
                f"/// caption\nThe {rng.choice(WORDS)} timeline, step by step.\n///\n"
            )
        sections.append("\n".join(lines))
    return "\n".join(sections) + f"\n[^1]: {paragraph(rng, 12)}\n"


def handout_numbers(count):
    """Posts spread over the archive, never the one edited_post_number names."""
    return {count * share // (HANDOUT_POSTS + 1) + 1 for share in range(1, HANDOUT_POSTS + 1)}


def edited_post_number(count):
    return count // 2


def edited_text(original, mark):
    """A post's text with a sentence naming ``mark`` added to the start of its body."""
    head, blank, body = original.partition("\n\n")
    return f"{head}{blank}Edited in {mark}. {body}"


def generate_posts(count, seed=20261123):
    rng = random.Random(seed)
    start = dt.datetime(2015, 1, 1, 9, 0, tzinfo=dt.UTC)
    handouts = handout_numbers(count)
    posts = []
    for number in range(count):
        slug = f"post-{number}"
        metadata = {"Comments": "open"}
        if number in handouts:
            metadata["Handout"] = "yes"
        if number % REDIRECT_EVERY == 0:
            metadata["Redirect-From"] = f"/{2010 + number % 5}/old-{slug}.html /archive/{number}/"
        posts.append(
            Post(
                number=number,
                slug=slug,
                title=f'Post {number}: "{rng.choice(WORDS)}" and {rng.choice(WORDS)}\'s {rng.choice(WORDS)}',
                date=start + dt.timedelta(hours=17 * number),
                category=rng.choice(CATEGORIES),
                tags=rng.sample(TAGS, 3),
                summary=paragraph(rng, 20),
                body=post_body(rng, number),
                metadata=metadata,
            )
        )
    return posts


def pelican_text(post):
    header = {
        "Title": post.title,
        "Date": f"{post.date:%Y-%m-%d %H:%M}",
        "Slug": post.slug,
        "Category": post.category,
        "Tags": ", ".join(post.tags),
        "Summary": post.summary,
        **post.metadata,
    }
    return "".join(f"{key}: {value}\n" for key, value in header.items()) + "\n" + post.body


def comment_records(post, rng):
    """Three records on the post: a published comment, the owner's reply, a held one."""
    records = []
    for index, (author, identity, status) in enumerate(
        [
            ("Priya Raman", "email-verified", "published"),
            ("Dana Whitfield", "site-owner", "published"),
            ("Sam Okafor", "email-verified", "held"),
        ]
    ):
        when = post.date + dt.timedelta(days=1, hours=index)
        record_id = f"c-{when:%Y%m%d-%H%M}-{rng.getrandbits(24):06x}"
        lines = [
            f"Id: {record_id}",
            f"Post: {post.slug}",
            f"Author: {author}",
            f"Date: {when.isoformat()}",
        ]
        if index == 1:
            lines.append(f"Reply-To: {records[0][0]}")
        lines += [f"Identity: {identity}", f"Status: {status}"]
        if status == "held":
            lines.append("Held-Reason: awaiting moderation")
        records.append((record_id, "\n".join(lines) + f"\n\n{typographic_paragraph(rng, 30)}\n"))
    return records


def write_pelican_content(content, posts, seed=20261124):
    """content/posts/*.md, content/comments/<slug>/*.md and the project's images."""
    rng = random.Random(seed)
    (content / "posts").mkdir(parents=True)
    shutil.copytree(PROJECT_ROOT / "content" / "images", content / "images")
    for post in posts:
        (content / "posts" / f"{post.slug}.md").write_text(pelican_text(post), encoding="utf-8")
        if post.number % COMMENTED_EVERY == 0:
            folder = content / "comments" / post.slug
            folder.mkdir(parents=True)
            for record_id, text in comment_records(post, rng):
                (folder / f"{record_id}.md").write_text(text, encoding="utf-8")


HUGO_CONFIG = """\
baseURL = "/"
title = "Hugo reference"
languageCode = "en"
[markup.goldmark.renderer]
unsafe = true
"""
HUGO_SINGLE = """\
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><article><h1>{{ .Title }}</h1><time>{{ .Date.Format "2 January 2006" }}</time>
{{ .Content }}</article></body></html>
"""
HUGO_LIST = """\
<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2 January 2006" }}</time></li>{{ end }}</ul></body></html>
"""


def yaml_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def hugo_text(post):
    front = [
        "---",
        f"title: {yaml_string(post.title)}",
        f"date: {post.date.isoformat()}",
        f"slug: {post.slug}",
        f"categories: [{yaml_string(post.category)}]",
        f"tags: [{', '.join(yaml_string(tag) for tag in post.tags)}]",
        f"summary: {yaml_string(post.summary)}",
        "---",
        "",
    ]
    return "\n".join(front) + post.body.replace("{static}/", "/")


def write_hugo_site(site, posts):
    """A minimal Hugo site: the same posts, a single and a list layout, the images as static files."""
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts").mkdir()
    (site / "hugo.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    (site / "layouts" / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (site / "layouts" / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    shutil.copytree(PROJECT_ROOT / "content" / "images", site / "static" / "images")
    for post in posts:
        (site / "content" / "posts" / f"{post.slug}.md").write_text(hugo_text(post), encoding="utf-8")
