"""Tool calls: the parser on known text (fast), then a real round trip through the server:
a constrained call whose arguments match the tool's schema, streamed as deltas too, then a
reply that uses the tool's result."""

import json

import jsonschema
import pytest
from serve_helpers import MODEL

from lmforge.serve.tools import ToolCallParser

WEATHER = {"type": "object", "properties": {
    "city": {"type": "string", "maxLength": 20},
    "unit": {"enum": ["celsius", "fahrenheit"]}}, "required": ["city", "unit"],
    "additionalProperties": False}
TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description":
                                      "Current weather in a city", "parameters": WEATHER}},
    {"type": "function", "function": {"name": "add", "description": "Add two integers",
                                      "parameters": {"type": "object", "properties": {
                                          "a": {"type": "integer"}, "b": {"type": "integer"}},
                                          "required": ["a", "b"]}}},
]
ASK = [{"role": "user", "content": "What is the weather in Paris?"}]


def feed_all(parser: ToolCallParser, pieces: list[str]) -> tuple[str, list[dict]]:
    content, deltas = "", []
    for piece in pieces:
        c, d = parser.feed(piece)
        content, deltas = content + c, deltas + d
    c, d = parser.finish()
    return content + c, deltas + d


def test_parser_json_mode_streams_name_then_arguments():
    text = '{"name": "add", "arguments": {"a": 2, "b": 3}}'
    parser = ToolCallParser("json")
    content, deltas = feed_all(parser, [text[i:i + 4] for i in range(0, len(text), 4)])
    assert content == ""
    assert deltas[0]["function"] == {"name": "add", "arguments": ""} and deltas[0]["id"]
    streamed = "".join(d["function"]["arguments"] for d in deltas[1:])
    assert json.loads(streamed) == {"a": 2, "b": 3}
    assert parser.calls[0]["function"]["arguments"] == streamed


def test_parser_tagged_mode_splits_text_and_calls():
    text = 'Let me check.<tool_call>{"name": "add", "arguments": {"a": 1, "b": 2}}</tool_call>'
    parser = ToolCallParser("tagged")
    content, deltas = feed_all(parser, list(text))  # one character at a time
    assert content == "Let me check."
    assert [d["function"]["name"] for d in deltas] == ["add"]
    assert json.loads(deltas[0]["function"]["arguments"]) == {"a": 1, "b": 2}
    plain = ToolCallParser("tagged")
    assert feed_all(plain, ["a < b <tool", " no call"])[0] == "a < b <tool no call"


@pytest.mark.slow
def test_required_tool_call_round_trip(client):
    r = client.chat.completions.create(model=MODEL, messages=ASK, tools=TOOLS,
                                       tool_choice="required", temperature=0, max_tokens=60)
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.id.startswith("call_")
    schema = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}
    jsonschema.validate(json.loads(call.function.arguments), schema[call.function.name])

    # the same call, streamed: a header delta with the name, then argument deltas
    chunks = list(client.chat.completions.create(
        model=MODEL, messages=ASK, tools=TOOLS, tool_choice="required", temperature=0,
        max_tokens=60, stream=True))
    deltas = [d for c in chunks if c.choices for d in (c.choices[0].delta.tool_calls or [])]
    assert deltas[0].function.name == call.function.name
    assert "".join(d.function.arguments or "" for d in deltas) == call.function.arguments
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "tool_calls"

    # hand the result back: the model answers in text
    follow = ASK + [
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id,
         "content": json.dumps({"city": "Paris", "temperature": 18, "sky": "sunny"})}]
    reply = client.chat.completions.create(model=MODEL, messages=follow, tools=TOOLS,
                                           tool_choice="none", temperature=0, max_tokens=12)
    assert reply.choices[0].message.content and not reply.choices[0].message.tool_calls
    print("reply using the tool result:", reply.choices[0].message.content)
    bare = client.chat.completions.create(model=MODEL, messages=ASK, max_tokens=1)
    # the call and its result are in the prompt: '{"city": "Paris", ...}' adds 20+ tokens
    assert reply.usage.prompt_tokens >= bare.usage.prompt_tokens + 20


@pytest.mark.slow
def test_named_tool_choice_forces_that_function(client):
    r = client.chat.completions.create(
        model=MODEL, messages=[{"role": "user", "content": "What is 2 plus 3?"}], tools=TOOLS,
        tool_choice={"type": "function", "function": {"name": "add"}}, temperature=0,
        max_tokens=40)
    call = r.choices[0].message.tool_calls[0]
    assert call.function.name == "add"
    jsonschema.validate(json.loads(call.function.arguments), TOOLS[1]["function"]["parameters"])


@pytest.mark.slow
def test_auto_tool_choice_gives_text_or_valid_calls(client):
    r = client.chat.completions.create(model=MODEL, messages=ASK, tools=TOOLS,
                                       tool_choice="auto", temperature=0, max_tokens=40)
    choice = r.choices[0]
    schema = {t["function"]["name"]: t["function"]["parameters"] for t in TOOLS}
    for call in choice.message.tool_calls or []:
        jsonschema.validate(json.loads(call.function.arguments), schema[call.function.name])
    assert choice.message.tool_calls or choice.message.content
    assert (choice.finish_reason == "tool_calls") == bool(choice.message.tool_calls)
