"""What Pelican's content cache depends on besides the content itself, as one digest.

Pelican's reader cache keeps each source file's converted HTML and metadata
and checks only the file's own stamp: a changed Markdown setting, plugin or
library would go on serving HTML converted the old way. The digest covers

* the settings (``stable_repr``: dicts and sets in sorted order, memory
  addresses removed), except those that only say where and whether to cache;
* every installed distribution's name and version (its ``.dist-info`` folder
  name, which the packaging specification makes ``name-version``);
* the Python source of every package loaded from outside the installed
  libraries (the project's own plugins and ``handbill``, installed editable,
  whose version does not change when their code does).

Theme templates are applied when pages are written, never cached, so the theme
needs no part in it. (handbill_output_sync's record of rendered pages, which
they do concern, uses the same pieces with the theme's files.)
"""

import hashlib
import os
import re
import sys
import sysconfig
from pathlib import Path

# Where and whether to cache: they change nothing the cache holds. (GZIP_CACHE is not one:
# a cache saved compressed cannot be read plain, and Pelican only warns and starts afresh.)
CACHE_ONLY_SETTINGS = frozenset({"CACHE_PATH", "CACHE_CONTENT", "LOAD_CONTENT_CACHE"})

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
# Whose repr is the same in every process: no address to look for. Strings are most of what
# a post holds (its HTML), and the look costs as much as their repr.
_PLAIN_TYPES = frozenset({str, bytes, int, float, bool, type(None)})


def stable_repr(value):
    """``repr`` that is the same in every process for equal settings: dict keys and set
    members sorted, and no memory addresses (``<function f at 0x7f…>`` → ``<function f>``)."""
    if type(value) in _PLAIN_TYPES:
        return repr(value)
    if isinstance(value, dict):
        items = sorted((stable_repr(key), stable_repr(item)) for key, item in value.items())
        return "{" + ", ".join(f"{key}: {item}" for key, item in items) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(stable_repr(item) for item in value)) + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(stable_repr(item) for item in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    return _ADDRESS.sub("", repr(value))


def fingerprint(settings, distributions, sources):
    """The digest of ``settings`` (a dict), ``distributions`` (``name-version`` strings) and
    ``sources`` (what the code is known by: {path: bytes digest}, or file stamps); the same
    inputs give the same text in every process."""
    digest = hashlib.sha256()
    kept = {name: value for name, value in settings.items() if name not in CACHE_ONLY_SETTINGS}
    for part in (stable_repr(kept), stable_repr(sorted(distributions)), stable_repr(sources)):
        digest.update(part.encode("utf-8", "backslashreplace"))
        digest.update(b"\0")
    return digest.hexdigest()


def library_folders():
    """The folders installed libraries and the standard library live in."""
    paths = sysconfig.get_paths()
    return {os.path.realpath(paths[name]) for name in ("stdlib", "platstdlib", "purelib", "platlib")}


def installed_distributions(folders):
    """``name-version`` of every distribution installed in ``folders``."""
    found = set()
    for folder in folders:
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        found.update(name.rsplit(".", 1)[0] for name in names if name.endswith((".dist-info", ".egg-info")))
    return found


def _inside(path, folders):
    return any(path == folder or path.startswith(folder + os.sep) for folder in folders)


def _real_path(path, real_folders):
    """``os.path.realpath(path)``, resolving each folder once (``real_folders`` keeps them): a
    build's thousand modules sit in a few hundred folders, and resolving every path in full,
    one system call per component, took about 16 ms at each of the build's three fingerprints."""
    folder, name = os.path.split(path)
    if folder not in real_folders:
        real_folders[folder] = os.path.realpath(folder)
    joined = os.path.join(real_folders[folder], name)
    return os.path.realpath(joined) if os.path.islink(joined) else joined


def local_source_roots(modules, libraries):
    """The top-level package folder (or lone module file) of every module in ``modules``
    (``sys.modules``) that was loaded from outside ``libraries``."""
    roots = set()
    real_folders = {}
    for name, module in list(modules.items()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        file = _real_path(file, real_folders)
        if _inside(file, libraries):
            continue
        top = modules.get(name.partition(".")[0])
        locations = getattr(top, "__path__", None)
        if locations:
            roots.update(os.path.realpath(location) for location in locations)
        else:
            roots.add(file)
    return roots


def source_digests(roots):
    """{path: sha256} of every Python file under ``roots`` (files or folders), tests left out."""
    digests = {}
    for root in roots:
        paths = [Path(root)] if os.path.isfile(root) else _python_files(root)
        for path in paths:
            digests[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digests


def _python_files(folder):
    for current, subfolders, files in os.walk(folder):
        subfolders[:] = sorted(name for name in subfolders if name not in ("__pycache__", "tests"))
        yield from (Path(current) / name for name in sorted(files) if name.endswith(".py"))


def content_fingerprint(settings):
    """The fingerprint of this process: its settings, installed libraries and loaded local code."""
    libraries = library_folders()
    sources = source_digests(local_source_roots(sys.modules, libraries))
    return fingerprint(settings, installed_distributions(sys.path), sources)
