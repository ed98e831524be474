"""What a batch of saved files asks for: which are post or page sources to show
first, whether the settings must be read again, whether the process must restart.

Plain functions over paths; no Pelican, no I/O.
"""

from dataclasses import dataclass
from pathlib import Path, PurePath


@dataclass(frozen=True)
class WatchLayout:
    """Where the things a build depends on live (absolute paths)."""

    content: Path
    article_paths: tuple  # ARTICLE_PATHS, relative to content
    page_paths: tuple  # PAGE_PATHS, relative to content
    article_excludes: tuple
    page_excludes: tuple
    source_extensions: frozenset  # what the enabled readers read, without the dot
    settings_file: Path
    code_folders: tuple  # Python packages the build imports from outside the virtual environment


@dataclass(frozen=True)
class EditedSource:
    relative_path: str  # as Pelican names it: relative to PATH, "/"-separated
    kind: str  # "article" or "page"


@dataclass(frozen=True)
class Plan:
    edited: tuple  # EditedSource of each saved post or page, to write first
    settings_changed: bool
    code_changed: bool  # imported code changed: only a new process sees it
    needs_build: bool  # anything changed that a build reads


def _under(path, folder):
    return path == folder or folder in path.parents


def _in_any(relative, folders):
    # Pelican's "" (or ".") path means the whole content folder.
    return any(folder in ("", ".") or _under(relative, PurePath(folder)) for folder in folders)


def source_kind(relative, layout):
    """"article", "page" or None for a file ``relative`` (PurePath) to the content folder.

    As Pelican's generators choose their files: under one of the paths and under
    none of the excludes; pages first, since ARTICLE_EXCLUDES holds PAGE_PATHS
    by default and a file read as both would be a page's file as well."""
    if relative.suffix.lstrip(".") not in layout.source_extensions:
        return None
    if _in_any(relative, layout.page_paths) and not _in_any(relative, layout.page_excludes):
        return "page"
    if _in_any(relative, layout.article_paths) and not _in_any(relative, layout.article_excludes):
        return "article"
    return None


def plan_changes(changed, layout):
    """The Plan for ``changed`` (absolute paths of files saved, added or removed).

    ``edited`` may name a file that was removed: the caller reads only those
    that exist, and the full build deals with the rest. Changes under a code
    package's tests/ are no part of any build."""
    edited = []
    settings_changed = code_changed = needs_build = False
    for path in sorted({Path(p) for p in changed}):
        code_folder = next((folder for folder in layout.code_folders if _under(path, folder)), None)
        if code_folder is not None and "tests" in path.relative_to(code_folder).parts:
            continue  # a package's tests are not part of the build
        needs_build = True
        if path == layout.settings_file:
            settings_changed = True
        elif code_folder is not None:
            code_changed = code_changed or path.suffix == ".py"
        elif _under(path, layout.content):
            relative = path.relative_to(layout.content)
            kind = source_kind(PurePath(relative.as_posix()), layout)
            if kind:
                edited.append(EditedSource(relative.as_posix(), kind))
    return Plan(tuple(edited), settings_changed, code_changed, needs_build)


def code_folders(module_files, environment_prefix):
    """The package folders of ``module_files`` (a module's ``__file__``) that are
    not installed in the virtual environment at ``environment_prefix``: the
    project's own plugins, and Handbill itself when installed editable."""
    prefix = Path(environment_prefix).resolve()
    folders = set()
    for module_file in module_files:
        if not module_file:
            continue
        folder = Path(module_file).resolve().parent
        if not _under(folder, prefix):
            folders.add(folder)
    # A folder inside another watched one is watched already.
    return tuple(sorted(f for f in folders if not any(o != f and _under(f, o) for o in folders)))
