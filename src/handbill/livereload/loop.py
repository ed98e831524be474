"""The writing loop: watch, write the edited page, reload, build the rest, reload again."""

import logging
import os
import secrets
import sys
import threading
from pathlib import Path

import watchfiles
from pelican.readers import Readers

from .changes import WatchLayout, code_folders, plan_changes
from .resident import ResidentSite
from .server import Broadcaster, LiveReloadServer
from .snapshot import OutputSnapshot

logger = logging.getLogger(__name__)

# watchfiles waits this long (ms) after a change for more of the same save
# (editors write a temporary file and rename it), and at most DEBOUNCE_MS in all.
STEP_MS = 30
DEBOUNCE_MS = 300


def _layout(site):
    settings = site.settings
    modules = [sys.modules[name].__file__ for name in settings["PLUGINS"] if name in sys.modules]
    modules.append(sys.modules["handbill"].__file__)
    return WatchLayout(
        content=Path(settings["PATH"]).resolve(),
        article_paths=tuple(settings["ARTICLE_PATHS"]),
        page_paths=tuple(settings["PAGE_PATHS"]),
        article_excludes=tuple(settings["ARTICLE_EXCLUDES"]),
        page_excludes=tuple(settings["PAGE_EXCLUDES"]),
        source_extensions=frozenset(Readers(settings).extensions),
        settings_file=site.settings_file,
        code_folders=code_folders(modules, sys.prefix),
    )


class LiveReload:
    """The resident site, its server and its watcher.

    ``on_code_change`` is called when Python code the build imported changed,
    which only a new process picks up; by default the change is logged and
    the site is built with the code already loaded."""

    def __init__(self, settings_file, host="127.0.0.1", port=8000, overrides=None, on_code_change=None):
        self.site = ResidentSite(settings_file, overrides)
        self.broadcaster = Broadcaster()
        self.server = None
        self.host, self.port = host, int(port)
        self.on_code_change = on_code_change
        self._token = secrets.token_hex(4)  # tells this process's builds from a restarted one's
        self._count = 0
        self._stopping = threading.Event()
        self._thread = None
        self.snapshot = OutputSnapshot(self.site.settings["OUTPUT_PATH"])
        self.layout = None

    @property
    def url(self):
        return self.server.url

    def _next_build(self):
        self._count += 1
        return f"{self._token}-{self._count}"

    def _report(self, failures):
        for message in failures:
            logger.error("Live reload: %s", message.replace("\n", " | "))
        self.broadcaster.fail(failures)

    def start(self, watch_in_background=True):
        """Build the site, start serving it, and (unless ``watch_in_background``
        is false: then call ``watch``) start watching. Returns self."""
        failures = self.site.build()
        self.snapshot.update()
        build = self._next_build()
        if failures:
            self._report(failures)
        else:
            self.broadcaster.settle(build)
        self.layout = _layout(self.site)
        self.server = LiveReloadServer(self.site.settings["OUTPUT_PATH"], (self.host, self.port), self.broadcaster)
        self.server.start()
        logger.info("Live reload: serving %s at %s (Ctrl-C to stop)", self.site.settings["OUTPUT_PATH"], self.url)
        if watch_in_background:
            self._thread = threading.Thread(target=self.watch, name="livereload-watch", daemon=True)
            self._thread.start()
        return self

    def stop(self):
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        if self.server is not None:
            self.server.stop()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    def _watched_paths(self):
        settings, layout = self.site.settings, self.layout
        paths = [settings["PATH"], settings["THEME"], str(layout.settings_file), *map(str, layout.code_folders)]
        return [path for path in dict.fromkeys(paths) if os.path.exists(path)]

    def watch(self):
        """Handle saves until ``stop``; a changed settings file restarts the watch on its paths."""
        while not self._stopping.is_set():
            settings = self.site.settings
            watch_filter = watchfiles.DefaultFilter(ignore_paths=[settings["OUTPUT_PATH"], settings["CACHE_PATH"]])
            for changes in watchfiles.watch(
                *self._watched_paths(),
                watch_filter=watch_filter,
                step=STEP_MS,
                debounce=DEBOUNCE_MS,
                stop_event=self._stopping,
                raise_interrupt=False,
            ):
                if self.handle(path for _change, path in changes):
                    break

    def handle(self, changed):
        """Bring the site up to date with the saved files ``changed`` (paths).
        Returns whether the watched paths may have changed (settings reread)."""
        changed = sorted(set(changed))
        logger.info("Live reload: changed %s", ", ".join(changed))
        plan = plan_changes(changed, self.layout)
        if not plan.needs_build:
            return False
        if plan.code_changed:
            if self.on_code_change is not None:
                self.on_code_change()
            logger.warning("Live reload: Python code changed; restart `invoke livereload` to build with it")
        if plan.settings_changed:
            self.site.reload_settings()
            self.layout = _layout(self.site)
        failures, written = [], []
        for edited in plan.edited:
            if not (self.layout.content / edited.relative_path).is_file():
                continue  # removed, or renamed away: the full build handles it
            try:
                result = self.site.write_page(edited)
            except Exception as error:  # noqa: BLE001 (the full build reports it with its context)
                logger.warning("Live reload: could not write %s first: %s", edited.relative_path, error)
                continue
            failures.extend(result.failures)
            if result.save_as:
                self.snapshot.note(result.save_as)
                written.append(result.save_as)
        if failures:
            # The full build would fail on the same file; the last good pages stay as they are.
            self._report(failures)
            return plan.settings_changed
        if written:
            logger.info("Live reload: wrote %s; building the rest", ", ".join(written))
            self.broadcaster.reload("page", written, self._next_build())
        errors = self.site.build()
        changed_output = self.snapshot.update()
        build = self._next_build()
        if errors:
            self._report(errors)
        elif changed_output or self.broadcaster.failures:
            logger.info("Live reload: built; %d page(s) and asset(s) changed", len(changed_output))
            self.broadcaster.reload("site", changed_output, build)
        else:
            logger.info("Live reload: built; no other page changed")
            self.broadcaster.settle(build)
        return plan.settings_changed


def start(settings_file, host="127.0.0.1", port=0, overrides=None):
    """Build the site of ``settings_file``, serve it at ``host``:``port`` (0: a
    free port, see ``.url``) and watch it in background threads of this
    process. Returns the running LiveReload; ``.stop()`` ends it."""
    return LiveReload(settings_file, host, port, overrides).start()
