"""The cache fingerprint and the PDF's file identifier of a planned handout."""

import pytest

from handbill_handouts.cache import fingerprint
from handbill_handouts.planning import (
    BYTE_SHAPING_LIBRARIES,
    RENDERING_CODE_INPUTS,
    HandoutPlanner,
    fingerprints,
    library_versions,
    plugin_code_digest,
    rendering_code_inputs,
)
from handbill_handouts.settings import read_settings

VERSIONS = dict.fromkeys(BYTE_SHAPING_LIBRARIES, "1.0") | {"zlib": "1.3"}
DOCUMENT = {"document": {"title": "Meeting People"}, "content": "<p>Hello</p>", "images": {}, "preview": True}


def inputs(plugin="digest", versions=VERSIONS):
    return {**rendering_code_inputs(plugin, versions), **DOCUMENT}


@pytest.mark.parametrize("library", [*BYTE_SHAPING_LIBRARIES, "zlib"])
def test_a_new_library_version_renders_again_under_the_same_identifier(library):
    before = fingerprints(inputs())
    after = fingerprints(inputs(versions={**VERSIONS, library: "2.0"}))
    assert after[0] != before[0]
    assert after[1] == before[1]


def test_new_plugin_code_renders_again_under_the_same_identifier():
    before = fingerprints(inputs())
    after = fingerprints(inputs(plugin="other digest"))
    assert after[0] != before[0] and after[1] == before[1]


def test_a_new_document_gets_a_new_identifier():
    changed = {**inputs(), "content": "<p>Hello again</p>"}
    assert fingerprints(changed)[1] != fingerprints(inputs())[1]


def test_the_identifier_is_the_fingerprint_of_the_document_inputs_alone():
    # As PDFs built before library versions were tracked have it: they keep
    # their bytes.
    assert set(RENDERING_CODE_INPUTS) == set(rendering_code_inputs("digest", VERSIONS))
    assert fingerprints(inputs())[1] == fingerprint(DOCUMENT)[:32]


def test_installed_versions_of_every_byte_shaping_library():
    versions = library_versions()
    assert set(versions) == {*BYTE_SHAPING_LIBRARIES, "zlib"}
    for name in ("weasyprint", "pydyf", "fonttools", "pillow", "pypdfium2", "pypdf"):
        assert versions[name], name
    assert library_versions(["no-such-distribution-here"])["no-such-distribution-here"] is None


def test_the_planner_fingerprints_the_versions_it_is_given(tmp_path):
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "content" / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    )
    settings = read_settings(
        {
            "PATH": str(tmp_path / "content"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            "SITEURL": "",
            "AUTHOR": "Dana Whitfield",
            "BRAND": {"website": "https://coach.example", "logo": "images/logo.svg"},
        }
    )
    planner = HandoutPlanner(settings, {}, versions=VERSIONS)
    assert planner.shared_inputs["libraries"] == VERSIONS
    assert planner.shared_inputs["plugin"] == plugin_code_digest()
    assert HandoutPlanner(settings, {}).shared_inputs["libraries"] == library_versions()
