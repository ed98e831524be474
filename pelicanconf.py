"""Handbill's development settings. Every option of ours is documented in README.md."""

from pathlib import Path

# Absolute paths so that a settings file elsewhere (tests, benchmarks) can import this one.
PROJECT_ROOT = Path(__file__).resolve().parent

AUTHOR = "Dana Whitfield"
SITENAME = "Dana Whitfield · Connected in Person"
SITESUBTITLE = "Notes on networking that works, at the table and online"
SITEURL = ""
SITE_DESCRIPTION = (
    "Practical essays on meeting people, following up and building a network "
    "that lasts, by coach Dana Whitfield."
)

PATH = str(PROJECT_ROOT / "content")
OUTPUT_PATH = str(PROJECT_ROOT / "output")
THEME = str(PROJECT_ROOT / "theme")
CACHE_PATH = str(PROJECT_ROOT / "cache")

TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# Posts live in content/posts, pages in content/pages (so the comment records
# in content/comments are never read as either).
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]

# Pretty, stable URLs.
ARTICLE_URL = "posts/{date:%Y}/{slug}/"
ARTICLE_SAVE_AS = "posts/{date:%Y}/{slug}/index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = "categories/{slug}/index.html"
AUTHOR_URL = "authors/{slug}/"
AUTHOR_SAVE_AS = "authors/{slug}/index.html"
TAGS_URL = "tags/"
TAGS_SAVE_AS = "tags/index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
AUTHORS_URL = "authors/"
AUTHORS_SAVE_AS = "authors/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
ROBOTS_SAVE_AS = "robots.txt"

DIRECT_TEMPLATES = ["index", "tags", "categories", "authors", "archives", "404", "robots"]
# The index pages through summaries; tag, category and author pages list titles.
PAGINATED_TEMPLATES = {"index": None}
DEFAULT_PAGINATION = 8
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Drafts and posts dated in the future are never written to the site.
WITH_FUTURE_DATES = False
DRAFT_SAVE_AS = ""
DRAFT_PAGE_SAVE_AS = ""

# Feeds: everything, plus one per category and tag.
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
CATEGORY_FEED_RSS = None
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = True

RELATIVE_URLS = True
SUMMARY_MAX_LENGTH = 45

# Markdown: typographic quotes and dashes (smarty: "--" is an en dash, "---"
# an em dash; titles get the same from the title_typography plugin),
# footnotes, tables, abbreviations, attribute lists (extra),
# header anchors (toc permalinks) and figures with captions (pymdownx caption
# blocks: an image followed by a "/// caption" block).
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.smarty": {},
        "markdown.extensions.toc": {
            "permalink": "#",
            "permalink_title": "Link to this section",
        },
        "markdown.extensions.codehilite": {"css_class": "highlight", "guess_lang": False},
        "markdown.extensions.meta": {},
        "pymdownx.blocks.caption": {},
    },
    "output_format": "html5",
}

# Our plugins are installed packages (plugins/handbill_*, see README.md), imported by name.
PLUGINS = [
    "handbill_markdown_reuse",
    "handbill_title_typography",
    "handbill_reading_time",
    "pelican.plugins.sitemap",
    "pelican.plugins.neighbors",
    "handbill_comments",
    "handbill_handouts",
    "handbill_redirects",
    "handbill_strict_build",
]

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.6},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}

# Theme settings (documented in README.md).
HANDBILL_MENU = []
HANDBILL_LOGO = "images/mark.svg"
HANDBILL_SOCIAL_IMAGE = "images/social-card.png"
HANDBILL_TWITTER = ""
READING_TIME_WORDS_PER_MINUTE = 220

# Comments (plugins/handbill_comments/README.md documents every key). Comment records
# live in content/comments/<post-slug>/<id>.md; posts override with
# `Comments: open | closed | hidden`.
COMMENTS = {
    # Who may comment: "identified" (real full names with a confirmed email
    # address), "anyone", or "closed".
    "policy": "identified",
    # New comments wait for the owner's approval (the comment service stores them held).
    "moderation": True,
    # Close comments this many days after a post's date; None keeps them open.
    "close_after_days": None,
    # Text above the form; None gives the policy's default notice.
    "notice": None,
    # Comments imported from another platform count as identified.
    "imported_count_as_identified": True,
    # The comment service's address (e.g. "https://comments.example.com"); "" offers
    # an email link to contact_email instead of the form.
    "service_url": "",
    "contact_email": "dana@example.com",
}

# Handouts (plugins/handbill_handouts/README.md documents every key): posts with
# `Handout: yes` become branded, printable PDFs in output/handouts/.
HANDOUTS = {
    "output_dir": "handouts",  # PDFs, previews and the index page, under the output
    "page_size": "A4",  # or "Letter"; a post may say `Handout-Page-Size: Letter`
    "page_budget": 2,  # a longer handout still builds, with a warning
    "select_tags": [],  # posts with one of these tags get a handout too
    "select_categories": [],  # ... and posts in one of these categories
    "pdf_variant": None,  # "pdf/ua-1" for tagged, accessible PDFs
    "workers": None,  # rendering processes; None: one per core
    # The absolute address the site is published at, for the QR codes while
    # SITEURL is relative (None: the brand's website).
    "site_url": None,
    "preview_width": 300,  # pixels, the first-page image on the index page
}
HANDOUT_BRAND = {
    "name": "Dana Whitfield",
    "tagline": "Connected in Person",
    "website": "https://connected-in-person.example",
    "email": "dana@connected-in-person.example",
    "phone": "+1 555 0142",
    "logo": "images/logo.svg",  # relative to content/; SVG or PNG
    "accent_color": "#1f4e79",
    "fonts": {"body": "Source Serif 4", "headings": "Source Sans 3"},  # bundled with the plugin
    "footer_line": "Please pass this on",
}

# Redirects of old addresses (plugins/handbill_redirects/README.md documents every key).
# A post lists its old paths in `Redirect-From: /2019/05/06/old-slug/` (the
# importer writes it); the build writes a redirect page at each old path and
# the same redirects as host rules.
REDIRECTS = {
    # HTML redirect pages at the old paths (work on any static host).
    "pages": True,
    # Netlify / Cloudflare Pages rules ("" for none).
    "netlify_file": "_redirects",
    # Lines for an nginx `map` of old paths to new ones ("" for none).
    "nginx_file": "redirects.nginx.map",
}

# Comment service (src/handbill/comment_service/README.md documents every key):
# the small web app the owner runs next to the static host, started with
# `invoke comments.serve`. It takes comments from the form, emails each
# commenter a link to confirm their address, and keeps comments for
# moderation (`invoke comments.pending` / `approve` / `export`). Secrets come
# from the environment only: HANDBILL_COMMENT_SECRET (signing key) and
# HANDBILL_SMTP_HOST, _PORT, _USER, _PASSWORD, _FROM, _STARTTLS.
COMMENT_SERVICE = {
    "host": "127.0.0.1",  # where it listens; put a TLS reverse proxy in front in production
    "port": 8100,
    "public_url": "",  # the address visitors reach it at ("": COMMENTS["service_url"])
    # Pages allowed to post comments besides SITEURL's: the development server.
    "allowed_origins": ["http://127.0.0.1:8000", "http://localhost:8000"],
    "db_path": ".handbill/comments.sqlite3",  # the only place emails are kept (git-ignored)
    "min_fill_seconds": 3,  # a form sent sooner after it was loaded is refused
    "rate_limit_address": "20/hour",  # submissions per network address
    "rate_limit_email": "10/day",  # comments per email address
    "approve_known_commenters": False,  # True: skip moderation for addresses approved before
    "notify_owner": False,  # True: email COMMENTS["contact_email"] when a comment awaits you
}
