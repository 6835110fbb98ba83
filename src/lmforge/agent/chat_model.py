"""Chat models for the agent: the real one on the Engine, and a scripted one for tests.

A chat model takes OpenAI-shaped messages plus tool specs and returns one assistant
message: text, or text plus tool calls (`{"id", "type": "function", "function": {"name",
"arguments"}}`, arguments as a JSON string, as OpenAI sends them).

`EngineChatModel` renders the conversation in the tool-call text format of
`data/synthetic/tool_use.py` and generates under constrained decoding
(`infer.grammar.tool_tag_logits_processor`): text runs free, but once the model writes
`<tool_call>`, a logits processor masks every token that would break the JSON schema
`{"name": <one of the tools>, "arguments": <that tool's parameters>}`, so a call parses and
names a real tool by construction. Generation stops at `</tool_call>`; a turn without a
call is the final answer. With `tool_choice="required"` every turn is a call: the prompt
ends with `<tool_call>` and the grammar allows only the call's JSON.

Turns are sampled with the chat defaults (infer/defaults.py: greedy, the loop stop), as
every chat in lmforge starts; the repetition penalty only in turns without tools, since a
tool call is constrained JSON that copies numbers from the conversation.

`ScriptedChatModel` replays known replies (or calls a function of the messages): the agent
loop's tests use it to check tool running, limits and errors without a model's randomness.

Test: `pytest tests/agent/test_loop.py` (scripted), `tests/agent/test_chat_model.py` (Engine).
"""

import itertools
import json
from dataclasses import dataclass, field

from lmforge.data.synthetic.tool_use import (
    TOOL_CALL_CLOSE,
    TOOL_CALL_OPEN,
    to_template_messages,
    tools_system_prompt,
)
from lmforge.infer.chat_session import reply_without_loops
from lmforge.infer.defaults import CHAT_DEFAULTS, ChatDefaults

_call_ids = itertools.count(1)


@dataclass
class AssistantMessage:
    content: str = ""
    tool_calls: list[dict] = field(default_factory=list)

    def to_message(self) -> dict:
        message = {"role": "assistant", "content": self.content}
        if self.tool_calls:
            message["tool_calls"] = self.tool_calls
        return message


def make_tool_call(name: str, arguments: dict | str) -> dict:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return {"id": f"call_{next(_call_ids)}", "type": "function",
            "function": {"name": name, "arguments": args}}


class ScriptedChatModel:
    """Replies from a list (AssistantMessage, str, or a callable of the messages)."""

    def __init__(self, replies: list) -> None:
        self.replies = list(replies)
        self.seen: list[list[dict]] = []  # the messages of every call, for assertions

    def complete(self, messages: list[dict], tools: list[dict]) -> AssistantMessage:
        self.seen.append([dict(m) for m in messages])
        if not self.replies:
            return AssistantMessage("(script exhausted)")
        reply = self.replies.pop(0)
        if callable(reply):
            reply = reply(messages)
        return AssistantMessage(reply) if isinstance(reply, str) else reply

    def count_tokens(self, messages: list[dict], tools: list[dict] | None = None) -> int:
        """A rough count (4 characters a token), enough to exercise context trimming."""
        return sum(len(str(m.get("content") or "")) // 4 + 4 for m in messages)


class EngineChatModel:
    """The chat model behind an Engine, speaking the tool-call text format."""

    def __init__(self, engine, *, max_tokens: int | None = None,
                 defaults: ChatDefaults = CHAT_DEFAULTS, constrained: bool | None = None,
                 tool_choice: str = "auto") -> None:
        if tool_choice not in ("auto", "required"):
            raise ValueError(f"tool_choice={tool_choice!r} must be 'auto' or 'required'")
        self.tool_choice = tool_choice
        self.engine, self.tokenizer = engine, engine.tokenizer
        self.defaults = defaults  # sampling, loop stop; max_tokens (per turn) overrides theirs
        self.max_tokens = defaults.max_tokens if max_tokens is None else max_tokens
        if constrained is None:  # use the grammar mask wherever lmforge has one
            from importlib.util import find_spec

            constrained = find_spec("xgrammar") is not None  # the [grammar] extra
        self.constrained = constrained
        self.context = engine.max_seq_len

    def prompt_messages(self, messages: list[dict], tools: list[dict]) -> list[dict]:
        plain = to_template_messages(messages)
        if tools:
            system = tools_system_prompt(tools)
            if plain and plain[0]["role"] == "system":
                system = plain[0]["content"] + "\n\n" + system
                plain = plain[1:]
            plain = [{"role": "system", "content": system}, *plain]
        return plain

    def count_tokens(self, messages: list[dict], tools: list[dict] | None = None) -> int:
        return len(self.tokenizer.encode_chat(self.prompt_messages(messages, tools or [])))

    def complete(self, messages: list[dict], tools: list[dict]) -> AssistantMessage:
        prompt = self.tokenizer.encode_chat(self.prompt_messages(messages, tools))
        required = bool(tools) and self.tool_choice == "required"
        if required:  # the turn starts with the call: write its opening tag ourselves
            prompt = prompt + self.tokenizer.encode(TOOL_CALL_OPEN, parse_special=False)
        budget = max(1, min(self.max_tokens, self.context - len(prompt) - 1))
        # a tool call is constrained JSON that copies numbers from the conversation: no
        # repetition penalty then (ChatDefaults.for_copying)
        defaults = self.defaults.for_copying() if tools else self.defaults
        params = defaults.sampling_params(max_tokens=budget,
                                          stop=[TOOL_CALL_CLOSE] if tools else [])
        if tools and self.constrained:
            from lmforge.infer import grammar

            params.logits_processors = [
                grammar.tool_call_logits_processor(self.tokenizer, tools) if required
                else grammar.tool_tag_logits_processor(self.tokenizer, tools)]
        text = reply_without_loops(self.engine, prompt, params, defaults.stop_loops).text
        if required:
            text = TOOL_CALL_OPEN + text
        if not tools or TOOL_CALL_OPEN not in text:
            return AssistantMessage(text.strip())
        said, call = text.split(TOOL_CALL_OPEN, 1)
        return AssistantMessage(said.strip(), [self._parse_call(call)])

    @staticmethod
    def _parse_call(text: str) -> dict:
        """A tool call from the generated JSON; unparsable text keeps its raw form, so the
        loop records a failed step naming the problem."""
        try:
            call = json.loads(text)
            return make_tool_call(str(call["name"]), call.get("arguments", {}))
        except (json.JSONDecodeError, KeyError, TypeError):
            return make_tool_call("(unparsable)", text)
