"""The project is one installable distribution: built as a wheel and installed
into an empty virtual environment, every plugin and tool imports by its name."""

import subprocess
import sys
import tomllib
import zipfile

import pytest

from handbill.testing.sites import PROJECT_ROOT

PLUGINS = [
    "handbill_brand",
    "handbill_comments",
    "handbill_events",
    "handbill_figure_links",
    "handbill_handouts",
    "handbill_markdown_reuse",
    "handbill_output_sync",
    "handbill_parallel_reading",
    "handbill_reading_time",
    "handbill_redirects",
    "handbill_search",
    "handbill_strict_build",
    "handbill_theme_assets",
    "handbill_title_typography",
    "handbill_unread_sources",
]
TOOLS = ["handbill.core", "handbill.comment_service", "handbill.publishing", "handbill.importer", "handbill.linkcheck"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(folder), str(PROJECT_ROOT)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    (path,) = folder.glob("handbill-*.whl")
    return path


def test_every_plugin_folder_is_packaged_and_listed_in_pelicanconf():
    packaged = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["hatch"]["build"]["targets"][
        "wheel"
    ]["packages"]
    folders = sorted(path.name for path in (PROJECT_ROOT / "plugins").iterdir() if (path / "__init__.py").is_file())
    assert folders == PLUGINS
    assert sorted(name for name in packaged if name.startswith("plugins/")) == [f"plugins/{name}" for name in PLUGINS]
    # plugins/ holds Pelican plugins only: each has register().
    for name in PLUGINS:
        assert "def register(" in (PROJECT_ROOT / "plugins" / name / "__init__.py").read_text(), name


def test_the_wheel_carries_the_packages_at_the_top_level_with_their_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for package in [*PLUGINS, *(tool.replace(".", "/") for tool in TOOLS)]:
        assert f"{package.replace('.', '/')}/__init__.py" in names, package
    assert not [name for name in names if name.startswith(("plugins/", "src/"))]
    # What the plugins read at build time: templates, fonts; the service's pages and schema.
    for data in (
        "handbill_handouts/templates/handout.html",
        "handbill_brand/fonts/source-serif-4-latin-400-normal.ttf",
        "handbill_brand/fonts/metrics.json",
        "handbill_redirects/templates/redirect.html",
        "handbill/comment_service/templates/base.html",
        "handbill/comment_service/schema.sql",
    ):
        assert data in names, data


@pytest.mark.slow
def test_installed_into_an_empty_environment_each_plugin_imports_by_its_name(wheel, tmp_path):
    environment = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(environment)], check=True, timeout=120)
    python = environment / "bin" / "python"
    install = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(
        [*install, "--require-hashes", "-r", str(PROJECT_ROOT / "requirements.lock")],
        check=True, capture_output=True, text=True, timeout=900,
    )
    subprocess.run([*install, "--no-deps", str(wheel)], check=True, capture_output=True, text=True, timeout=300)
    script = (
        "import importlib\n"
        f"for name in {[*PLUGINS, *TOOLS]!r}:\n"
        "    module = importlib.import_module(name)\n"
        "    assert 'site-packages' in module.__file__, module.__file__\n"
        f"for name in {PLUGINS!r}:\n"
        "    assert callable(importlib.import_module(name).register), name\n"
        "print('imported')\n"
    )
    # Run from an empty folder so that nothing of the checkout can be imported by accident.
    result = subprocess.run(
        [str(python), "-I", "-c", script], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "imported"


def test_no_code_patches_the_import_path():
    # Every part imports the others as installed packages; a patched path would
    # hide a packaging mistake that `pip install .` then ships.
    tracked = subprocess.run(
        ["git", "-C", str(PROJECT_ROOT), "ls-files", "*.py", "*.toml", "*.cfg", "Makefile", ".ci/*"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    needles = ("sys.path.insert", "sys.path.append", "PYTHONPATH", "pythonpath =", "PLUGIN_PATHS = [")
    patched = [
        name
        for name in tracked
        if name != "tests/test_distribution.py" and (PROJECT_ROOT / name).is_file()
        for needle in needles
        if needle in (PROJECT_ROOT / name).read_text(encoding="utf-8")
    ]
    assert patched == []
