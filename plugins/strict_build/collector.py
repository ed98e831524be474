import logging
import sys


class BuildFailed(RuntimeError):
    """Raised at the end of a build during which errors were logged."""

    def __init__(self, errors):
        self.errors = list(errors)
        lines = "\n".join(f"  - {message}" for message in self.errors)
        super().__init__(f"the build logged {len(self.errors)} error(s):\n{lines}")


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


class ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self._errors = []
        self._reason_filter = _ReasonFilter()

    def install(self):
        self._errors.clear()
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)
        generators_logger = logging.getLogger("pelican.generators")
        if self._reason_filter not in generators_logger.filters:
            generators_logger.addFilter(self._reason_filter)

    def emit(self, record):
        self._errors.append(record.getMessage())

    def take(self):
        errors, self._errors = self._errors, []
        return errors
