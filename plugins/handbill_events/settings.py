"""The plugin's one setting, ``EVENTS``, read and checked once per build.

Declared below with its defaults; README.md's table is generated from it.
"""

from dataclasses import dataclass

from handbill.core.settings import SettingsError, load_settings, setting


class EventSettingsError(SettingsError):
    pass


def _folder(value):
    folder = value.strip("/")
    if not folder or ".." in folder.split("/"):
        return f"must be a folder inside content/, not {value!r}"
    return None


def _slug_pattern(value):
    return None if "{slug}" in value else f"must contain {{slug}}, not {value!r}"


@dataclass(frozen=True)
class EventOptions:
    path: str = setting(
        "events", "folder in `content/` of the event descriptions (`<slug>.md`)", _folder, example="talks"
    )
    url: str = setting("events/{slug}/", "address of an event's page", _slug_pattern, example="talks/{slug}.html")
    save_as: str = setting(
        "events/{slug}/index.html", "its file in the output", _slug_pattern, example="talks/{slug}.html"
    )
    index_url: str = setting("events/", "address of the page listing every event", example="talks/")
    index_save_as: str = setting("events/index.html", 'its file; `""` for none', example="talks/index.html")


def read_settings(settings):
    """Pelican's settings → ``EventOptions``; raises EventSettingsError naming each bad key."""
    return load_settings(EventOptions, settings.get("EVENTS"), "EVENTS", error=EventSettingsError)
