"""Each README's settings tables are what the code generates, and their examples are valid values."""

import dataclasses
import importlib
import typing

import pytest

from handbill.core import settings_docs
from handbill.core.settings import _optional, collect_settings, example_of, has_example, table_rows


def _registered_class(block):
    module, class_name, setting_name, keys = settings_docs.TABLES[block]
    return getattr(importlib.import_module(module), class_name), setting_name, keys


def _examples(cls, keys=None, path=()):
    """``(key path, example)`` for every field of ``cls`` with an example, nested settings classes included."""
    hints = typing.get_type_hints(cls)
    for field in dataclasses.fields(cls):
        if not field.init or (keys is not None and field.name not in keys):
            continue
        if has_example(field):
            yield (*path, field.name), example_of(field)
        kind = _optional(hints[field.name]) or hints[field.name]
        if dataclasses.is_dataclass(kind):
            yield from _examples(kind, path=(*path, field.name))


def _nested(path, value):
    """``{"a": {"b": value}}`` for the key path ``("a", "b")``."""
    for key in reversed(path):
        value = {key: value}
    return value


def test_every_readme_settings_table_matches_the_code():
    stale = settings_docs.stale_readmes()
    assert not stale, (
        f"out of date: {', '.join(str(path) for path in stale)}; run `python -m handbill.core.settings_docs`"
    )


def test_every_settings_block_is_used_in_some_readme():
    texts = [path.read_text(encoding="utf-8") for path in settings_docs.readmes()]
    used = {match["name"] for text in texts for match in settings_docs._BLOCK.finditer(text)}
    assert used == set(settings_docs.TABLES)


def test_blocks_are_rewritten_in_place():
    text = "before\n<!-- settings-table: REDIRECTS -->\nold table\n<!-- /settings-table -->\nafter\n"
    fresh = settings_docs.rewritten(text)
    assert fresh.startswith("before\n<!-- settings-table: REDIRECTS -->\n| Setting | Default | Example | Meaning |")
    assert '| `REDIRECTS["pages"]` | `True` | `False` |' in fresh
    assert fresh.endswith("<!-- /settings-table -->\nafter\n")
    assert settings_docs.rewritten(fresh) == fresh


@pytest.mark.parametrize("block", sorted(settings_docs.TABLES))
def test_every_example_is_a_valid_value(block):
    # Each example alone, through the loader every part uses, nested classes given as nested dicts.
    # collect_settings reads values only: BRAND["logo"]'s file is opened later, by
    # handbill_brand's read_brand, so its example needs no file on disk here.
    cls, setting_name, keys = _registered_class(block)
    examples = list(_examples(cls, keys))
    assert examples, f"{block} has no examples"
    for path, example in examples:
        _settings, problems = collect_settings(cls, _nested(path, example), setting_name)
        assert problems == [], f"{block} {path}: example {example!r}"


@pytest.mark.parametrize("block", sorted(settings_docs.TABLES))
def test_every_documented_setting_has_an_example(block):
    cls, setting_name, keys = _registered_class(block)
    missing = [key for key, _default, example, _doc in table_rows(cls, setting_name, keys) if not example]
    assert missing == []
