"""The command: ``python -m handbill.livereload -s SETTINGS [--host H] [--port P]``,
and ``invoke livereload``, which runs it in invoke's process."""

import argparse
import logging
import os
import sys

from pelican.log import console as pelican_console

from handbill.invoking import LOG_LINE_FORMAT

from .loop import LiveReload


def parse_arguments(argv):
    parser = argparse.ArgumentParser(
        prog="python -m handbill.livereload",
        description="Serve a Pelican site, rebuild it on every save and reload the browser.",
    )
    parser.add_argument("-s", "--settings", required=True, help="the Pelican settings file")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: any free one)")
    return parser.parse_args(argv)


def log_one_line_each():
    """Every message one plain line on stdout, ours from INFO up, everyone else's from WARNING up."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter(LOG_LINE_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger(__package__).setLevel(logging.INFO)
    # Pelican prints its closing summary with Rich directly, not through logging.
    pelican_console.soft_wrap = True


def main(argv=None):
    args = parse_arguments(sys.argv[1:] if argv is None else [str(argument) for argument in argv])
    log_one_line_each()
    live = LiveReload(args.settings, args.host, args.port)

    def restart():
        # Imported code is only read again by a new process: this one becomes
        # it, on the port it already has, so open pages reconnect to it.
        live.server.stop()
        same = ["-s", str(live.site.settings_file), "--host", args.host, "--port", str(live.server.server_address[1])]
        os.execv(sys.executable, [sys.executable, "-m", __package__, *same])

    live.on_code_change = restart
    live.start(watch_in_background=False)
    try:
        live.watch()
    except KeyboardInterrupt:
        pass
    finally:
        live.stop()
