import logging


class BuildFailed(RuntimeError):
    """Raised at the end of a build during which errors were logged."""

    def __init__(self, errors):
        self.errors = list(errors)
        lines = "\n".join(f"  - {message}" for message in self.errors)
        super().__init__(f"the build logged {len(self.errors)} error(s):\n{lines}")


class NoTracebackForBuildFailed(logging.Filter):
    """Pelican logs the exception that ended a build with its traceback; for
    BuildFailed the message already says everything, the traceback is noise."""

    def filter(self, record):
        if record.exc_info and isinstance(record.exc_info[1], BuildFailed):
            record.exc_info = None
        return True
