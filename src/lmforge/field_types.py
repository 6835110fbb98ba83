"""Check a value against a dataclass field's annotation, where values enter lmforge.

Values arrive as strings from the command line, as YAML from recipes and as JSON from
config files. A `"192"` where an int belongs would otherwise fail deep inside (a TypeError
from a comparison or from torch); `type_problem` names the expected type at the door.

    type_problem(TrainSettings, "lr", "abc")  -> "expected a number, got 'abc' (str)"

Test: `pytest tests/cli/test_new_user.py -k types`.
"""

import dataclasses
import functools
import math
import types
import typing
from typing import Any, Literal

from lmforge.errors import ConfigError


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def type_problem(cls: type, name: str, value: Any, choices: bool = True) -> str | None:
    """None when `value` fits field `name` of dataclass `cls`; else what was expected.
    choices=False accepts any value of a Literal's type (the class names bad choices)."""
    annotation = _hints(cls).get(name)
    if annotation is None or _fits(annotation, value, choices):
        return None
    return f"expected {_describe(annotation)}, got {value!r} ({type(value).__name__})"


def check_fields(obj: Any, source: str, error: type[Exception], choices: bool = True) -> None:
    """Raise `error` naming the first field of dataclass instance `obj` of the wrong type."""
    for f in dataclasses.fields(obj):
        problem = type_problem(type(obj), f.name, getattr(obj, f.name), choices)
        if problem:
            raise error(f"{source}: {f.name}: {problem}")


def check_keys(cls: type, values: dict, source: str, what: str = "key(s)") -> None:
    """A ConfigError naming the keys of `values` that dataclass `cls` has no field for (a typo
    should not pass silently)."""
    unknown = sorted(set(values) - {f.name for f in dataclasses.fields(cls)})
    if unknown:
        raise ConfigError(f"{source}: unknown {what}: {', '.join(unknown)}")


def _fits(annotation: Any, value: Any, choices: bool = True) -> bool:
    origin = typing.get_origin(annotation)
    if annotation is Any:
        return True
    if annotation is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(_fits(a, value, choices) for a in typing.get_args(annotation))
    if origin is Literal:
        options = typing.get_args(annotation)
        return value in options or (not choices and type(value) in {type(o) for o in options})
    if annotation is bool:
        return isinstance(value, bool)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation is float:
        return (isinstance(value, int | float) and not isinstance(value, bool)
                and not math.isnan(value))
    if annotation is str:
        return isinstance(value, str)
    if origin in (list, tuple):
        return isinstance(value, list | tuple)
    if origin is dict or annotation is dict:
        return isinstance(value, dict)
    return True  # other annotations are checked by the code that uses them


def _describe(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(a) for a in typing.get_args(annotation))
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(annotation))
    return {int: "an integer", float: "a number", bool: "true or false", str: "a string",
            type(None): "none"}.get(annotation, getattr(annotation, "__name__", str(annotation)))
