"""The ``handouts`` tasks of the handouts plugin (the project's tasks.py adds this namespace).

    invoke handouts                                   # handouts.build: the site, its handouts, a print pack
    invoke handouts --event chamber-breakfast         # ... and that event's print pack
    invoke handouts --booklet --bleed 3 --cards        # and for a print shop: booklet, bleed, business cards
    invoke handouts.clean

They run the real Pelican build with the project's settings, so handouts are
rendered by the plugin itself; every build makes every event's edition
(content/events/<slug>.md, the handbill_events plugin), --event picks the one
whose print pack is written.
"""

import json
import shutil
from pathlib import Path

from invoke import Collection, Exit, task
from pelican.settings import read_settings

from handbill.core.settings import collect_settings
from handbill.invoking import project_file, run_pelican

from .settings import HandoutOptions

DEFAULT_SETTINGS = "pelicanconf.py"


def _print_shop_setting(booklet, bleed, cards):
    """HANDOUT_PRINT_SHOP for one run; the booklet and the print shop's PDF are made from the pack."""
    bleed_mm = None
    if bleed:
        try:
            bleed_mm = float(bleed)
        except ValueError:
            raise Exit(f"handouts: --bleed is a number of millimetres (for example 3), not {bleed!r}") from None
    return {"booklet": bool(booklet), "bleed_mm": bleed_mm, "cards": bool(cards)}


# The default, so `invoke handouts --event ...` keeps its short form.
@task(
    default=True,
    help={
        "event": "the slug of an event (content/events/<slug>.md): its edition goes in the print pack",
        "pack": "also write print-pack.pdf, every handout starting on a fresh sheet (default: yes)",
        "booklet": "also write print-pack-booklet.pdf: the pack imposed as a folded, stapled booklet (A5 on A4)",
        "bleed": "also write print-pack-print-shop.pdf with this many mm of bleed and trim marks, e.g. 3",
        "cards": "also write business-cards.pdf: ten cards on A4, their QR to the event's page or the site",
        "settings": f"Pelican settings file (default: {DEFAULT_SETTINGS})",
        "output": "output folder (default: the settings' OUTPUT_PATH)",
    },
)
def build(c, *, event="", pack=True, booklet=False, bleed="", cards=False, settings=DEFAULT_SETTINGS, output=""):
    """Build the site with its handouts and every event's; the print pack is --event's, else the regular one."""
    arguments = ["-s", project_file(c, settings)]
    if output:
        arguments += ["-o", project_file(c, output)]
    arguments += [
        "-e",
        f"HANDOUT_EVENT={json.dumps(event.strip() or None)}",
        f"HANDOUT_PRINT_PACK={json.dumps(bool(pack or booklet or bleed))}",
        f"HANDOUT_PRINT_SHOP={json.dumps(_print_shop_setting(booklet, bleed, cards))}",
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
