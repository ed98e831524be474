"""handbill_strict_build on its own: Pelican's defaults and default theme, no other plugin.

Needs no theme and no settings. Pelican logs a post it cannot read and carries
on; with the plugin the same in-process build raises ``BuildFailed`` once all
output is written (the ``pelican`` command turns that into exit status 1).
"""

import logging

import pytest
from blinker.base import default_namespace

from handbill.testing.plugin_site import assert_alone, build_in_process, build_with_only
from handbill_strict_build import BuildFailed

PLUGIN = "handbill_strict_build"

FINE = {"fine.md": "Title: Fine\nDate: 2024-01-03\n\nFine.\n"}
BROKEN = {
    **FINE,
    "bad-date.md": "Title: Bad date\nDate: the day after tomorrow\n\nx\n",
    "no-title.md": "Date: 2024-01-02\n\nx\n",
}


def test_a_build_that_logged_errors_raises_after_writing_its_output_and_names_every_error(tmp_path):
    with pytest.raises(BuildFailed) as failure:
        build_with_only(PLUGIN, BROKEN, tmp_path)
    errors = failure.value.errors
    assert len(errors) == 2, errors
    # With the reason, which Pelican itself only shows with --debug.
    assert any("bad-date.md: 'the day after tomorrow' is not a valid date" in error for error in errors)
    assert any("no-title.md" in error for error in errors)
    # Everything that could be built was built before the build failed.
    assert (tmp_path / "output" / "fine.html").is_file()


def test_plain_pelican_does_not_fail_on_the_same_site(tmp_path):
    # So the failure above is the plugin's doing, not Pelican's.
    site = build_in_process(BROKEN, tmp_path, [])
    assert site.exists("fine.html")


def test_a_clean_build_passes(tmp_path):
    site = build_with_only(PLUGIN, FINE, tmp_path)
    assert_alone(site, PLUGIN)
    assert site.exists("fine.html")


def test_an_in_process_build_leaves_no_receiver_handler_or_filter_behind(tmp_path):
    # This plugin hooks into logging as well as signals; were any of it left
    # behind, every later test in this worker would have its errors collected.
    def connections():
        return {name: dict(sig.receivers) for name, sig in default_namespace.items() if sig.receivers}

    loggers = [logging.getLogger(name) for name in ("", "pelican", "pelican.generators")]
    before = (connections(), [list(logger.handlers) for logger in loggers], [list(lg.filters) for lg in loggers])
    with pytest.raises(BuildFailed):
        build_with_only(PLUGIN, BROKEN, tmp_path)
    after = (connections(), [list(logger.handlers) for logger in loggers], [list(lg.filters) for lg in loggers])
    assert after == before
