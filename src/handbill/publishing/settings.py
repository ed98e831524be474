"""The ``PUBLISH`` setting (in publishconf.py), read and checked once.

The fields below are the documentation: README.md's table is generated from
them. Only the chosen target's keys are required, so a site can keep several
targets configured and pick one with ``invoke publish --target NAME``.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

from handbill.core.settings import SettingsError, between, collect_settings, described, one_of, setting

TARGETS = ("directory", "rsync", "git", "archive")
ARCHIVE_SUFFIXES = (".zip", ".tar.gz", ".tgz")


class PublishSettingsError(SettingsError):
    pass


def _rsync_patterns(patterns):
    if not all(patterns):
        return f"must be a list of rsync patterns, not {list(patterns)!r}"
    return None


def _archive_name(path):
    if not str(path).endswith(ARCHIVE_SUFFIXES):
        return f"must end in {', '.join(ARCHIVE_SUFFIXES)}, not {str(path)!r}"
    return None


@dataclass(frozen=True)
class RsyncSettings:
    host: str = setting(
        "",
        'SSH host (with user), e.g. `"dana@example.com"`; `""` syncs to a folder on this machine',
        example="dana@example.com",
    )
    path: str = setting(
        "", "the folder on the host (required by the rsync target)", shown="none", example="/var/www/site"
    )
    port: int | None = setting(
        None, "SSH port, when not 22", between(1, 65535, "a port number"), expect="a port number", example=2222
    )
    exclude: tuple[str, ...] = setting(
        (),
        "rsync patterns the publish leaves alone on the server (never deleted), e.g. `[\".well-known/\"]`",
        _rsync_patterns,
        expect="a list of rsync patterns",
        example=[".well-known/"],
    )


@dataclass(frozen=True)
class GitSettings:
    repository: str = setting(
        "",
        "repository URL or path (required by the git target)",
        shown="none",
        example="git@github.com:dana/site.git",
    )
    branch: str = setting("gh-pages", "branch to publish to", example="main")
    cname: str = setting("", "custom domain, written to `CNAME` (GitHub Pages)", example="www.example.com")
    nojekyll: bool = setting(
        True, "add `.nojekyll`, so GitHub Pages serves every file as it is", example=False
    )
    message: str = setting("Publish the site", "commit message", example="Site update")


@dataclass(frozen=True)
class PublishSettings:
    target: str = setting(
        "directory",
        "`directory`, `rsync`, `git` or `archive`; `invoke publish --target` overrides it",
        one_of(*TARGETS),
        example="rsync",
    )
    directory: Path | None = field(
        default=None,
        metadata=described(
            "the folder to publish to (required by the directory target)", shown="none", example="/var/www/site"
        ),
    )
    rsync: RsyncSettings = field(default_factory=RsyncSettings)
    git: GitSettings = field(default_factory=GitSettings)
    archive: Path | None = field(
        default=None,
        metadata=described(
            "the archive to write, `.zip`, `.tar.gz` or `.tgz` (required by the archive target)",
            _archive_name,
            shown="none",
            example="dist/site.zip",
        ),
    )


def _path(value, base_dir):
    path = Path(value).expanduser()
    return path if path.is_absolute() else Path(base_dir) / path


def load_publish_settings(settings_dict, base_dir, target=None):
    """PublishSettings from ``PUBLISH``; ``target`` overrides ``PUBLISH["target"]``.

    Relative paths are taken from ``base_dir`` (the settings file's folder).
    Raises PublishSettingsError naming every bad or missing key.
    """
    given = settings_dict.get("PUBLISH")
    if isinstance(given, dict):
        # "" means unset for the paths, as None does.
        given = {key: value for key, value in given.items() if not (key in ("directory", "archive") and value == "")}
    settings, problems = collect_settings(PublishSettings, given, "PUBLISH")
    if target is not None:
        if target in TARGETS:
            settings = replace(settings, target=target)
        else:
            problems.append(f"--target must be one of {', '.join(TARGETS)}, not {target!r}")
    rsync = settings.rsync
    if rsync.path and not rsync.host:
        # A folder on this machine: relative to the settings file, like the other paths.
        rsync = replace(rsync, path=str(_path(rsync.path, base_dir)))
    settings = replace(
        settings,
        rsync=rsync,
        directory=settings.directory and _path(settings.directory, base_dir),
        archive=settings.archive and _path(settings.archive, base_dir),
    )
    git = settings.git
    required = {
        "directory": [('PUBLISH["directory"]', settings.directory)],
        "rsync": [('PUBLISH["rsync"]["path"]', rsync.path)],
        "git": [('PUBLISH["git"]["repository"]', git.repository), ('PUBLISH["git"]["branch"]', git.branch)],
        "archive": [('PUBLISH["archive"]', settings.archive)],
    }
    if not any(problem.startswith(("PUBLISH must", 'PUBLISH["target"]', "--target")) for problem in problems):
        problems += [
            f"{name} is not set; the {settings.target} target needs it"
            for name, value in required[settings.target]
            if not value
        ]
    if problems:
        raise PublishSettingsError(problems, settings)
    return settings
