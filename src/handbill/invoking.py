"""What the parts' invoke tasks share: where the project is, and running Pelican.

The project's ``tasks.py`` puts its own folder in invoke's configuration as
``handbill.root``; a part's task resolves the files it is given (``--settings
publishconf.py``) against it, so tasks behave the same from any working
directory and none of them changes it.

Pelican logs through Rich, which lays messages out in columns as wide as the
terminal, and 80 columns when there is none: in a CI log or a pipe, a long
file name was split over two lines. Wherever we run Pelican (``run_pelican``,
``python -m handbill.pelican_command``, the publish build) and its output is
not a terminal, each message is one plain line instead (``pelican_log_lines``).
"""

import logging
import sys
from contextlib import contextmanager
from pathlib import Path

from invoke import Exit
from pelican import main as pelican_main
from pelican import parse_arguments
from pelican.log import console as pelican_console

LOG_LINE_FORMAT = "%(levelname)-8s %(message)s"


def project_root(c):
    """The project's folder, from the configuration its tasks.py set (else the working directory)."""
    return Path(c.config.get("handbill", {}).get("root", ".")).resolve()


def project_file(c, name):
    """``name`` as given on the command line, taken from the project's folder when it is relative."""
    path = Path(name)
    return path if path.is_absolute() else project_root(c) / path


@contextmanager
def plain_log_lines(level):
    """Inside, log records go to stdout (where Pelican's go) one line each, unless it is a terminal.

    Pelican's logging setup (``logging.basicConfig``) leaves a root logger that
    already has a handler alone, so Rich's is not added. ``level`` (None:
    warnings) is what Pelican would give the root logger. All is put back after.
    """
    if sys.stdout.isatty():
        yield
        return
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(LOG_LINE_FORMAT))
    root = logging.getLogger()
    saved_handlers, saved_level, saved_soft_wrap = root.handlers[:], root.level, pelican_console.soft_wrap
    root.handlers[:] = [handler]
    root.setLevel(level or logging.WARNING)
    # Pelican prints its closing summary with Rich directly, not through logging.
    pelican_console.soft_wrap = True
    try:
        yield
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        pelican_console.soft_wrap = saved_soft_wrap


def pelican_log_lines(arguments):
    """``plain_log_lines`` at the level the ``pelican`` command's ``arguments`` ask for (-v, -q, -D)."""
    return plain_log_lines(parse_arguments([str(argument) for argument in arguments]).verbosity)


def run_pelican(arguments):
    """Run the ``pelican`` command in this process, as pelican-quickstart's tasks do.

    Pelican ends a failed build with ``SystemExit``; here that becomes
    invoke's ``Exit`` with the same status, as every task reports failure.
    """
    try:
        with pelican_log_lines(arguments):
            pelican_main([str(argument) for argument in arguments])
    except SystemExit as stopped:
        if stopped.code not in (None, 0):
            raise Exit(code=stopped.code if isinstance(stopped.code, int) else 1) from None
