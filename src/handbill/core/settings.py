"""One way to declare, read and document a setting.

A part's settings are a frozen dataclass whose fields are declared with
``setting(default, doc, check)``. ``load_settings`` reads the user's dict for
one Pelican setting (``COMMENTS``, ``PUBLISH``…) into it: unknown keys, values
of the wrong type (from the field's annotation) and each validator's complaint
are all collected, so one build reports every mistake at once, each naming the
setting at fault (``COMMENTS["policy"] must be one of …``). The same fields
give the README's settings table (``render_table``), so docs and code cannot
drift apart.
"""

import dataclasses
import json
import re
import types
import typing
from pathlib import Path

_DOC = "handbill_doc"
_CHECK = "handbill_check"
_EXPECT = "handbill_expect"
_SHOWN = "handbill_shown_default"
_EXAMPLE = "handbill_example"

# ``example`` left out: the table's Example cell stays empty.
_NO_EXAMPLE = dataclasses.MISSING


def setting(default, doc, check=None, *, expect=None, shown=None, example=_NO_EXAMPLE):
    """A settings field: its default, a one-line ``doc`` for the README, and an optional ``check``.

    ``check(value)`` gets a value of the annotated type (never None) and returns
    a problem such as ``"must be 1 or more, not 0"``, or None. ``expect``
    replaces the type's own wording in the message for a value of the wrong
    type ("must be a port number, not '80'"); ``shown`` replaces the default in
    the table when the real default is a placeholder (None meaning AUTHOR…).
    ``example`` is a valid value as the user would set it, shown in the table's
    Example column in the defaults' notation (a list for a tuple…).
    Mutable defaults (list, dict) are stored through default_factory; prefer tuples.
    """
    metadata = described(doc, check, expect=expect, shown=shown, example=example)
    if isinstance(default, (list, dict, set)):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=metadata)
    if dataclasses.is_dataclass(default) and isinstance(default, type):
        return dataclasses.field(default_factory=default, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def described(doc, check=None, *, expect=None, shown=None, example=_NO_EXAMPLE):
    """``setting``'s metadata, for a ``dataclasses.field`` written out in full: ruff's RUF009
    cannot tell ``setting`` from a call with a shared mutable result when the field's type is
    not a plain immutable one (a nested settings dataclass, say)."""
    metadata = {_DOC: doc, _CHECK: check, _EXPECT: expect, _SHOWN: shown}
    if example is not _NO_EXAMPLE:
        metadata[_EXAMPLE] = example
    return metadata


def example_of(field, default=None):
    """The example value declared for a settings ``field``, or ``default`` when it has none."""
    return field.metadata.get(_EXAMPLE, default)


def has_example(field):
    return _EXAMPLE in field.metadata


class SettingsError(ValueError):
    """Settings with bad values: ``problems`` names each; ``settings`` keeps the good values
    and the defaults of the bad ones, for callers that carry on to report more."""

    def __init__(self, problems, settings=None):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        self.settings = settings
        super().__init__("; ".join(self.problems))


# Validators shared by several parts. Each returns a check for ``setting(check=…)``.


def one_of(*choices):
    def check(value):
        if value not in choices:
            return f"must be one of {', '.join(map(str, choices))}, not {value!r}"
        return None

    return check


def at_least(minimum, what=None):
    def check(value):
        if value < minimum:
            return f"must be {what or f'{minimum} or more'}, not {value!r}"
        return None

    return check


def between(low, high, what=None):
    def check(value):
        if not low <= value <= high:
            return f"must be {what or f'from {low} to {high}'}, not {value!r}"
        return None

    return check


def matches(pattern, what, allow_empty=False):
    """The whole value matches ``pattern``; "" passes too when ``allow_empty``."""
    compiled = re.compile(pattern)

    def check(value):
        if allow_empty and value == "":
            return None
        if not compiled.fullmatch(value):
            return f"must be {what}, not {value!r}"
        return None

    return check


def inside_output(value):
    """A relative path that stays inside the output folder ("" allowed: none)."""
    if value.startswith("/") or ".." in value.split("/"):
        return f"must be a file path inside the output, not {value!r}"
    return None


# Reading.


def _where(name, key):
    part = f'["{key}"]' if isinstance(key, str) else f"[{key!r}]"
    return f"{name}{part}" if name else str(key)


def _hints(cls):
    return typing.get_type_hints(cls)


def _describe(kind):
    """How a message names what a value of annotation ``kind`` must be."""
    options = _optional(kind)
    if options is not None:
        return f"None or {_describe(options)}"
    if kind is bool:
        return "True or False"
    if kind is int:
        return "a whole number"
    if kind is float:
        return "a number"
    if kind is str:
        return "text"
    if kind is Path:
        return "a path"
    if _sequence_of(kind) is not None:
        return f"a list of {_plural(_sequence_of(kind))}"
    if dataclasses.is_dataclass(kind):
        return "a dict"
    return getattr(kind, "__name__", str(kind))


def _plural(kind):
    return {str: "text", int: "whole numbers", float: "numbers", bool: "True or False"}.get(
        kind, getattr(kind, "__name__", str(kind))
    )


def _optional(kind):
    """X for an ``X | None`` annotation, else None."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        others = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(others) == 1 and len(typing.get_args(kind)) == 2:
            return others[0]
    return None


def _sequence_of(kind):
    """The item type of ``tuple[X, ...]``/``list[X]``, else None."""
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    if origin is list and len(args) == 1:
        return args[0]
    return None


_MISSING = object()


def _convert(kind, value):
    """``value`` as annotation ``kind`` wants it, or _MISSING when it is the wrong type."""
    if kind is bool:
        return value if isinstance(value, bool) else _MISSING
    if kind is int:
        return value if isinstance(value, int) and not isinstance(value, bool) else _MISSING
    if kind is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return float(value) if ok else _MISSING
    if kind is str:
        return value if isinstance(value, str) else _MISSING
    if kind is Path:
        return Path(value) if isinstance(value, (str, Path)) else _MISSING
    item = _sequence_of(kind)
    if item is not None:
        if not isinstance(value, (list, tuple)):
            return _MISSING
        items = [_convert(item, one) for one in value]
        return _MISSING if any(one is _MISSING for one in items) else tuple(items)
    return value  # an annotation too rich to check here: the field's check must


def _read_field(field, kind, value, where, problems):
    """The value to keep for one field, or _MISSING (its problem appended)."""
    optional = _optional(kind)
    if optional is not None:
        if value is None:
            return None
        kind = optional
    if dataclasses.is_dataclass(kind):
        if value is None and optional is None:
            return kind()
        loaded, nested = collect_settings(kind, value, where)
        problems.extend(nested)
        return loaded
    converted = _convert(kind, value)
    if converted is _MISSING:
        expect = field.metadata.get(_EXPECT)
        if not expect:
            expect = _describe(kind) if optional is None else f"None or {_describe(kind)}"
        problems.append(f"{where} must be {expect}, not {value!r}")
        return _MISSING
    check = field.metadata.get(_CHECK)
    problem = check(converted) if check else None
    if problem:
        problems.append(f"{where} {problem}")
        return _MISSING
    return converted


def collect_settings(cls, given, name=None):
    """``(settings, problems)``: ``given`` read into ``cls``, bad values left at their defaults.

    ``name`` is the Pelican setting ``given`` came from (``"COMMENTS"``), used
    in every message. Without a name, ``given`` is the whole Pelican settings
    dict and only ``cls``'s own keys are read from it (each field is one
    top-level setting, such as ``READING_TIME_WORDS_PER_MINUTE``).
    """
    problems = []
    if given is None:
        given = {}
    if not isinstance(given, dict):
        return cls(), [f"{name} must be a dict, not {given!r}"]
    fields = {field.name: field for field in dataclasses.fields(cls) if field.init}
    hints = _hints(cls)
    values = {}
    for key, value in given.items():
        field = fields.get(key)
        if field is None:
            if name is not None:
                known = ", ".join(fields)
                problems.append(f"{_where(name, key)} is not a setting (known: {known})")
            continue
        kept = _read_field(field, hints[key], value, _where(name, key), problems)
        if kept is not _MISSING:
            values[key] = kept
    return cls(**values), problems


def load_settings(cls, given, name=None, *, error=SettingsError):
    """``given`` (the user's dict for setting ``name``) as a ``cls``; raises ``error`` (a
    SettingsError class) naming every problem, with the partly read settings as its ``settings``."""
    settings, problems = collect_settings(cls, given, name)
    if problems:
        raise error(problems, settings)
    return settings


# Documenting.


def _shown(field):
    if field.metadata.get(_SHOWN) is not None:
        return field.metadata[_SHOWN]
    if field.default is not dataclasses.MISSING:
        value = field.default
    elif field.default_factory is not dataclasses.MISSING:
        value = field.default_factory()
    else:
        return "(required)"
    return f"`{_python(value)}`"


def _example(field):
    if not has_example(field):
        return ""
    return f"`{_python(example_of(field))}`"


def _python(value):
    """A default or example as a user would type it in pelicanconf.py."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, Path):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_python(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_python(k)}: {_python(v)}" for k, v in value.items()) + "}"
    return repr(value)


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def table_rows(cls, name=None, keys=None):
    """``(setting key, default, example, meaning)`` for each field, nested dataclasses flattened."""
    hints = _hints(cls)
    rows = []
    for field in dataclasses.fields(cls):
        if not field.init or (keys is not None and field.name not in keys):
            continue
        where = _where(name, field.name)
        kind = hints[field.name]
        nested = _optional(kind) or kind
        doc = field.metadata.get(_DOC, "")
        if dataclasses.is_dataclass(nested):
            if _optional(kind) is not None or doc:
                rows.append((f"`{where}`", _shown(field) if _optional(kind) else "", _example(field), doc))
            rows.extend(table_rows(nested, where))
        else:
            rows.append((f"`{where}`", _shown(field), _example(field), doc))
    return rows


def render_table(cls, name=None, keys=None):
    """The Markdown table of ``cls``'s settings: setting key | default | example | meaning."""
    lines = ["| Setting | Default | Example | Meaning |", "|---|---|---|---|"]
    for key, default, example, doc in table_rows(cls, name, keys):
        lines.append(f"| {_cell(key)} | {_cell(default)} | {_cell(example)} | {_cell(doc)} |")
    return "\n".join(lines) + "\n"
