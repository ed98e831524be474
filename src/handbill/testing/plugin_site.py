"""Build a small site in the test process with one plugin only, as the
pelican-plugins organisation's tests do (``read_settings(override=...)``,
then ``Pelican(settings).run()``).

``handbill.testing.sites`` builds through the project's settings with every
plugin, in a child process. Here nothing of the project is read: Pelican's
defaults, the given settings and PLUGINS = [the plugin], so a passing test
shows the plugin could be released on its own.

An in-process build changes process-wide state that a ``pelican`` process
would simply drop when it exits, and that would leak into later tests of the
same pytest worker. ``build_with_only`` puts each piece back afterwards:

* blinker signals (``pelican.plugins.signals`` are named signals of blinker's
  default namespace): every receiver is set aside during the build, so no
  plugin registered by an earlier test can run in this one, and the previous
  receivers come back afterwards, so this plugin's do not run in later ones;
* handlers and filters of existing loggers (strict_build adds some to the root
  and ``pelican`` loggers);
* Pelican's log de-duplication (``LimitFilter``'s class-level sets, which
  Pelican's own tests reset the same way), so a warning seen in an earlier
  build is not swallowed in this one;
* the locale, which ``read_settings`` sets for the whole process.

Everything is undone inside the one call, so pytest's own log capture (whose
handler is swapped between setup, call and teardown) is never disturbed.
"""

import locale
import logging
import weakref
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from blinker.base import default_namespace
from pelican import Pelican
from pelican.generators import ArticlesGenerator, PagesGenerator
from pelican.log import LimitFilter
from pelican.plugins import signals
from pelican.settings import read_settings

from handbill.testing.sites import PROJECT_ROOT, write_content

THEME = PROJECT_ROOT / "theme"
"""Handbill's own theme, for plugins whose output only a theme's templates show."""


@dataclass
class PluginSite:
    content: Path
    output: Path
    plugins: list
    """PLUGINS as Pelican registered them (module names)."""
    receivers: dict
    """{signal name: [module of each receiver connected during the build]}."""
    generators: list = field(default_factory=list)

    @property
    def articles(self):
        """Published articles, as the plugins left them once the build was done."""
        return [a for g in self.generators if isinstance(g, ArticlesGenerator) for a in g.articles]

    @property
    def pages(self):
        return [p for g in self.generators if isinstance(g, PagesGenerator) for p in g.pages]

    def read(self, relative_path):
        return (self.output / relative_path).read_text(encoding="utf-8")

    def exists(self, relative_path):
        return (self.output / relative_path).exists()

    def receiver_modules(self):
        """Every module that had a receiver connected to a Pelican signal during the build."""
        return {module for modules in self.receivers.values() for module in modules}


# The fields blinker keeps a signal's connections in. Private, but blinker is
# locked (requirements.lock), and its public API can neither list a
# receiver's senders nor reconnect a weak receiver with its original cleanup.
_SIGNAL_STATE = ("receivers", "_by_sender", "_by_receiver", "_weak_senders")


def _copy_state(sig):
    state = {name: dict(getattr(sig, name)) for name in _SIGNAL_STATE}
    for name in ("_by_sender", "_by_receiver"):
        state[name] = {key: sig.set_class(ids) for key, ids in state[name].items()}
    return state


def _restore_state(sig, state):
    sig._clear_state()
    sig.receivers.update(state["receivers"])
    sig._weak_senders.update(state["_weak_senders"])
    for name in ("_by_sender", "_by_receiver"):
        mapping = getattr(sig, name)
        for key, ids in state[name].items():
            mapping[key] = ids


@contextmanager
def isolated_signals():
    """No receiver connected inside; exactly the previous ones connected after."""
    saved = {name: _copy_state(sig) for name, sig in default_namespace.items()}
    for sig in default_namespace.values():
        sig._clear_state()
    try:
        yield
    finally:
        for name, sig in list(default_namespace.items()):
            if name in saved:
                _restore_state(sig, saved[name])
            else:
                sig._clear_state()


@contextmanager
def restored_logging_and_locale():
    loggers = [
        logging.getLogger(),
        *(logger for logger in logging.Logger.manager.loggerDict.values() if isinstance(logger, logging.Logger)),
    ]
    saved_loggers = [(logger, list(logger.handlers), list(logger.filters)) for logger in loggers]
    limit_state = {name: getattr(LimitFilter, name) for name in ("_ignore", "_raised_messages", "_group_count")}
    LimitFilter._ignore, LimitFilter._raised_messages = set(), set()
    LimitFilter._group_count = defaultdict(int)
    saved_locale = locale.setlocale(locale.LC_ALL)
    try:
        yield
    finally:
        locale.setlocale(locale.LC_ALL, saved_locale)
        for name, value in limit_state.items():
            setattr(LimitFilter, name, value)
        for logger, handlers, filters in saved_loggers:
            logger.handlers[:] = handlers
            logger.filters[:] = filters


def _connected_receivers():
    connected = {}
    for name, sig in default_namespace.items():
        modules = []
        for connected_as in sig.receivers.values():
            receiver = connected_as() if isinstance(connected_as, weakref.ref) else connected_as
            if receiver is not None and getattr(receiver, "__module__", None) != __name__:
                modules.append(receiver.__module__)
        if modules:
            connected[name] = modules
    return connected


def build_with_only(plugin, files, root, **settings):
    """Build ``files`` (see write_content) under ``root`` with PLUGINS = [plugin]
    and Pelican's defaults overridden by ``settings``; returns a PluginSite.

    An exception from the build (strict_build's BuildFailed, say) propagates,
    after all process-wide state has been put back."""
    return build_in_process(files, root, [plugin], **settings)


def build_in_process(files, root, plugins, **settings):
    """As build_with_only with PLUGINS = ``plugins``: [] gives plain Pelican, to compare with."""
    root = Path(root)
    content, output = root / "content", root / "output"
    write_content(content, files)
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(root / "cache"),
        "CACHE_CONTENT": False,
        "LOAD_CONTENT_CACHE": False,
        # Pelican warns and falls back to UTC without it; saying so keeps the log quiet.
        "TIMEZONE": "UTC",
        **settings,
        "PLUGINS": list(plugins),
    }
    generators = []

    def keep_generators(found):
        generators.extend(found)

    with restored_logging_and_locale(), isolated_signals():
        # Strong reference: a weakly connected local function would be gone before the build runs.
        signals.all_generators_finalized.connect(keep_generators, weak=False)
        pelican = Pelican(read_settings(override=overrides))
        receivers = _connected_receivers()
        site = PluginSite(content, output, list(pelican.settings["PLUGINS"]), receivers, generators)
        try:
            pelican.run()
        finally:
            # A receiver connected while the build ran counts too.
            for name, modules in _connected_receivers().items():
                receivers.setdefault(name, [])
                receivers[name].extend(m for m in modules if m not in receivers[name])
    return site


def assert_alone(site, plugin):
    """Only ``plugin`` was registered, and every receiver Pelican called was one of its own."""
    assert site.plugins == [plugin]
    foreign = {m for m in site.receiver_modules() if m != plugin and not m.startswith(f"{plugin}.")}
    assert not foreign, f"receivers from outside {plugin} were connected: {sorted(foreign)}"
    assert site.receiver_modules(), f"{plugin} connected no receiver"
