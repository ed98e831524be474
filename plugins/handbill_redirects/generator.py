"""Collect the ``Redirect-From`` paths of published content and write the redirects."""

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from pelican import signals
from pelican.generators import Generator

from handbill.core import build_outputs
from handbill.core.atomic import write_text_if_changed
from handbill.core.paths import RedirectPathError, parse_redirect_path, relative_target, save_as_for

from .settings import RedirectSettingsError, load_redirect_settings

logger = logging.getLogger(__name__)

_TEMPLATES = Environment(
    loader=FileSystemLoader(str(Path(__file__).with_name("templates"))),
    autoescape=True,
    keep_trailing_newline=True,
)

NGINX_HEADER = """\
# Redirects of old addresses, written by Handbill's redirects plugin from the
# posts' Redirect-From metadata. Use it in nginx's http block:
#     map $uri $handbill_redirect { include /path/to/this/file; }
# and in the site's server block:
#     if ($handbill_redirect) { return 301 $handbill_redirect; }
"""


@dataclass(frozen=True)
class Redirect:
    path: str  # the old path, percent-encoded
    save_as: str  # where its redirect page goes in the output
    content: object  # the Pelican article or page it now lives at


def _write(path, text):
    # Not flushed to disk, as the build's pages: the next build writes again what a crash lost
    # (flushing took 0.4 s of the build's single core for the 250 redirects of 5,000 posts).
    write_text_if_changed(path, text, durable=False)
    build_outputs.record(path)


class RedirectsGenerator(Generator):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self.redirect_settings = load_redirect_settings(self.settings)
        except RedirectSettingsError as error:
            for problem in error.problems:
                logger.error("Redirects setting: %s", problem)
            self.redirect_settings = error.settings
        self.redirects = []
        # What this build writes, so that a redirect page never replaces it,
        # while a redirect page left in output/ by an earlier build is simply
        # written again. Pelican tells every written page and feed through
        # these signals; static files are known from the context.
        self.written_this_build = set()
        signals.content_written.connect(self._note_written)
        signals.feed_written.connect(self._note_written)

    def _note_written(self, path, **_signal_arguments):
        # Pelican's writer joins every path to OUTPUT_PATH and makes it absolute (its
        # sanitised_join), as generate_output makes the redirects' own: compared as text,
        # without a file system call for each of the site's pages (0.4 s at 5,000 posts).
        self.written_this_build.add(os.path.abspath(path))

    def generate_context(self):
        contents = [
            content
            for key in ("articles", "hidden_articles", "pages", "hidden_pages")
            for content in self.context.get(key, [])
        ]
        pages_by_save_as = {content.save_as: content for content in contents if content.save_as}
        claimed = {}
        for content in contents:
            for written in str(content.metadata.get("redirect-from", "")).split():
                try:
                    path = parse_redirect_path(written)
                except RedirectPathError as error:
                    logger.error("%s: Redirect-From: %s", content.source_path, error)
                    continue
                save_as = save_as_for(path)
                if save_as == content.save_as:
                    continue  # the old address is the new one
                if save_as in pages_by_save_as:
                    logger.error(
                        "%s: Redirect-From: %s is the address of %s; a redirect there would replace it",
                        content.source_path,
                        path,
                        pages_by_save_as[save_as].source_path,
                    )
                elif save_as in claimed:
                    logger.error(
                        "%s: Redirect-From: %s is claimed by %s too; keep it in one of them",
                        content.source_path,
                        path,
                        claimed[save_as].content.source_path,
                    )
                else:
                    claimed[save_as] = Redirect(path, save_as, content)
        self.redirects = sorted(claimed.values(), key=lambda redirect: redirect.path)

    def target_for(self, redirect):
        site_url = self.settings.get("SITEURL", "")
        if site_url and not self.settings.get("RELATIVE_URLS"):
            return f"{site_url}/{redirect.content.url}"
        return relative_target(redirect.save_as, redirect.content.url)

    def site_path(self, url):
        """``url`` as a path from the host's root (the site may live below it)."""
        return urlsplit(self.settings.get("SITEURL", "")).path.rstrip("/") + "/" + url

    def generate_output(self, writer):
        if not self.redirects:
            return
        output = Path(self.output_path)
        settings = self.redirect_settings
        if settings.pages:
            template = _TEMPLATES.get_template("redirect.html")
            already_written = self.written_this_build | {
                os.path.abspath(output / static.save_as) for static in self.context.get("static_content", {}).values()
            }
            for redirect in self.redirects:
                page = output / redirect.save_as
                if os.path.abspath(page) in already_written:
                    logger.error(
                        "%s: Redirect-From: %s would replace %s, which the build already wrote",
                        redirect.content.source_path,
                        redirect.path,
                        redirect.save_as,
                    )
                    continue
                _write(
                    page,
                    template.render(
                        lang=getattr(redirect.content, "lang", self.settings.get("DEFAULT_LANG", "en")),
                        # Pelican titles are HTML; the template escapes plain text.
                        title=Markup(redirect.content.title).striptags(),
                        target=self.target_for(redirect),
                    ),
                )
        if settings.netlify_file:
            rules = [
                f"{self.site_path(redirect.path.lstrip('/'))} {self.site_path(redirect.content.url)} 301\n"
                for redirect in self.redirects
            ]
            _write(output / settings.netlify_file, "".join(rules))
        if settings.nginx_file:
            lines = [self.nginx_lines(redirect) for redirect in self.redirects]
            _write(output / settings.nginx_file, NGINX_HEADER + "".join(lines))
        logger.info("Wrote %d redirect(s) of old addresses", len(self.redirects))

    def nginx_lines(self, redirect):
        # nginx matches $uri decoded; a folder's address is asked for with and without its slash.
        old = unquote(self.site_path(redirect.path.lstrip("/")))
        variants = [old]
        if redirect.save_as.endswith("/index.html"):
            variants = [old.rstrip("/") + "/", old.rstrip("/")]
        target = self.site_path(redirect.content.url)
        return "".join(f'"{_nginx_quoted(variant)}" "{_nginx_quoted(target)}";\n' for variant in variants)


def _nginx_quoted(text):
    return text.replace("\\", "\\\\").replace('"', '\\"')
