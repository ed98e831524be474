"""What the parts' invoke tasks share: where the project is, and running Pelican.

The project's ``tasks.py`` puts its own folder in invoke's configuration as
``handbill.root``; a part's task resolves the files it is given (``--settings
publishconf.py``) against it, so tasks behave the same from any working
directory and none of them changes it.
"""

from pathlib import Path

from invoke import Exit
from pelican import main as pelican_main


def project_root(c):
    """The project's folder, from the configuration its tasks.py set (else the working directory)."""
    return Path(c.config.get("handbill", {}).get("root", ".")).resolve()


def project_file(c, name):
    """``name`` as given on the command line, taken from the project's folder when it is relative."""
    path = Path(name)
    return path if path.is_absolute() else project_root(c) / path


def run_pelican(arguments):
    """Run the ``pelican`` command in this process, as pelican-quickstart's tasks do.

    Pelican ends a failed build with ``SystemExit``; here that becomes
    invoke's ``Exit`` with the same status, as every task reports failure.
    """
    try:
        pelican_main([str(argument) for argument in arguments])
    except SystemExit as stopped:
        if stopped.code not in (None, 0):
            raise Exit(code=stopped.code if isinstance(stopped.code, int) else 1) from None
