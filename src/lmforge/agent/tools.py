"""Tools: Python functions the model may call, described by a JSON schema.

    @tool
    def convert_celsius(degrees: float) -> float:
        '''Convert degrees Celsius to Fahrenheit.'''
        return degrees * 9 / 5 + 32

`tool(fn)` reads the function's type hints and docstring into the OpenAI tool format
(`{"type": "function", "function": {"name", "description", "parameters"}}`): the first
docstring paragraph is the description; `name: meaning` lines under "Args:" describe the
parameters; parameters without a default are required. `run_tool` validates the model's
arguments against that schema (jsonschema) and runs the function in a worker thread with a
time limit: a tool that raises, hangs or gets bad arguments produces an error observation
for the model, never a crash of the agent.

Test: `pytest tests/agent/test_tools.py`.
"""

import inspect
import json
import queue
import re
import threading
import time
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field

_JSON_TYPES = {str: "string", int: "integer", float: "number", bool: "boolean",
               list: "array", dict: "object"}


@dataclass
class Tool:
    name: str
    description: str
    parameters: dict
    fn: Callable
    timeout_s: float = 30.0

    def spec(self) -> dict:
        """The OpenAI `tools` entry for this tool."""
        return {"type": "function", "function": {
            "name": self.name, "description": self.description, "parameters": self.parameters}}


@dataclass
class ToolResult:
    ok: bool
    content: str
    """What the model sees: the result, or 'error: ...'."""
    wall_s: float = 0.0
    error: str | None = None
    extra: dict = field(default_factory=dict)


def tool(fn: Callable | None = None, *, name: str | None = None,
         timeout_s: float = 30.0) -> Tool | Callable[[Callable], Tool]:
    """Make a Tool from a typed, documented function (usable bare or with arguments)."""
    def build(f: Callable) -> Tool:
        return Tool(name or f.__name__, _description(f), _parameters(f), f, timeout_s)
    return build(fn) if fn is not None else build


def _description(fn: Callable) -> str:
    doc = inspect.getdoc(fn)
    if not doc:
        raise ValueError(f"tool {fn.__name__!r} needs a docstring: it is the model's only "
                         "description of what the tool does")
    return doc.split("\n\n")[0].replace("\n", " ").strip()


def _arg_docs(fn: Callable) -> dict[str, str]:
    doc = inspect.getdoc(fn) or ""
    section = doc.split("Args:", 1)[1] if "Args:" in doc else ""
    return dict(re.findall(r"^\s*(\w+)\s*(?:\([^)]*\))?:\s*(.+)$", section, re.M))


def _parameters(fn: Callable) -> dict:
    hints = typing.get_type_hints(fn)
    docs = _arg_docs(fn)
    properties, required = {}, []
    for pname, param in inspect.signature(fn).parameters.items():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ValueError(f"tool {fn.__name__!r}: *args/**kwargs cannot be described to a "
                             "model; name each parameter")
        if pname not in hints:
            raise ValueError(f"tool {fn.__name__!r}: parameter {pname!r} needs a type hint")
        schema = _json_schema(hints[pname], fn.__name__, pname)
        if pname in docs:
            schema["description"] = docs[pname]
        properties[pname] = schema
        if param.default is param.empty:
            required.append(pname)
    return {"type": "object", "properties": properties, "required": required,
            "additionalProperties": False}


def _json_schema(hint, fn_name: str, pname: str) -> dict:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint in _JSON_TYPES:
        return {"type": _JSON_TYPES[hint]}
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (list, tuple) and args:
        return {"type": "array", "items": _json_schema(args[0], fn_name, pname)}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [{"type": "null"} if a is type(None) else
                          _json_schema(a, fn_name, pname) for a in args]}
    if origin in _JSON_TYPES:
        return {"type": _JSON_TYPES[origin]}
    raise ValueError(f"tool {fn_name!r}: parameter {pname!r} has type {hint!r}, which has no "
                     "JSON schema here (use str, int, float, bool, list, dict, Literal)")


def parse_arguments(tool_: Tool, arguments: str | dict) -> dict:
    """The call's arguments as a dict valid for the tool's schema, or ValueError saying why."""
    import jsonschema

    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments) if arguments.strip() else {}
        except json.JSONDecodeError as e:
            raise ValueError(f"arguments are not valid JSON ({e.msg} at char {e.pos})") from e
    if not isinstance(arguments, dict):
        raise ValueError(f"arguments must be a JSON object, got {type(arguments).__name__}")
    try:
        jsonschema.validate(arguments, tool_.parameters)
    except jsonschema.ValidationError as e:
        where = "/".join(map(str, e.absolute_path)) or "arguments"
        raise ValueError(f"invalid arguments for {tool_.name} ({where}): {e.message}") from e
    return arguments


def run_tool(tool_: Tool, arguments: str | dict, timeout_s: float | None = None) -> ToolResult:
    """Validate and run one call; errors, exceptions and timeouts become error results."""
    start = time.perf_counter()
    try:
        kwargs = parse_arguments(tool_, arguments)
    except ValueError as e:
        return ToolResult(False, f"error: {e}", 0.0, "invalid_arguments")
    limit = tool_.timeout_s if timeout_s is None else min(timeout_s, tool_.timeout_s)
    outbox: queue.Queue = queue.Queue(maxsize=1)

    def work() -> None:
        try:
            outbox.put(("ok", tool_.fn(**kwargs)))
        except Exception as e:  # noqa: BLE001 - any tool failure is an observation
            outbox.put(("raised", f"{type(e).__name__}: {e}"))

    # a daemon thread: a tool that never returns is abandoned, not joined, so it cannot
    # hold up the agent or the interpreter's exit (a process tool, e.g. python, kills its own)
    threading.Thread(target=work, daemon=True, name=f"tool-{tool_.name}").start()
    try:
        status, value = outbox.get(timeout=max(limit, 0.0))
    except queue.Empty:
        return ToolResult(False, f"error: {tool_.name} did not finish within {limit:g} s",
                          time.perf_counter() - start, "timeout")
    wall = time.perf_counter() - start
    if status == "raised":
        return ToolResult(False, f"error: {value}", wall, "raised")
    return ToolResult(True, _as_text(value), wall)


def _as_text(value) -> str:
    if isinstance(value, str):
        return value
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):
        return str(value)
