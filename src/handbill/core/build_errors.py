"""The errors logged during the current build, for the plugins that act on them.

One handler on the root logger records every ERROR record, from Pelican or
any plugin: handbill_strict_build ends a build that logged any with their
list, and handbill_output_sync removes no stale file after such a build.
``start`` begins a build's record (both plugins call it when the build is
initialised); ``logged`` reads it, ``take`` reads and empties it.
"""

import logging
import sys


class _ReasonFilter(logging.Filter):
    """Append the exception's message to records logged without a traceback.

    Pelican logs "Could not process <file>" with the traceback hidden unless
    DEBUG is on, which drops the reason (a bad date, say). The exception is
    still being handled while the record is logged, so it can be read here.
    """

    def filter(self, record):
        exc = sys.exc_info()[1]
        if record.levelno >= logging.ERROR and exc is not None and not record.exc_info:
            record.msg = f"{record.msg}: %s"
            record.args = (*(record.args or ()), exc)
        return True


class ErrorMessages(logging.Handler):
    """The message of every error logged while it is a handler; as a ``with`` block,
    installed on the root logger for the block (livereload's record of one rebuild)."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())

    def __enter__(self):
        logging.getLogger().addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger().removeHandler(self)


_recorder = ErrorMessages()
_reason_filter = _ReasonFilter()


def start():
    """Forget the errors of any earlier build and record this one's."""
    _recorder.messages.clear()
    root = logging.getLogger()
    if _recorder not in root.handlers:
        root.addHandler(_recorder)
    generators_logger = logging.getLogger("pelican.generators")
    if _reason_filter not in generators_logger.filters:
        generators_logger.addFilter(_reason_filter)


def logged():
    """The messages of the errors logged since ``start``."""
    return list(_recorder.messages)


def take():
    """``logged()``, after which the record is empty (for a process that builds again)."""
    messages = logged()
    _recorder.messages.clear()
    return messages
