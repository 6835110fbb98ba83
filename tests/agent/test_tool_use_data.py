"""Tool-use training conversations: the format, correct results, held-out separation."""

import json

from lmforge.agent.calculator import calculate
from lmforge.data.synthetic.tool_use import (
    RESPONSE_CLOSE,
    RESPONSE_OPEN,
    TOOL_CALL_OPEN,
    generate_calculator_conversations,
    held_out_tasks,
    to_template_messages,
    tool_call_text,
)


def test_conversations_call_the_calculator_with_the_right_result():
    records = generate_calculator_conversations(200, seed=0)
    assert len({r["question"] for r in records}) == 200
    for r in records:
        system, user, call, response, final = r["messages"]
        assert [m["role"] for m in r["messages"]] == ["system", "user", "assistant", "user",
                                                      "assistant"]
        assert '"name": "calculator"' in system["content"]
        parsed = json.loads(call["content"].removeprefix(TOOL_CALL_OPEN).split("</")[0])
        assert parsed["name"] == "calculator"
        expected = calculate(parsed["arguments"]["expression"])  # the agent's own calculator
        assert response["content"] == f"{RESPONSE_OPEN}\n{int(expected)}\n{RESPONSE_CLOSE}"
        assert final["content"] == f"The answer is {int(expected)}."


def test_same_seed_same_data_and_held_out_tasks_never_overlap():
    train = generate_calculator_conversations(300, seed=0)
    assert train == generate_calculator_conversations(300, seed=0)
    held = held_out_tasks(100, train)
    assert not {t["question"] for t in held} & {r["question"] for r in train}
    assert all(str(calculate(t["expression"])).removesuffix(".0") == t["answer"] for t in held)


def test_openai_tool_messages_render_as_the_training_format():
    messages = [
        {"role": "user", "content": "What is 6 * 7?"},
        {"role": "assistant", "content": "", "tool_calls": [{"id": "c1", "type": "function",
         "function": {"name": "calculator", "arguments": '{"expression": "6 * 7"}'}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "42"},
    ]
    assert to_template_messages(messages) == [
        {"role": "user", "content": "What is 6 * 7?"},
        {"role": "assistant", "content": tool_call_text("calculator", {"expression": "6 * 7"})},
        {"role": "user", "content": "<tool_response>\n42\n</tool_response>"},
    ]


def test_the_agent_prompts_exactly_as_the_training_data_does():
    from lmforge.agent.builtin_tools import calculator_tool
    from lmforge.agent.chat_model import EngineChatModel
    from lmforge.agent.loop import SYSTEM

    class NoEngine:  # prompt_messages only renders text
        tokenizer, max_seq_len = None, 2048

    model = EngineChatModel(NoEngine(), constrained=False)
    record = generate_calculator_conversations(1, seed=3)[0]
    messages = [{"role": "system", "content": SYSTEM}, record["messages"][1]]
    assert model.prompt_messages(messages, [calculator_tool().spec()]) == record["messages"][:2]
