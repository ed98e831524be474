"""The build manifest the comment service reads: ``<OUTPUT_PATH>/comments/manifest.json``.

It says, per published post, whether comments are open and until when, and
which comment ids are published, so the service can refuse comments on
closed or hidden posts and replies to comments that are not on show. It
holds no email address and nothing of held comments.
"""

import json
from pathlib import Path

from markupsafe import Markup

from handbill.core import build_outputs
from handbill.core.atomic import write_text_if_changed

from .threads import walk

MANIFEST_PATH = Path("comments") / "manifest.json"


def build_manifest(posts, site_url, generated):
    """The manifest dict; ``posts`` is [(article-like, review.PostComments)]."""
    entries = {}
    for article, post_comments in posts:
        state = post_comments.state
        url = f"{site_url}/{article.url}" if site_url else article.url
        entries[article.slug] = {
            "title": Markup(article.title).striptags(),
            "url": url,
            "date": article.date.isoformat(),
            "comments": state.mode,
            "closes_at": state.closes_at.isoformat() if state.closes_at else None,
            "comment_ids": [node.record.id for node in walk(post_comments.thread.roots)],
        }
    return {"generated": generated.isoformat(), "site_url": site_url, "posts": entries}


def write_manifest(output_path, manifest):
    """Write the manifest atomically, so the service never reads half a file."""
    path = Path(output_path) / MANIFEST_PATH
    write_text_if_changed(path, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    build_outputs.record(path)
    return path
