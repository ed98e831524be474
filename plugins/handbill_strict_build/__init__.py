"""Make a build that logged errors end non-zero, after it has reported all of them.

Pelican logs a broken post ("Could not process …", "Skipping …") and carries
on, so a published site could silently miss it; its own ``--fatal errors``
stops at the first error instead of reporting them all. This plugin collects
every error logged during the build and, once output is written, raises
``BuildFailed`` with the list, which ``pelican`` turns into exit status 1.
"""

from pelican import signals

from .collector import BuildFailed, ErrorCollector

__all__ = ["BuildFailed", "register"]

_collector = ErrorCollector()


def start_collecting(pelican):
    _collector.install()


def fail_on_errors(pelican):
    errors = _collector.take()
    if errors:
        raise BuildFailed(errors)


def register():
    signals.initialized.connect(start_collecting)
    signals.finalized.connect(fail_on_errors)
