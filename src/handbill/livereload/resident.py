"""One Pelican kept in memory: full builds, and the edited page written on its own.

``ResidentSite`` builds with one ``Pelican`` instance made at start (made again
only when the settings file changes), so imports, plugins and the Markdown
extensions stay loaded between builds. It keeps the generators of the last
build (``all_generators_finalized``), whose readers, templates and context
``write_page`` uses to re-read one saved post or page and write its page before
the full build runs.
"""

import logging
from dataclasses import dataclass
from pathlib import Path

from pelican import Pelican
from pelican.contents import Article, Page, SkipStub
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter
from pelican.plugins import signals
from pelican.settings import read_settings

from handbill.core.articles import CONTENT_LISTS
from handbill.core.build_errors import ErrorMessages

logger = logging.getLogger(__name__)

# How each kind of source is read and written, as ArticlesGenerator and
# PagesGenerator do it.
_KINDS = {
    "article": (
        ArticlesGenerator, Article, "article", signals.article_generator_preread, signals.article_generator_context
    ),
    "page": (PagesGenerator, Page, "page", signals.page_generator_preread, signals.page_generator_context),
}


def carried_attributes(old_attributes, new_attributes):
    """What a freshly read content object takes over from the last build's:
    the public attributes plugins attached after reading (comments, reading
    time, neighbours), which the new object lacks. Attributes that come from
    the file itself (its metadata, and Pelican's private and derived ones) are
    never carried, so that a removed ``Tags:`` or ``Summary:`` stays removed."""
    metadata = {key.lower() for key in old_attributes.get("metadata", {})}
    return {
        name: value
        for name, value in old_attributes.items()
        if name not in new_attributes
        and name not in metadata
        and not name.startswith(("_", "locale_", "override_"))
    }


@dataclass(frozen=True)
class PageResult:
    """``write_page``'s outcome: the page written (its save_as), or why not."""

    save_as: str | None = None
    failures: tuple = ()  # one message per problem, naming the file; nothing was written


class ResidentSite:
    def __init__(self, settings_file, overrides=None):
        self.settings_file = Path(settings_file).resolve()
        self.overrides = dict(overrides or {})
        self.generators = []
        # Bound method: weakly connected, gone with this object.
        signals.all_generators_finalized.connect(self._keep_generators)
        self.pelican = self._new_pelican()

    def _new_pelican(self):
        return Pelican(read_settings(str(self.settings_file), override=self.overrides))

    @property
    def settings(self):
        return self.pelican.settings

    def reload_settings(self):
        self.pelican = self._new_pelican()

    def _keep_generators(self, generators):
        self.generators = list(generators)

    def build(self):
        """Build the whole site; returns the errors it logged or raised (none: success)."""
        # A `pelican` run starts in a fresh process; in this one, what plugins
        # and Pelican keep per process starts again here: the error record
        # (strict_build, output_sync) begins at `initialized`, and Pelican's log
        # de-duplication would otherwise hide every warning a previous build
        # already showed.
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        signals.initialized.send(self.pelican)
        with ErrorMessages() as errors:
            try:
                self.pelican.run()
            except Exception as error:  # noqa: BLE001 (a failed build is reported, the loop goes on)
                # strict_build's BuildFailed repeats the errors logged above.
                if not errors.messages:
                    errors.messages.append(f"{type(error).__name__}: {error}")
        return errors.messages

    def _generator(self, kind):
        generator_class = _KINDS[kind][0]
        return next((g for g in self.generators if isinstance(g, generator_class)), None)

    def _last_built(self, generator, kind, source_path):
        for name in CONTENT_LISTS[kind]:
            for content in getattr(generator, name, []):
                if content.source_path == source_path:
                    return content
        return None

    def write_page(self, edited):
        """Read ``edited`` (changes.EditedSource) again and write its page
        through the last build's template and context. Nothing is written
        when there was no build yet, when the source is not a published or
        hidden one, or when reading it failed (then ``failures`` says why)."""
        generator = self._generator(edited.kind)
        if generator is None:
            return PageResult()
        _, content_class, template_variable, preread, context_signal = _KINDS[edited.kind]
        valid = False
        with ErrorMessages() as errors:
            try:
                content = generator.readers.read_file(
                    base_path=generator.path,
                    path=edited.relative_path,
                    content_class=content_class,
                    context=generator.context,
                    preread_signal=preread,
                    preread_sender=generator,
                    context_signal=context_signal,
                    context_sender=generator,
                )
                valid = isinstance(content, SkipStub) or content.is_valid()
            except Exception as error:  # noqa: BLE001 (any reader error is the author's to fix)
                errors.messages.append(f"Could not process {edited.relative_path}: {error}")
        if errors.messages or not valid:
            return PageResult(failures=tuple(errors.messages) or (f"{edited.relative_path} is not valid",))
        if isinstance(content, SkipStub) or content.status not in ("published", "hidden") or not content.save_as:
            return PageResult()
        old = self._last_built(generator, edited.kind, content.source_path)
        if old is not None:
            for name, value in carried_attributes(vars(old), vars(content)).items():
                setattr(content, name, value)
        if edited.kind == "article":
            signals.article_generator_write_article.send(generator, content=content)
            extra = {"category": getattr(content, "category", None), "blog": True}
        else:
            signals.page_generator_write_page.send(generator, content=content)
            extra = {}
        writer = self.pelican._get_writer()
        writer.write_file(
            content.save_as,
            generator.get_template(content.template),
            generator.context,
            relative_urls=self.settings["RELATIVE_URLS"],
            override_output=hasattr(content, "override_save_as"),
            url=content.url,
            **{template_variable: content},
            **extra,
        )
        return PageResult(save_as=content.save_as)
