"""Run ``python -m handbill.livereload`` as a child process, as a blogger's
terminal does, and know its address: for tests and benchmarks.

    with spawn("site/siteconf.py") as live:
        live.url          # http://127.0.0.1:PORT/, once the first build is served
        live.lines        # everything it logged so far, one message a line
"""

import re
import subprocess
import sys
import threading
from pathlib import Path

_SERVING = re.compile(r"Live reload: serving .* at (http://\S+/)")


class LiveReloadProcess:
    def __init__(self, settings_file, *, host="127.0.0.1", port=0, env=None, cwd=None):
        settings_file = Path(settings_file).resolve()
        self.lines = []
        self._serving = threading.Event()
        self.url = None
        self.process = subprocess.Popen(
            [sys.executable, "-m", __package__, "-s", str(settings_file), "--host", host, "--port", str(port)],
            cwd=cwd or settings_file.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            found = _SERVING.search(line)
            if found:
                self.url = found.group(1)
                self._serving.set()
        self._serving.set()  # it ended: nobody should wait any longer

    def wait_until_serving(self, timeout=300):
        """The URL, once the first build is done and served; RuntimeError with the log otherwise."""
        self._serving.wait(timeout)
        if self.url is None:
            raise RuntimeError("live reload did not start serving:\n" + "\n".join(self.lines))
        return self.url

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def spawn(settings_file, *, host="127.0.0.1", port=0, env=None, cwd=None, timeout=300):
    """Start the live reload of ``settings_file`` in a child process and wait
    until it serves (``port`` 0: a free one); returns the LiveReloadProcess."""
    live = LiveReloadProcess(settings_file, host=host, port=port, env=env, cwd=cwd)
    try:
        live.wait_until_serving(timeout)
    except RuntimeError:
        live.stop()
        raise
    return live
