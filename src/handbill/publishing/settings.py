"""The ``PUBLISH`` setting (in publishconf.py), read and checked once.

Every key and its default is documented in README.md. Only the chosen
target's keys are required, so a site can keep several targets configured
and pick one with ``invoke publish --target NAME``.
"""

from dataclasses import dataclass, field
from pathlib import Path

TARGETS = ("directory", "rsync", "git", "archive")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")


class PublishSettingsError(ValueError):
    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class RsyncSettings:
    host: str = ""  # "user@example.com"; "" syncs to a folder on this machine
    path: str = ""
    port: int | None = None
    exclude: tuple[str, ...] = ()  # rsync patterns left alone on the server (and never deleted)


@dataclass(frozen=True)
class GitSettings:
    repository: str = ""
    branch: str = "gh-pages"
    cname: str = ""  # custom domain for GitHub Pages, written to CNAME
    nojekyll: bool = True  # add .nojekyll so GitHub Pages serves files as they are
    message: str = "Publish the site"


@dataclass(frozen=True)
class PublishSettings:
    target: str = "directory"
    directory: Path | None = None
    rsync: RsyncSettings = field(default_factory=RsyncSettings)
    git: GitSettings = field(default_factory=GitSettings)
    archive: Path | None = None


def _path(value, base_dir):
    path = Path(value).expanduser()
    return path if path.is_absolute() else Path(base_dir) / path


def _nested(given, key, known_type, problems):
    """The dict ``PUBLISH[key]`` as keyword arguments of ``known_type``, type-checked."""
    value = given.get(key) or {}
    if not isinstance(value, dict):
        problems.append(f'PUBLISH["{key}"] must be a dict, not {value!r}')
        return {}
    kwargs = {}
    defaults = known_type()
    for name, item in value.items():
        where = f'PUBLISH["{key}"]["{name}"]'
        if name not in known_type.__dataclass_fields__:
            known = ", ".join(known_type.__dataclass_fields__)
            problems.append(f"{where} is not a setting (known: {known})")
        elif name == "port":
            if item is not None and (type(item) is not int or not 0 < item < 65536):
                problems.append(f"{where} must be a port number, not {item!r}")
            else:
                kwargs[name] = item
        elif name == "exclude":
            if not isinstance(item, (list, tuple)) or not all(isinstance(p, str) and p for p in item):
                problems.append(f"{where} must be a list of rsync patterns, not {item!r}")
            else:
                kwargs[name] = tuple(item)
        elif not isinstance(item, type(getattr(defaults, name))):
            kind = type(getattr(defaults, name)).__name__
            problems.append(f"{where} must be {kind}, not {item!r}")
        else:
            kwargs[name] = item
    return kwargs


def load_publish_settings(settings_dict, base_dir, target=None):
    """PublishSettings from ``PUBLISH``; ``target`` overrides ``PUBLISH["target"]``.

    Relative paths are taken from ``base_dir`` (the settings file's folder).
    Raises PublishSettingsError naming every bad or missing key.
    """
    given = settings_dict.get("PUBLISH") or {}
    if not isinstance(given, dict):
        raise PublishSettingsError([f"PUBLISH must be a dict, not {given!r}"])
    known = ", ".join(sorted({"target", *TARGETS}))
    problems = [
        f'PUBLISH["{key}"] is not a setting (known: {known})' for key in given if key not in {"target", *TARGETS}
    ]
    chosen = target or given.get("target", "directory")
    if chosen not in TARGETS:
        source = "--target" if target else 'PUBLISH["target"]'
        problems.append(f"{source} must be one of {', '.join(TARGETS)}, not {chosen!r}")
    rsync = RsyncSettings(**_nested(given, "rsync", RsyncSettings, problems))
    if rsync.path and not rsync.host:
        # A folder on this machine: relative to the settings file, like the other paths.
        rsync = RsyncSettings(rsync.host, str(_path(rsync.path, base_dir)), rsync.port, rsync.exclude)
    git = GitSettings(**_nested(given, "git", GitSettings, problems))
    directory = archive = None
    for key in ("directory", "archive"):
        value = given.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, (str, Path)):
            problems.append(f'PUBLISH["{key}"] must be a path, not {value!r}')
        elif key == "directory":
            directory = _path(value, base_dir)
        elif not str(value).endswith(ARCHIVE_SUFFIXES):
            problems.append(f'PUBLISH["archive"] must end in {", ".join(ARCHIVE_SUFFIXES)}, not {value!r}')
        else:
            archive = _path(value, base_dir)
    required = {
        "directory": [('PUBLISH["directory"]', directory)],
        "rsync": [('PUBLISH["rsync"]["path"]', rsync.path)],
        "git": [('PUBLISH["git"]["repository"]', git.repository), ('PUBLISH["git"]["branch"]', git.branch)],
        "archive": [('PUBLISH["archive"]', archive)],
    }
    problems += [
        f"{name} is not set; the {chosen} target needs it"
        for name, value in required.get(chosen, [])
        if not value
    ]
    if problems:
        raise PublishSettingsError(problems)
    return PublishSettings(target=chosen, directory=directory, rsync=rsync, git=git, archive=archive)
