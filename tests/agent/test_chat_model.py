"""EngineChatModel on the real SmolLM2: constrained tool calls parse and match the schema;
the prompt carries the tools in the training format."""

import json

import jsonschema
import pytest

from lmforge.agent import Agent, EngineChatModel
from lmforge.agent.builtin_tools import calculator_tool

pytestmark = pytest.mark.slow  # loads SmolLM2


@pytest.fixture(scope="module")
def engine(smollm2):
    from lmforge.infer.engine import Engine

    return Engine(smollm2.model, smollm2.tokenizer)


def test_a_required_call_is_valid_json_for_the_tool_schema(engine):
    tool = calculator_tool()
    model = EngineChatModel(engine, max_tokens=48, tool_choice="required")
    reply = model.complete([{"role": "user", "content": "What is 37 * 48?"}], [tool.spec()])
    [call] = reply.tool_calls
    assert call["function"]["name"] == "calculator"
    arguments = json.loads(call["function"]["arguments"])
    jsonschema.validate(arguments, tool.parameters)  # constrained decoding guarantees this


def test_the_agent_runs_end_to_end_on_the_engine(engine, tmp_path):
    model = EngineChatModel(engine, max_tokens=48)
    result = Agent(model, [calculator_tool()], max_steps=3,
                   transcript=tmp_path / "t.jsonl").run("What is 12 + 30?")
    assert result.stop_reason in ("answer", "max_steps") and result.steps >= 1
    for event in result.events:  # whatever the small model does, every call was well-formed
        if event["kind"] == "tool_call":
            assert event["name"] == "calculator"
            json.loads(event["arguments"])


def test_the_prompt_lists_the_tools_and_renders_calls_as_trained(engine):
    model = EngineChatModel(engine)
    messages = [{"role": "user", "content": "6*7?"},
                {"role": "assistant", "content": "", "tool_calls": [{
                    "id": "c1", "type": "function", "function": {
                        "name": "calculator", "arguments": '{"expression": "6*7"}'}}]},
                {"role": "tool", "tool_call_id": "c1", "content": "42"}]
    plain = model.prompt_messages(messages, [calculator_tool().spec()])
    assert plain[0]["role"] == "system" and '"name": "calculator"' in plain[0]["content"]
    assert plain[2]["content"] == ('<tool_call>{"name": "calculator", "arguments": '
                                   '{"expression": "6*7"}}</tool_call>')
    assert plain[3] == {"role": "user", "content": "<tool_response>\n42\n</tool_response>"}
    assert model.count_tokens(messages, [calculator_tool().spec()]) > 50
