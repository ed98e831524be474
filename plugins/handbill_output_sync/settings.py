"""The ``OUTPUT_KEEP`` and ``PARALLEL_WRITING`` settings, read once per build (their tables in
README.md are generated from here)."""

from dataclasses import dataclass

from handbill.core.settings import at_least, collect_settings, setting


def relative_patterns(patterns):
    """Each pattern is a path relative to the output folder."""
    wrong = [pattern for pattern in patterns if pattern.startswith("/") or ".." in pattern.split("/") or not pattern]
    if wrong:
        return f"must be paths relative to the output folder, not {wrong!r}"
    return None


@dataclass(frozen=True)
class OutputSyncSettings:
    # One top-level Pelican setting, so the field carries the setting's own name.
    OUTPUT_KEEP: tuple[str, ...] = setting(
        (),
        "files in the output that no build writes but must stay (a host's verification files…): "
        "a path ending in `/` keeps that folder and all in it, any other is a glob (`*`, `?`) "
        "matched against the whole path from the output folder",
        relative_patterns,
        expect="a list of paths relative to the output folder",
        example=[".well-known/", "CNAME", "google*.html"],
    )


def read_output_sync_settings(settings):
    """``(OutputSyncSettings, problems)`` from the Pelican settings; a bad value keeps nothing extra."""
    return collect_settings(OutputSyncSettings, settings)


@dataclass(frozen=True)
class ParallelWritingSettings:
    workers: int | None = setting(
        None,
        "processes that render pages at once; `None`: one per usable core, `1`: every page is "
        "rendered in the build's own process",
        at_least(1),
        example=2,
    )
    min_pages: int = setting(
        64,
        "fewer pages to render than this at a time are rendered in the build's own process, where "
        "starting workers would cost more than it saves",
        at_least(1),
        example=200,
    )


def read_parallel_writing_settings(settings):
    """``(ParallelWritingSettings, problems)`` from the Pelican settings."""
    return collect_settings(ParallelWritingSettings, settings.get("PARALLEL_WRITING"), "PARALLEL_WRITING")
