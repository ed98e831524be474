"""Which files of the output folder are stale, and removing them: plain functions."""

import fnmatch
import logging
import os
from pathlib import Path

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


def stale_files(output, written, keep):
    """The files of ``output`` neither in ``written`` (absolute paths) nor matching ``keep``."""
    output = os.path.abspath(output)
    written_here = {Path(os.path.relpath(path, output)).as_posix() for path in written}
    return [relative for relative in files_in(output) if relative not in written_here and not is_kept(relative, keep)]


def remove_stale(output, written, keep):
    """Delete the stale files of ``output``, then the folders left empty; return the files removed."""
    output = os.path.abspath(output)
    removed = []
    for relative in stale_files(output, written, keep):
        path = os.path.join(output, relative)
        if os.path.commonpath([output, os.path.abspath(path)]) != output:
            continue  # never outside the output folder
        os.unlink(path)
        logger.info("Output sync: removed %s, which this build did not write", relative)
        removed.append(relative)
    for folder, _subfolders, _files in os.walk(output, topdown=False):
        relative = Path(os.path.relpath(folder, output)).as_posix()
        if folder != output and not os.listdir(folder) and not is_kept(f"{relative}/", keep):
            os.rmdir(folder)
    return removed
