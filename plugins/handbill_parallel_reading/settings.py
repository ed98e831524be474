"""The ``PARALLEL_READING`` setting, read once per build (its table in README.md is generated from here)."""

from dataclasses import dataclass

from handbill.core.settings import at_least, collect_settings, setting


@dataclass(frozen=True)
class ParallelReadingSettings:
    workers: int | None = setting(
        None,
        "processes that read and convert sources at once; `None`: one per usable core, `1`: "
        "everything is read in the build's own process",
        at_least(1),
        example=2,
    )
    min_files: int = setting(
        32,
        "fewer sources to read than this (the cache holds the others) are read in the build's own "
        "process, where starting workers would cost more than it saves",
        at_least(1),
        example=100,
    )


def read_parallel_reading_settings(settings):
    """``(ParallelReadingSettings, problems)`` from the Pelican settings."""
    return collect_settings(ParallelReadingSettings, settings.get("PARALLEL_READING"), "PARALLEL_READING")
