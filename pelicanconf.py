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
# Pelican's content cache: each source's converted HTML and metadata, kept while the file's
# bytes (sha256) are unchanged; handbill_parallel_reading discards it when the settings, the
# libraries or the plugins' code change (plugins/handbill_parallel_reading/README.md).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "reader"
CHECK_MODIFIED_METHOD = "sha256"
# Not gzipped: at 1,000 posts compressing the cache took 0.47 s of every build that read a
# post anew and gunzipping it 0.38 s of every other, against 0.02 s and 0.05 s plain, for
# 8 MB of disk instead of 1.2 MB.
GZIP_CACHE = False

TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%-d %B %Y"

# Posts live in content/posts, pages in content/pages (so the comment records
# in content/comments are never read as either).
ARTICLE_PATHS = ["posts"]
PAGE_PATHS = ["pages"]
STATIC_PATHS = ["images"]
# Hidden files (a Mac's .DS_Store, a .notes file) and editors' backups are never read or
# published. Pelican's default, "**/.*", matches whole paths, as its file watcher sees them;
# its generators match a file's or folder's own name, which only ".*" does.
IGNORE_FILES = ["**/.*", ".*", "*~"]

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
    "handbill_parallel_reading",  # sources read on every core (PARALLEL_READING)
    "handbill_title_typography",
    "handbill_figure_links",  # a figure's image opens full size when tapped
    "handbill_theme_assets",  # theme_static(): the theme's CSS and JS addresses change when the files do
    "handbill_reading_time",
    "pelican.plugins.sitemap",
    "pelican.plugins.neighbors",
    "handbill_brand",  # BRAND for the theme and the handouts: before the plugins that use its `brand`
    "handbill_comments",
    "handbill_events",
    "handbill_handouts",
    "handbill_redirects",
    "handbill_search",  # site search: a Pagefind index of the posts and pages, /search/, a box in the header
    "handbill_output_sync",  # pages rendered on every core (PARALLEL_WRITING), only when their inputs changed;
    # stale files removed. Before strict_build, so that its errors fail the build too.
    "handbill_unread_sources",  # a warning for each file of content/ that nothing read (a post saved as .MD…)
    "handbill_strict_build",
]

# Files in output/ that no build writes but must stay (plugins/handbill_output_sync/README.md);
# every other file this build did not write is taken out when it ends (one no build wrote is
# moved to cache/handbill_output_sync/set-aside/, with a warning).
OUTPUT_KEEP = []
# Static files are copied only when their source is newer than the copy, which keeps its mtime.
STATIC_CHECK_IF_MODIFIED = True

SITEMAP = {
    "format": "xml",
    "priorities": {"articles": 0.8, "indexes": 0.5, "pages": 0.6},
    "changefreqs": {"articles": "monthly", "indexes": "daily", "pages": "monthly"},
}

# Theme settings (documented in README.md).
HANDBILL_MENU = []  # (title, link) pairs; "Events" appears by itself when there are events
HANDBILL_SOCIAL_IMAGE = "images/social-card.png"
HANDBILL_TWITTER = ""
READING_TIME_WORDS_PER_MINUTE = 220  # plugins/handbill_reading_time/README.md

# Comments: every key is documented in plugins/handbill_comments/README.md.
COMMENTS = {
    "policy": "identified",  # or "anyone", "closed"
    "moderation": True,
    "close_after_days": None,
    "notice": None,
    "imported_count_as_identified": True,
    "service_url": "",  # "": an email link to contact_email instead of the form
    "contact_email": "dana@example.com",
}

# Handouts: every key is documented in plugins/handbill_handouts/README.md.
HANDOUTS = {
    "output_dir": "handouts",
    "page_size": "A4",  # or "Letter"
    "page_budget": 5,  # the sample's longest handout, the year-long plan, takes five
    "select_tags": [],
    "select_categories": [],
    "pdf_variant": None,  # "pdf/ua-1" for tagged, accessible PDFs
    "workers": None,  # None: one per core
    "site_url": None,  # None: the brand's website, for the QR codes
    "preview_width": 300,
}

# The owner's brand, on the site and the handouts: every key is documented in
# plugins/handbill_brand/README.md.
BRAND = {
    "name": "Dana Whitfield",
    "tagline": "Connected in Person",
    "website": "https://connected-in-person.example",
    "email": "dana@connected-in-person.example",
    "phone": "+1 555 0142",
    "logo": "images/mark.svg",
    "photo": "images/portrait.svg",
    "accent_color": "#1f4e79",
    "fonts": {"body": "Source Serif 4", "headings": "Source Sans 3"},
    "footer_line": "Please pass this on",
    "bio": "I help consultants and small-business owners turn one good conversation into years of referrals.",
    "call_to_action": "Book a free 20-minute call",
    "call_to_action_link": "mailto:dana@connected-in-person.example?subject=A%2020-minute%20call",
    "author_box": True,
}

# Events (content/events/<slug>.md): every key is documented in plugins/handbill_events/README.md.
EVENTS = {
    "path": "events",
    "url": "events/{slug}/",
    "save_as": "events/{slug}/index.html",
    "index_url": "events/",
    "index_save_as": "events/index.html",
}

# Redirects of old addresses (`Redirect-From:` in a post): every key is documented
# in plugins/handbill_redirects/README.md.
REDIRECTS = {
    "pages": True,
    "netlify_file": "_redirects",  # "" for none
    "nginx_file": "redirects.nginx.map",  # "" for none
}

# Comment service: every key is documented in src/handbill/comment_service/README.md.
# Secrets come from the environment only (HANDBILL_COMMENT_SECRET, HANDBILL_SMTP_*).
COMMENT_SERVICE = {
    "host": "127.0.0.1",  # put a TLS reverse proxy in front in production
    "port": 8100,
    "public_url": "",  # "": COMMENTS["service_url"]
    "allowed_origins": ["http://127.0.0.1:8000", "http://localhost:8000"],  # the development server
    "db_path": ".handbill/comments.sqlite3",
    "min_fill_seconds": 3,
    "rate_limit_address": "20/hour",
    "rate_limit_email": "10/day",
    "approve_known_commenters": False,
    "notify_owner": False,
}
