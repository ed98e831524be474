"""Which files of the output folder are stale, and taking them out: removed, or set aside when no build wrote them."""

import fnmatch
import json
import logging
import os
import shutil
from pathlib import Path

from handbill.core.atomic import write_bytes_if_changed

logger = logging.getLogger(__name__)


def unsafe_output_reason(output, protected):
    """Why deleting in ``output`` could destroy the project, or None.

    ``protected`` are folders (content, theme, project root…) that must never
    be inside the output folder nor be it.
    """
    output = Path(os.path.abspath(output))
    for given in protected:
        folder = Path(os.path.abspath(given))
        if folder == output or output in folder.parents:
            return f"OUTPUT_PATH {output} is or contains {folder}"
    return None


def is_kept(relative, patterns):
    """``relative`` (a POSIX path from the output folder) matches one of the OUTPUT_KEEP patterns."""
    for pattern in patterns:
        if pattern.endswith("/"):
            if relative.startswith(pattern) or relative == pattern.rstrip("/"):
                return True
        elif fnmatch.fnmatchcase(relative, pattern):
            return True
    return False


def files_in(output):
    """Every file (and symbolic link) under ``output``, as POSIX paths relative to it; links are not followed."""
    found = []
    for folder, subfolders, files in os.walk(output):
        links = [name for name in subfolders if os.path.islink(os.path.join(folder, name))]
        for name in (*files, *links):
            found.append(Path(os.path.relpath(os.path.join(folder, name), output)).as_posix())
    return sorted(found)


def relative_paths(output, paths):
    """``paths`` (absolute) as POSIX paths relative to ``output``."""
    output = os.path.abspath(output)
    return {Path(os.path.relpath(path, output)).as_posix() for path in paths}


def stale_files(output, written, keep):
    """The files of ``output`` neither in ``written`` (relative paths) nor matching ``keep``."""
    return [relative for relative in files_in(output) if relative not in written and not is_kept(relative, keep)]


# Files set aside are named one warning each up to this many, the rest counted in one more line:
# a first build into an old site's folder can find thousands.
NAMED_SET_ASIDE = 20


def _set_aside(path, target):
    """Move the file or link at ``path`` to ``target``; the reason it could not, or None."""
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.move(path, target)
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    return None


def tidy_output(output, written, keep, earlier_outputs, set_aside_folder):
    """Take the stale files out of ``output``, then remove the folders left empty.

    ``written`` and ``earlier_outputs`` are relative paths: what this build wrote, and what
    earlier builds did. A stale file an earlier build wrote is deleted; a build makes it again
    whenever it is wanted. Any other was put there by someone (an owner's verification file, a
    CNAME): it is moved to the same path under ``set_aside_folder``, with a warning, never
    deleted. Returns ``(removed, set_aside)``, relative paths.
    """
    output = os.path.abspath(output)
    removed, set_aside = [], []
    for relative in stale_files(output, written, keep):
        path = os.path.join(output, relative)
        if os.path.commonpath([output, os.path.abspath(path)]) != output:
            continue  # never outside the output folder
        if relative in earlier_outputs:
            os.unlink(path)
            logger.info("Output sync: removed %s, which this build did not write", relative)
            removed.append(relative)
            continue
        target = os.path.join(set_aside_folder, relative)
        problem = _set_aside(path, target)
        if problem:
            logger.warning(
                "Output sync: %s was written by no build, and could not be moved to %s (%s); it stays",
                path,
                target,
                problem,
            )
            continue
        set_aside.append(relative)
        if len(set_aside) <= NAMED_SET_ASIDE:
            logger.warning(
                "Output sync: %s was written by no build, so it was moved to %s; "
                "list it in OUTPUT_KEEP to keep it in the output",
                path,
                target,
            )
    if len(set_aside) > NAMED_SET_ASIDE:
        logger.warning(
            "Output sync: %d more file(s) written by no build were moved to %s",
            len(set_aside) - NAMED_SET_ASIDE,
            set_aside_folder,
        )
    for folder, _subfolders, _files in os.walk(output, topdown=False):
        relative = Path(os.path.relpath(folder, output)).as_posix()
        if folder != output and not os.listdir(folder) and not is_kept(f"{relative}/", keep):
            os.rmdir(folder)
    return removed, set_aside


def load_output_files(path):
    """The relative paths a record of ``save_output_files`` holds; an empty set when there is no
    usable record (then every stale file counts as nobody's, and is set aside rather than deleted)."""
    try:
        files = json.loads(Path(path).read_bytes())["files"]
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    if not isinstance(files, list) or not all(isinstance(name, str) for name in files):
        return set()
    return set(files)


def save_output_files(path, files):
    write_bytes_if_changed(Path(path), json.dumps({"files": sorted(files)}, indent=0).encode("utf-8"))
