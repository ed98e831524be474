"""The cache fingerprint's plain functions: stable across processes, sensitive to what the cache depends on."""

import os
import sys
import types
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from handbill.core.fingerprint import (
    _real_path,
    fingerprint,
    library_folders,
    local_source_roots,
    source_digests,
    stable_repr,
)

SETTINGS = {"MARKDOWN": {"extension_configs": {"markdown.extensions.smarty": {}}}, "CACHE_PATH": "/a/cache"}

settings_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=10,
)


@given(st.dictionaries(st.text(max_size=5), settings_values, max_size=6))
def test_the_order_keys_were_set_in_does_not_matter(settings):
    assert stable_repr(dict(reversed(list(settings.items())))) == stable_repr(settings)


def test_sets_and_memory_addresses_give_the_same_text_in_every_process():
    def slugify(text):
        return text

    assert stable_repr({"b", "a", "c"}) == "{'a', 'b', 'c'}"
    assert " at 0x" not in stable_repr({"JINJA_FILTERS": {"slug": slugify}, "THING": object()})


@given(st.text(), st.text())
def test_different_text_always_gives_a_different_repr(first, second):
    # Text that reads like an address (" at 0x1f") is text: the post that says it differs from one that does not.
    assert (stable_repr(first) == stable_repr(second)) == (first == second)
    assert stable_repr(f"meet at 0x{first.encode().hex()}1") != stable_repr(f"meet at 0x{first.encode().hex()}2")


def test_a_setting_changes_the_fingerprint_but_where_the_cache_lives_does_not():
    base = fingerprint(SETTINGS, ["Markdown-3.7"], {})
    elsewhere = {**SETTINGS, "CACHE_PATH": "/b/cache", "LOAD_CONTENT_CACHE": False}
    assert fingerprint(elsewhere, ["Markdown-3.7"], {}) == base
    assert fingerprint({**SETTINGS, "MARKDOWN": {}}, ["Markdown-3.7"], {}) != base
    assert fingerprint(SETTINGS, ["Markdown-3.8"], {}) != base
    assert fingerprint(SETTINGS, ["Markdown-3.7"], {"/p/plugin.py": "00"}) != base


def test_a_local_plugins_source_is_covered_and_an_installed_librarys_is_not(tmp_path):
    package = tmp_path / "src" / "my_plugin"
    (package / "tests").mkdir(parents=True)
    (package / "__init__.py").write_text("def register(): pass\n")
    (package / "reader.py").write_text("SMART = True\n")
    (package / "tests" / "test_reader.py").write_text("")
    library = tmp_path / "site-packages"
    (library / "markdown").mkdir(parents=True)
    (library / "markdown" / "__init__.py").write_text("")
    plugin = types.ModuleType("my_plugin")
    plugin.__file__, plugin.__path__ = str(package / "__init__.py"), [str(package)]
    reader = types.ModuleType("my_plugin.reader")
    reader.__file__ = str(package / "reader.py")
    markdown = types.ModuleType("markdown")
    markdown.__file__ = str(library / "markdown" / "__init__.py")
    modules = {"my_plugin": plugin, "my_plugin.reader": reader, "markdown": markdown}

    roots = local_source_roots(modules, {str(library.resolve())})
    assert roots == {str(package.resolve())}
    before = source_digests(roots)
    assert sorted(before) == sorted(str(path.resolve()) for path in (package / "__init__.py", package / "reader.py"))
    (package / "reader.py").write_text("SMART = False\n")
    assert source_digests(roots) != before


def test_source_roots_resolve_links_as_realpath_does(tmp_path):
    real = tmp_path / "real"
    (real / "pkg").mkdir(parents=True)
    for name in ("pkg/__init__.py", "lone.py", "target.py"):
        (real / name).write_text("")
    (tmp_path / "linked-folder").symlink_to(real)  # a folder reached through a link
    (real / "linked-file.py").symlink_to(real / "target.py")  # a module file that is a link
    library = tmp_path / "lib"
    library.mkdir()
    (library / "inlib.py").write_text("")
    (tmp_path / "lib-link").symlink_to(library)
    files = {
        "pkg": tmp_path / "linked-folder" / "pkg" / "__init__.py",
        "lone": tmp_path / "linked-folder" / "lone.py",
        "linked_file": tmp_path / "linked-folder" / "linked-file.py",
        "relative": Path(os.path.relpath(real / "lone.py")),
        "inlib": tmp_path / "lib-link" / "inlib.py",  # a library's module, through a link
    }
    modules = dict(sys.modules)  # this process's own modules too
    for name, file in files.items():
        modules[name] = types.ModuleType(name)
        modules[name].__file__ = str(file)
    modules["pkg"].__path__ = [str(files["pkg"].parent)]
    libraries = {os.path.realpath(library), *library_folders()}

    roots = local_source_roots(modules, libraries)

    real_folders = {}
    for module in modules.values():
        file = getattr(module, "__file__", None)
        if file:
            assert _real_path(file, real_folders) == os.path.realpath(file), file
    assert {str(real / "pkg"), str(real / "lone.py"), str(real / "target.py")} <= roots
    assert not any(root.startswith(str(library)) for root in roots)
