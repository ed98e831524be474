"""The settings loader, on made-up settings classes."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handbill.core.settings import (
    SettingsError,
    at_least,
    collect_settings,
    load_settings,
    one_of,
    render_table,
    setting,
)


@dataclass(frozen=True)
class Inner:
    port: int | None = setting(None, "a port", at_least(1))
    names: tuple[str, ...] = setting((), "some names", example=("x", "y"))


@dataclass(frozen=True)
class Example:
    mode: str = setting("a", "the mode", one_of("a", "b"), example="b")
    flag: bool = setting(True, "a switch")
    count: int = setting(2, "how many", at_least(1))
    ratio: float = setting(0.5, "a share")
    label: str | None = setting(None, "a | label")
    inner: Inner = field(default_factory=Inner)


@dataclass(frozen=True)
class TopLevel:
    SPEED: int = setting(10, "top-level speed", at_least(1))


def test_defaults_and_good_values():
    assert load_settings(Example, None, "EX") == Example()
    loaded = load_settings(Example, {"mode": "b", "ratio": 2, "inner": {"names": ["x", "y"]}}, "EX")
    assert (loaded.mode, loaded.ratio, loaded.inner.names) == ("b", 2.0, ("x", "y"))
    assert isinstance(loaded.ratio, float)


def test_every_problem_is_named_and_good_values_are_kept():
    with pytest.raises(SettingsError) as caught:
        load_settings(
            Example,
            {"mode": "x", "flag": "yes", "count": 0, "colour": 1, "label": "kept", "inner": {"port": True, "z": 1}},
            "EX",
        )
    assert caught.value.problems == [
        "EX[\"mode\"] must be one of a, b, not 'x'",
        "EX[\"flag\"] must be True or False, not 'yes'",
        'EX["count"] must be 1 or more, not 0',
        'EX["colour"] is not a setting (known: mode, flag, count, ratio, label, inner)',
        'EX["inner"]["port"] must be None or a whole number, not True',
        'EX["inner"]["z"] is not a setting (known: port, names)',
    ]
    assert caught.value.settings == Example(label="kept")


def test_not_a_dict():
    settings, problems = collect_settings(Example, ["mode"], "EX")
    assert settings == Example()
    assert problems == ["EX must be a dict, not ['mode']"]


def test_top_level_settings_read_only_their_own_keys():
    assert load_settings(TopLevel, {"SPEED": 3, "SITENAME": "x"}) == TopLevel(SPEED=3)
    with pytest.raises(SettingsError, match=r"^SPEED must be 1 or more, not 0$"):
        load_settings(TopLevel, {"SPEED": 0})


def test_table():
    table = render_table(Example, "EX")
    assert table.splitlines()[:3] == [
        "| Setting | Default | Example | Meaning |",
        "|---|---|---|---|",
        '| `EX["mode"]` | `"a"` | `"b"` | the mode |',
    ]
    assert '| `EX["label"]` | `None` |  | a \\| label |' in table
    assert '| `EX["inner"]["names"]` | `[]` | `["x", "y"]` | some names |' in table


junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)


@given(st.dictionaries(st.one_of(st.text(max_size=8), st.sampled_from(["mode", "flag", "count", "inner"])), junk))
def test_junk_raises_only_settings_errors_naming_each_unknown_key(given_dict):
    try:
        load_settings(Example, given_dict, "EX")
    except SettingsError as error:
        text = "\n".join(error.problems)
        assert isinstance(error.settings, Example)
    else:
        text = ""
    known = {"mode", "flag", "count", "ratio", "label", "inner"}
    for key in set(given_dict) - known:
        assert f'EX["{key}"] is not a setting' in text
