"""Build real Pelican sites in temporary folders, with the project's settings.

Registered as a pytest plugin (see pyproject.toml), so every test, including
the plugins' own, can ask for the ``build_site`` fixture.
"""

import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest


def _find_project_root(start):
    """The checkout the tests run in: the nearest folder up with pelicanconf.py and pyproject.toml."""
    for folder in (start, *start.parents):
        if (folder / "pelicanconf.py").is_file() and (folder / "pyproject.toml").is_file():
            return folder
    raise RuntimeError(f"no Handbill checkout (pelicanconf.py beside pyproject.toml) at or above {start}")


PROJECT_ROOT = _find_project_root(Path.cwd().resolve())


def extending_settings(base_settings_file, overrides):
    """The text of a Pelican settings file that takes every setting of
    ``base_settings_file`` (read as Pelican reads a settings file, by path) and
    then sets ``overrides`` ({NAME: value})."""
    return (
        "from pelican.settings import get_settings_from_file\n"
        f"globals().update(get_settings_from_file({str(base_settings_file)!r}))\n"
        + "".join(f"{name} = {value!r}\n" for name, value in overrides.items())
    )


def project_settings(name="pelicanconf.py"):
    """The project's settings file ``name`` as a dict of its settings."""
    from pelican.settings import get_settings_from_file

    return get_settings_from_file(str(PROJECT_ROOT / name))


@dataclass
class BuiltSite:
    root: Path
    content: Path
    output: Path
    settings_file: Path
    returncode: int
    log: str

    def read(self, relative_path):
        """Text of a file in output/, e.g. ``site.read("posts/2024/hello/index.html")``."""
        return (self.output / relative_path).read_text(encoding="utf-8")

    def exists(self, relative_path):
        return (self.output / relative_path).exists()


# The project's settings name these images (theme header, handout brand), so
# every test site gets a copy unless the test brings its own.
PROJECT_IMAGES = ("images/mark.svg", "images/portrait.svg", "images/social-card.png")


def write_content(content, files):
    """``files`` ({path under content/: text or bytes}) into ``content``; text is dedented."""
    content.mkdir(parents=True, exist_ok=True)
    for relative_path, data in files.items():
        path = content / relative_path
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(textwrap.dedent(data).lstrip(), encoding="utf-8")


def write_site(root, files, settings=None, base_settings="pelicanconf.py"):
    """Write ``files`` ({path under content/: text or bytes}) and a settings file
    that imports the project's ``base_settings`` and then applies ``settings``."""
    root = Path(root)
    content = root / "content"
    output = root / "output"
    files = {**{name: (PROJECT_ROOT / "content" / name).read_bytes() for name in PROJECT_IMAGES}, **files}
    write_content(content, files)
    overrides = {
        "PATH": str(content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(root / "cache"),
        **(settings or {}),
    }
    settings_file = root / "siteconf.py"
    settings_file.write_text(extending_settings(PROJECT_ROOT / base_settings, overrides), encoding="utf-8")
    return content, output, settings_file


def run_pelican(root, settings_file, extra_args=()):
    """Run the real ``pelican`` command, logging as ``invoke build`` does, in a child process."""
    return subprocess.run(
        [sys.executable, "-m", "handbill.pelican_command", "-s", str(settings_file), *extra_args],
        cwd=root,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": str(root), "LANG": "C.UTF-8"},
        timeout=600,
        check=False,
    )


def build(root, files, settings=None, *, expect_success=True, base_settings="pelicanconf.py"):
    content, output, settings_file = write_site(root, files, settings, base_settings)
    result = run_pelican(root, settings_file)
    site = BuiltSite(
        root=Path(root),
        content=content,
        output=output,
        settings_file=settings_file,
        returncode=result.returncode,
        log=result.stdout + result.stderr,
    )
    if expect_success and result.returncode != 0:
        raise AssertionError(f"pelican failed with status {result.returncode}:\n{site.log}")
    return site


@pytest.fixture
def build_site(tmp_path):
    """``build_site(files, settings=None, expect_success=True)`` → BuiltSite in tmp_path."""

    def _build(files, settings=None, **kwargs):
        return build(tmp_path, files, settings, **kwargs)

    return _build


@pytest.fixture(scope="session")
def sample_site_output(tmp_path_factory):
    """The output folder of one real build of the project's own sample site (content/,
    pelicanconf.py), shared by the tests that only read it (per xdist worker)."""
    return build(tmp_path_factory.mktemp("sample-site"), {}, {"PATH": str(PROJECT_ROOT / "content")}).output
