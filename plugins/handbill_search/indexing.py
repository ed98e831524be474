"""Pagefind over the pages this build wrote, and its bundle put into the output.

Pagefind runs as its command (``python -m pagefind``, the ``pagefind-bin``
binary) rather than through ``pagefind.index``: that API waits on the binary
with no way out when it dies (its reader task ends, its futures are never
resolved, the build would hang), while a command has an exit status, a message
and a timeout.

Pagefind indexes a folder, and the output may still hold pages of posts this
build no longer writes (handbill_output_sync removes them only when the build
ends). So Pagefind reads the output with a glob that names each page to index,
and nothing else: a glob of alternatives, ``{posts/a/index.html,about/index.html}``.
(Linking the pages into a folder of their own took as long as a quarter of
Pagefind's own run, at 1,000 posts.)
"""

import json
import os
import posixpath
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from handbill.core.atomic import DEFAULT_MODE, atomic_write_bytes
from handbill.core.cores import usable_cores

from .index_cache import bytes_entry

# Seconds; far beyond what a blog takes (well under a second for the sample
# site), only so that a stuck binary cannot hold the build for ever.
PAGEFIND_TIMEOUT = 600


class SearchIndexError(Exception):
    """Pagefind did not make an index; the message says why, on one line."""


class NothingToIndex(SearchIndexError):
    """None of the pages had words to index (a site of photo posts): nothing is wrong with it."""


# How Pagefind 1.x says that no page it read had any text (tested against the pinned version).
NOTHING_TO_INDEX_SAYS = "Pagefind was not able to build an index"


def indexed_files(contents):
    """The output files (relative paths, sorted, once each) of ``contents`` that are written at all."""
    return sorted({content.save_as for content in contents if content.save_as})


# Pagefind reads options from this file in the folder it runs in as well as from its
# command line. The site and the glob go there: a glob naming thousands of pages is
# longer than one argument of a command may be (128 KiB on Linux), and the command,
# kept the same in every build, is part of what says whether the index is current
# (index_cache); the pages themselves are in that digest on their own.
CONFIG_FILE = "pagefind.json"
# The folder of the working directory that Pagefind writes its files to.
BUNDLE_FOLDER = "bundle"
# The meta-characters of Pagefind's globs (the wax crate), each escaped with a backslash.
# A backslash itself cannot be escaped there, so a path holding one cannot be named.
GLOB_META_CHARACTERS = frozenset("?*$:<>()[]{},")


def pagefind_command(exclude_selectors=(), force_language=None):
    """The command, run in a working directory holding CONFIG_FILE, that indexes into its BUNDLE_FOLDER."""
    command = [sys.executable, "-m", "pagefind", "--output-path", BUNDLE_FOLDER, "--silent"]
    for selector in exclude_selectors:
        command += ["--exclude-selectors", selector]
    if force_language:
        command += ["--force-language", force_language]
    return command


# Pagefind's binary allocates with jemalloc (tikv-jemallocator, which takes its options from
# this variable). jemalloc makes four arenas per core, and memory freed in one arena is not
# reused by another. With one arena per core, Pagefind's peak memory at 5,000 posts on two
# cores went from 835 to 691-698 MiB, in the same time, and its files were byte for byte the same.
ALLOCATOR_OPTIONS = "_RJEM_MALLOC_CONF"


def pagefind_environment(environment, cores):
    """``environment`` for Pagefind's process: one jemalloc arena per core, unless the owner set its options."""
    if ALLOCATOR_OPTIONS in environment:
        return dict(environment)
    return {**environment, ALLOCATOR_OPTIONS: f"narenas:{cores}"}


# A failing binary can print a whole traceback; its cause is in the last lines.
MESSAGE_LINES = 3


def failure_message(returncode, output):
    """One line for a failed run: its status and the last distinct lines it printed, in order."""
    lines = list(dict.fromkeys(line.strip() for line in output.splitlines() if line.strip()))
    said = " ".join(lines[-MESSAGE_LINES:]) if lines else "no message"
    return f"Pagefind exited with status {returncode}: {said}"


def can_be_globbed(relative):
    """Whether a glob can name the file at ``relative`` (see GLOB_META_CHARACTERS)."""
    return "\\" not in relative


def glob_naming(files):
    """A Pagefind glob that matches ``files`` (relative paths that ``can_be_globbed``) and nothing else."""
    escaped = (
        "".join(f"\\{character}" if character in GLOB_META_CHARACTERS else character for character in relative)
        for relative in (posixpath.normpath(relative) for relative in files)
    )
    return "{" + ",".join(escaped) + "}"


def build_bundle(output, files, workdir, exclude_selectors=(), force_language=None):
    """Index ``files`` (paths relative to ``output`` that ``can_be_globbed``) with Pagefind;
    returns the bundle's folder in ``workdir``, which must be empty."""
    output, workdir = Path(output), Path(workdir)
    bundle = workdir / BUNDLE_FOLDER
    for relative in files:
        source = output / relative
        if not source.is_file():
            raise SearchIndexError(f"{source} was not written, so it cannot be indexed")
    workdir.mkdir(parents=True, exist_ok=True)
    config = {"site": os.path.abspath(output), "glob": glob_naming(files)}
    (workdir / CONFIG_FILE).write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    try:
        # cwd: Pagefind reads its CONFIG_FILE from there.
        result = subprocess.run(
            pagefind_command(exclude_selectors, force_language),
            cwd=workdir,
            env=pagefind_environment(os.environ, usable_cores()),
            capture_output=True,
            text=True,
            timeout=PAGEFIND_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SearchIndexError(f"Pagefind did not finish within {PAGEFIND_TIMEOUT} seconds") from error
    if result.returncode != 0:
        said = result.stdout + result.stderr
        if NOTHING_TO_INDEX_SAYS in said:
            raise NothingToIndex(f"none of the {len(files)} page(s) has any text to index")
        raise SearchIndexError(failure_message(result.returncode, said))
    if not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"Pagefind exited without writing {bundle / 'pagefind.js'}")
    return bundle


def build_bundles(output, parts, workdir, *, workers, exclude_selectors=(), force_language=None):
    """``build_bundle`` for each of ``parts`` (lists of files), ``workers`` Pagefind runs at a time.

    Returns, in the order of ``parts``, each one's bundle folder (in its own folder of
    ``workdir``) or the SearchIndexError that says why it has none.
    """

    def build(number, files):
        try:
            return build_bundle(output, files, Path(workdir) / str(number), exclude_selectors, force_language)
        except SearchIndexError as error:
            return error

    # Threads only wait here: the work is in Pagefind's processes.
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(parts)))) as pool:
        return list(pool.map(build, range(len(parts)), parts))


def publish_bundle(bundle, target):
    """Move every file of ``bundle`` into ``target``, leaving files with the same bytes as they are.

    Returns ``(written, unchanged, entries)``: absolute paths in ``target``, and
    each one's ``bytes_entry`` (for the index record, without reading the files
    again). Files of an earlier index are left for handbill_output_sync, which
    removes what the build did not record. ``bundle`` is used up.
    """
    bundle, target = Path(bundle), Path(target)
    written, unchanged, entries = [], [], {}
    for source in sorted(path for path in bundle.rglob("*") if path.is_file()):
        destination = target / source.relative_to(bundle)
        data = source.read_bytes()
        entries[destination] = bytes_entry(data)
        if destination.is_file() and destination.read_bytes() == data:
            unchanged.append(destination)
        else:
            _move_into_place(source, destination, data)
            written.append(destination)
    return written, unchanged, entries


def _move_into_place(source, destination, data):
    # A rename, atomic like atomic_write_bytes, makes no second copy: at 5,000 posts the
    # copies (one fragment per page) took seconds of the build's own single-core time.
    # Not flushed to disk: the next build writes again whatever a crash lost (as for pages).
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(source, DEFAULT_MODE)  # as atomic_write_bytes leaves it, whatever Pagefind's umask
        os.replace(source, destination)
    except OSError:  # the bundle is on another file system than the output
        atomic_write_bytes(destination, data, durable=False)
