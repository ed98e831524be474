"""Events: where the owner hands out handouts, each described once.

``content/events/<slug>.md`` (Title, Date, Place, Posts, Welcome, QR-Target;
see README.md) is read with Pelican's readers after the posts, checked
against the published posts' slugs, and put in ``context["events"]`` as
``model.Event``s, newest first. Each event gets a page (the theme's
``event.html``) at ``events/<slug>/`` listing its handouts, which the
handouts plugin renders and leaves in ``context["event_handouts"]``;
``events/index.html`` (``events.html``) lists them all. A bad description is
an error naming its file and field; that event is left out, the site is built.
"""

import logging
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from handbill.core import build_inputs, page_inputs

from .reading import description_files, read_events
from .settings import EventSettingsError, read_settings

logger = logging.getLogger(__name__)

EVENT_TEMPLATE = "event"
INDEX_TEMPLATE = "events"


class EventsGenerator(Generator):
    """Reads the events (``generate_context``) and writes their pages (``generate_output``)."""

    def generate_context(self):
        self.events = []
        try:
            self.options = read_settings(self.settings)
        except EventSettingsError as error:
            for problem in error.problems:
                logger.error("Events: %s; no event was read", problem)
            return
        published = [*self.context.get("articles", ()), *self.context.get("hidden_articles", ())]
        self.events, problems = read_events(
            self.settings, self.options, known_posts={article.slug for article in published}, readers=self.readers
        )
        for source in description_files(self.settings["PATH"], self.options):
            build_inputs.record(Path(self.settings["PATH"]) / source)
        for problem in problems:
            logger.error("%s; that event is left out", problem)
        self.context["events"] = self.events
        # The theme's menu links the index only when there is one: a site without events shows no "Events".
        self.context["events_index_url"] = self.options.index_url if self.events and self.options.index_save_as else ""

    def generate_output(self, writer):
        page_inputs.finish_all()  # the handouts plugin's work, which fills event_handouts
        handouts = self.context.get("event_handouts", {})
        for event in self.events:
            writer.write_file(
                self.options.save_as.format(slug=event.slug),
                self.get_template(EVENT_TEMPLATE),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=event.url,
                page_name=f"event-{event.slug}",
                event=event,
                event_handouts=handouts.get(event.slug, []),
            )
        if self.events and self.options.index_save_as:
            writer.write_file(
                self.options.index_save_as,
                self.get_template(INDEX_TEMPLATE),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                url=self.options.index_url,
                page_name="events",
                events=self.events,
            )


def add_generator(pelican):
    return EventsGenerator


def register():
    signals.get_generators.connect(add_generator)
