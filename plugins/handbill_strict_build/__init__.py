"""Make a build that logged errors end non-zero, after it has reported all of them.

Pelican logs a broken post ("Could not process …", "Skipping …") and carries
on, so a published site could silently miss it; its own ``--fatal errors``
stops at the first error instead of reporting them all. This plugin collects
every error logged during the build (``handbill.core.build_errors``) and, once output is written, raises
``BuildFailed`` with the list, which ``pelican`` turns into exit status 1.
"""

import logging

from pelican import signals

from handbill.core import build_errors

from .collector import BuildFailed, NoTracebackForBuildFailed

__all__ = ["BuildFailed", "register"]

_traceback_filter = NoTracebackForBuildFailed()


def start_collecting(pelican):
    build_errors.start()
    pelican_logger = logging.getLogger("pelican")
    if _traceback_filter not in pelican_logger.filters:
        pelican_logger.addFilter(_traceback_filter)


def fail_on_errors(pelican):
    # Emptied here, so that a process that builds again (pelican -r) reports each build's own.
    errors = build_errors.take()
    if errors:
        raise BuildFailed(errors)


def register():
    signals.initialized.connect(start_collecting)
    signals.finalized.connect(fail_on_errors)
