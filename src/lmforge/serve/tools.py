"""Tool calling: describe the tools to the model, constrain its call, parse it back.

What each `tool_choice` does (the model is told the tools in its system message, in the
Hermes / Qwen2.5 format, unless its own chat template renders `tools`):

- `none`: tools are not shown; plain text.
- `auto`: free text, with a lazy grammar: when the model writes `<tool_call>`, the rest of
  the call is constrained to `{"name": <one of the tools>, "arguments": <its schema>}`
  followed by `</tool_call>` (xgrammar structural tags). Calls are parsed out of the text.
- `required` / a named function: the whole output is constrained to one call's JSON, so
  the reply is always a call that matches the tool's parameter schema.

Calls come back as OpenAI `tool_calls` with finish_reason `tool_calls`; in a stream, a
call's header (id, name) is sent as soon as the name is known and its arguments follow as
deltas. Test: `pytest tests/serve/test_tools.py`.
"""

import copy
import json
import re
import secrets
from dataclasses import dataclass, field

from lmforge.infer.grammar import TOOL_CALL_CLOSE, TOOL_CALL_OPEN

TOOL_PROMPT = """# Tools

You may call one or more functions to assist with the user query.

You are provided with function signatures within <tools></tools> XML tags:
<tools>
{tools}
</tools>

For each function call, return a json object with function name and arguments within \
<tool_call></tool_call> XML tags:
<tool_call>{{"name": <function-name>, "arguments": <args-json-object>}}</tool_call>"""

_CALL_PREFIX = re.compile(r'^\s*\{"name":\s*"((?:[^"\\]|\\.)*)",\s*"arguments":\s*')


def tool_system_text(tools: list[dict]) -> str:
    return TOOL_PROMPT.format(tools="\n".join(json.dumps(t, ensure_ascii=False) for t in tools))


def render_tool_call(call: dict) -> str:
    """An assistant's earlier call, written back into the prompt as the model would."""
    fn = call["function"]
    try:
        arguments = json.loads(fn.get("arguments") or "{}")
    except json.JSONDecodeError:
        arguments = fn.get("arguments")
    body = json.dumps({"name": fn["name"], "arguments": arguments}, ensure_ascii=False)
    return f"{TOOL_CALL_OPEN}{body}{TOOL_CALL_CLOSE}"


def new_call_id() -> str:
    return f"call_{secrets.token_hex(12)}"


@dataclass
class ToolCallParser:
    """Splits generated text into content and tool calls, incrementally.

    mode 'json': the whole output is one call's JSON (required / named).
    mode 'tagged': calls sit between <tool_call> and </tool_call> in free text (auto).
    `feed(delta)` returns (content delta, tool-call deltas in OpenAI's stream shape)."""

    mode: str
    text: str = ""
    content_sent: int = 0
    calls: list[dict] = field(default_factory=list)
    _args_sent: int = 0

    def feed(self, delta: str) -> tuple[str, list[dict]]:
        self.text += delta
        if self.mode == "json":
            return "", self._feed_json(final=False)
        return self._feed_tagged(final=False)

    def finish(self) -> tuple[str, list[dict]]:
        if self.mode == "json":
            return "", self._feed_json(final=True)
        return self._feed_tagged(final=True)

    # -- required / named: {"name": "f", "arguments": {...}} ------------------------------

    def _feed_json(self, final: bool) -> list[dict]:
        match = _CALL_PREFIX.match(self.text)
        if match is None:
            return []
        deltas = []
        if not self.calls:
            self.calls.append({"id": new_call_id(), "type": "function",
                               "function": {"name": json.loads(f'"{match.group(1)}"'),
                                            "arguments": ""}})
            deltas.append({"index": 0, **copy.deepcopy(self.calls[0])})  # calls[0] grows
        body = self.text[match.end():].rstrip()
        # hold back one character until the end: the object's closing brace is not part
        # of the arguments
        arguments = body[:-1] if not final or body.endswith("}") else body
        new = arguments[self._args_sent:]
        if new:
            self._args_sent += len(new)
            self.calls[0]["function"]["arguments"] += new
            deltas.append({"index": 0, "function": {"arguments": new}})
        return deltas

    # -- auto: text <tool_call>{...}</tool_call> text ----------------------------------------

    def _feed_tagged(self, final: bool) -> tuple[str, list[dict]]:
        deltas = []
        while True:
            start = self.text.find(TOOL_CALL_OPEN, self.content_sent)
            if start < 0:
                break
            end = self.text.find(TOOL_CALL_CLOSE, start)
            if end < 0:
                break  # an open call: wait for its end
            body = self.text[start + len(TOOL_CALL_OPEN): end]
            deltas += self._tagged_call(body)
            self.text = self.text[:start] + self.text[end + len(TOOL_CALL_CLOSE):]
        open_at = self.text.find(TOOL_CALL_OPEN, self.content_sent)
        end = len(self.text) if final else (open_at if open_at >= 0 else
                                            len(self.text) - _partial_tag(self.text))
        content = self.text[self.content_sent:end]
        self.content_sent = max(self.content_sent, end)
        return content, deltas

    def _tagged_call(self, body: str) -> list[dict]:
        try:
            call = json.loads(body)
            name, arguments = call["name"], call.get("arguments", {})
        except (json.JSONDecodeError, KeyError, TypeError):
            return []  # only possible when generation was cut short
        index = len(self.calls)
        self.calls.append({"id": new_call_id(), "type": "function",
                           "function": {"name": name, "arguments": json.dumps(
                               arguments, ensure_ascii=False)}})
        return [{"index": index, **self.calls[index]}]

    @property
    def content(self) -> str | None:
        text = self.text.strip() if self.mode == "tagged" else ""
        return text or None


def _partial_tag(text: str) -> int:
    """Length of a tail of `text` that could still become '<tool_call>'."""
    for n in range(min(len(TOOL_CALL_OPEN) - 1, len(text)), 0, -1):
        if text.endswith(TOOL_CALL_OPEN[:n]):
            return n
    return 0
