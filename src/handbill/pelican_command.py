"""``python -m handbill.pelican_command ARGS``: the ``pelican`` command, logging as ``invoke build`` does.

Tests that run Pelican in a child process run it this way, so a message
naming a long file stays on one line when the output is a pipe (see
invoking.plain_log_lines).
"""

import sys

from pelican import main

from handbill.invoking import pelican_log_lines

if __name__ == "__main__":
    with pelican_log_lines(sys.argv[1:]):
        main(sys.argv[1:])
