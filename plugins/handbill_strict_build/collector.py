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


class _NoTracebackForBuildFailed(logging.Filter):
    """Pelican logs the exception that ended a build with its traceback; for
    BuildFailed the message already says everything, the traceback is noise."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], BuildFailed):
            record.exc_info = None
        return True


class ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self._errors = []
        self._reason_filter = _ReasonFilter()
        self._traceback_filter = _NoTracebackForBuildFailed()

    def install(self):
        self._errors.clear()
        root = logging.getLogger()
        if self not in root.handlers:
            root.addHandler(self)
        for logger_name, log_filter in (
            ("pelican.generators", self._reason_filter),
            ("pelican", self._traceback_filter),
        ):
            logger = logging.getLogger(logger_name)
            if log_filter not in logger.filters:
                logger.addFilter(log_filter)

    def emit(self, record):
        self._errors.append(record.getMessage())

    def take(self):
        errors, self._errors = self._errors, []
        return errors
