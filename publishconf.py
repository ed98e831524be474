"""Production settings: absolute URLs for feeds, canonical links and Open Graph."""

import os
from pathlib import Path

from pelican.settings import get_settings_from_file

# Pelican loads a settings file by its path, not as an importable module, so
# the development settings are read the same way and then overridden here.
globals().update(get_settings_from_file(str(Path(__file__).with_name("pelicanconf.py"))))

SITEURL = os.environ.get("HANDBILL_SITEURL", "https://connected-in-person.example")
FEED_DOMAIN = SITEURL
RELATIVE_URLS = False

# Publishing (src/handbill/publishing/README.md documents every key). `invoke publish`
# builds with these settings into a temporary folder, checks links, drafts and
# comments, then deploys to PUBLISH["target"] (or `--target NAME`); `--dry-run`
# lists what would change. Relative paths are taken from this file's folder.
PUBLISH = {
    # "directory", "rsync", "git" or "archive".
    "target": "archive",
    # A folder a web server serves (swapped in whole).
    "directory": "/var/www/connected-in-person",
    # A folder on a server over SSH (keys from your SSH agent; no passwords here).
    "rsync": {"host": "dana@connected-in-person.example", "path": "/var/www/connected-in-person"},
    # A branch of a git repository, e.g. GitHub Pages (credentials from git's own helpers).
    "git": {
        "repository": "git@github.com:dana-whitfield/connected-in-person.git",
        "branch": "gh-pages",
        "cname": "connected-in-person.example",
    },
    # A .zip or .tar.gz to upload to hosts that take one (Netlify Drop, a control panel).
    "archive": "dist/connected-in-person.zip",
}
