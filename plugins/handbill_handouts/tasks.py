"""The ``handouts`` tasks of the handouts plugin (the project's tasks.py adds this namespace).

    invoke handouts                                   # handouts.build: the site, its handouts, a print pack
    invoke handouts --event "Chamber breakfast" --date 2026-12-03
    invoke handouts.clean

They run the real Pelican build with the project's settings, so handouts are
rendered by the plugin itself; an event only adds two settings for that run.
"""

import datetime as dt
import json
import shutil
from pathlib import Path

from invoke import Collection, Exit, task
from pelican.settings import read_settings

from handbill.core.settings import collect_settings
from handbill.invoking import project_file, run_pelican

from .settings import HandoutOptions

DEFAULT_SETTINGS = "pelicanconf.py"


def _event_setting(event, date):
    if not event.strip():
        if date:
            raise Exit("handouts: --date belongs to an event; give --event too")
        return None
    if date:
        try:
            dt.date.fromisoformat(date)
        except ValueError:
            raise Exit(
                f"handouts: --date must be a day as YYYY-MM-DD (for example 2026-12-03), not {date!r}"
            ) from None
    return {"name": event.strip(), "date": date or None}


# The default, so `invoke handouts --event ...` keeps its short form.
@task(
    default=True,
    help={
        "event": 'where the handouts are handed out, e.g. "Chamber breakfast": makes an event edition',
        "date": "the event's day, YYYY-MM-DD",
        "pack": "also write print-pack.pdf, every handout starting on a fresh sheet (default: yes)",
        "settings": f"Pelican settings file (default: {DEFAULT_SETTINGS})",
        "output": "output folder (default: the settings' OUTPUT_PATH)",
    },
)
def build(c, *, event="", date="", pack=True, settings=DEFAULT_SETTINGS, output=""):
    """Build the site with its handouts; with --event, also that event's edition and print pack."""
    event_setting = _event_setting(event, date)
    arguments = ["-s", project_file(c, settings)]
    if output:
        arguments += ["-o", project_file(c, output)]
    arguments += [
        "-e",
        f"HANDOUT_EVENT={json.dumps(event_setting)}",
        f"HANDOUT_PRINT_PACK={json.dumps(bool(pack))}",
    ]
    run_pelican(arguments)


@task(help={"settings": f"Pelican settings file (default: {DEFAULT_SETTINGS})"})
def clean(c, settings=DEFAULT_SETTINGS):
    """Remove every handout (PDFs, previews, event editions) and the handouts' cache."""
    values = read_settings(str(project_file(c, settings)))
    options, problems = collect_settings(HandoutOptions, values.get("HANDOUTS"), "HANDOUTS")
    if problems:
        # A mistyped output_dir must not make clean remove some other folder.
        raise Exit("handouts.clean: fix the HANDOUTS setting first:\n  " + "\n  ".join(problems))
    output_dir = options.output_dir
    for path in (Path(values["OUTPUT_PATH"]) / output_dir, Path(values["CACHE_PATH"]) / "handouts"):
        if path.exists():
            shutil.rmtree(path)
            print(f"Removed {path}")


namespace = Collection("handouts", build, clean)
