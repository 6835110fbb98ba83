"""Tools from typed, documented functions; argument validation; raising and hanging tools."""

import threading
from typing import Literal

import pytest

from lmforge.agent.tools import run_tool, tool


def convert(degrees: float, to: Literal["F", "K"] = "F", note: str | None = None) -> float:
    """Convert degrees Celsius to Fahrenheit or Kelvin.

    Longer explanation that is not part of the description.

    Args:
        degrees: the temperature in Celsius
        to: the target scale
    """
    return degrees * 9 / 5 + 32 if to == "F" else degrees + 273.15


def test_schema_comes_from_type_hints_and_docstring():
    spec = tool(convert).spec()
    assert spec == {"type": "function", "function": {
        "name": "convert", "description": "Convert degrees Celsius to Fahrenheit or Kelvin.",
        "parameters": {"type": "object", "properties": {
            "degrees": {"type": "number", "description": "the temperature in Celsius"},
            "to": {"enum": ["F", "K"], "description": "the target scale"},
            "note": {"anyOf": [{"type": "string"}, {"type": "null"}]}},
            "required": ["degrees"], "additionalProperties": False}}}


def test_valid_call_runs_with_json_or_dict_arguments():
    t = tool(convert)
    assert run_tool(t, '{"degrees": 100}').content == "212.0"
    result = run_tool(t, {"degrees": 0, "to": "K"})
    assert result.ok and result.content == "273.15"


@pytest.mark.parametrize("arguments, message", [
    ('{"degrees": "hot"}', "degrees.*not of type 'number'"),
    ('{"to": "F"}', "'degrees' is a required property"),
    ('{"degrees": 1, "unit": "x"}', "Additional properties"),
    ('{"degrees": 1, "to": "C"}', "is not one of"),
    ('{"degrees": 1', "not valid JSON"),
    ('[1, 2]', "must be a JSON object"),
])
def test_invalid_arguments_become_error_observations(arguments, message):
    result = run_tool(tool(convert), arguments)
    assert not result.ok and result.error == "invalid_arguments"
    assert result.content.startswith("error: ")
    import re
    assert re.search(message, result.content), result.content


def test_a_raising_tool_is_an_observation():
    def explode(n: int) -> int:
        """Always fails."""
        raise RuntimeError(f"boom {n}")
    result = run_tool(tool(explode), {"n": 3})
    assert (result.ok, result.error, result.content) == (False, "raised",
                                                         "error: RuntimeError: boom 3")


def test_a_hanging_tool_times_out_without_blocking():
    release, finished = threading.Event(), threading.Event()

    def hang() -> str:
        """Returns only once released."""
        release.wait(60)
        finished.set()
        return "late"
    result = run_tool(tool(hang, timeout_s=0.3), {})
    assert not finished.is_set()  # run_tool came back while the tool still hung
    release.set()
    assert result.error == "timeout" and "did not finish within 0.3 s" in result.content


def test_functions_that_cannot_be_described_are_refused():
    def undocumented(x: int) -> int:
        return x
    with pytest.raises(ValueError, match="docstring"):
        tool(undocumented)

    def untyped(x):
        """Has no hints."""
    with pytest.raises(ValueError, match="type hint"):
        tool(untyped)
