"""Tool-use conversations: the text format of tool calls, and a generator of training data.

The format (Hermes/Qwen style, readable by any chat template, since it is plain text):

    system     You can call tools. ... Tools:\n{"type": "function", "function": {...}}
    user       What is 37 * 48?
    assistant  <tool_call>{"name": "calculator", "arguments": {"expression": "37 * 48"}}</tool_call>
    user       <tool_response>\n1776\n</tool_response>
    assistant  37 * 48 = 1776.

The agent (agent/chat_model.py) writes its prompts with `tools_system_prompt` and
`to_template_messages` (OpenAI tool-call messages -> these plain ones), so a model trained
on `generate_calculator_conversations` sees at inference exactly what it saw in training.
Calls and results are written as the server writes them (serve/tools.py), so a tuned model
also calls tools through `/v1/chat/completions`.

    python -m lmforge.data.synthetic.tool_use out.jsonl --n 2000 --seed 0

writes one `{"messages": [...]}` per line (the SFT chat schema). Held-out tasks for
evaluation come from another seed and are checked for overlap with the training set.

Test: `pytest tests/agent/test_tool_use_data.py`.
"""

import json
import random
import sys
from pathlib import Path

TOOL_CALL_OPEN, TOOL_CALL_CLOSE = "<tool_call>", "</tool_call>"
# the agent's default system message (agent/loop.py) opens every training conversation too
AGENT_PREAMBLE = ("You are a careful assistant. Think step by step, call tools when they help, "
                  "and answer briefly when you know the answer.")
RESPONSE_OPEN, RESPONSE_CLOSE = "<tool_response>", "</tool_response>"

CALCULATOR_SPEC = {"type": "function", "function": {
    "name": "calculator", "description": "Evaluate an arithmetic expression exactly, e.g. "
    "'(17 + 25) * 3'.", "parameters": {"type": "object", "properties": {"expression": {
        "type": "string", "description": "numbers with + - * / // % ** and parentheses"}},
        "required": ["expression"], "additionalProperties": False}}}


def tools_system_prompt(tool_specs: list[dict], extra: str = "") -> str:
    lines = "\n".join(json.dumps(s, ensure_ascii=False) for s in tool_specs)
    return ("You are a helpful assistant that can call tools. To call a tool, reply with "
            f"{TOOL_CALL_OPEN}{{\"name\": <tool name>, \"arguments\": <JSON object>}}"
            f"{TOOL_CALL_CLOSE} and nothing else. The result comes back in "
            f"{RESPONSE_OPEN}...{RESPONSE_CLOSE}. Use the calculator for any arithmetic. When "
            f"you know the answer, reply with it in one sentence.\nTools:\n{lines}"
            + (f"\n{extra}" if extra else ""))


def tool_call_text(name: str, arguments: dict | str) -> str:
    args = arguments if isinstance(arguments, str) else json.dumps(arguments, ensure_ascii=False)
    return f'{TOOL_CALL_OPEN}{{"name": {json.dumps(name)}, "arguments": {args}}}{TOOL_CALL_CLOSE}'


def tool_response_text(content: str) -> str:
    """A tool's result as the model reads it (the same text as the server writes)."""
    return f"{RESPONSE_OPEN}\n{content}\n{RESPONSE_CLOSE}"


def to_template_messages(messages: list[dict]) -> list[dict]:
    """OpenAI tool-call messages -> plain system/user/assistant messages in this format."""
    out = []
    for m in messages:
        if m["role"] == "tool":
            out.append({"role": "user", "content": tool_response_text(m["content"])})
        elif m["role"] == "assistant" and m.get("tool_calls"):
            calls = "".join(tool_call_text(c["function"]["name"], c["function"]["arguments"])
                            for c in m["tool_calls"])
            out.append({"role": "assistant", "content": (m.get("content") or "") + calls})
        else:
            out.append({"role": m["role"], "content": m.get("content") or ""})
    return out


# -- arithmetic tasks ------------------------------------------------------------------------

_PLAIN = ["What is {e}?", "Calculate {e}.", "Compute {e}.", "What does {e} equal?",
          "Please work out {e}.", "How much is {e}?"]
# (question template, expression template, value): the value is computed here directly, so
# the data layer needs no expression evaluator
_WORDED = [
    ("A box holds {a} apples. How many apples are in {b} boxes?", "{a} * {b}",
     lambda a, b: a * b),
    ("A train travels {a} km every hour. How far does it go in {b} hours?", "{a} * {b}",
     lambda a, b: a * b),
    ("I had {a} coins and spent {b}. How many coins are left?", "{a} - {b}",
     lambda a, b: a - b),
    ("{a} students are split evenly into {b} groups. How many are in each group?", "{a} / {b}",
     lambda a, b: a // b),
    ("A shop sold {a} shirts on Monday and {b} on Tuesday. How many in total?", "{a} + {b}",
     lambda a, b: a + b),
    ("A ticket costs {a} dollars. What do {b} tickets cost?", "{a} * {b}",
     lambda a, b: a * b),
]
_SHAPES = [("{a} * {b}", lambda a, b, c: a * b), ("{a} + {b} * {c}", lambda a, b, c: a + b * c),
           ("({a} + {b}) * {c}", lambda a, b, c: (a + b) * c),
           ("{a} * {b} - {c}", lambda a, b, c: a * b - c),
           ("{a} - {b} + {c}", lambda a, b, c: a - b + c), ("{a} * {c}", lambda a, b, c: a * c)]


def arithmetic_task(rng: random.Random) -> tuple[str, str, int]:
    """(question, expression, value): an integer expression of 2-3 operands or a word problem."""
    if rng.random() < 0.3:
        template, expr, value = rng.choice(_WORDED)
        b = rng.randint(2, 40)
        a = b * rng.randint(2, 60) if "/" in expr else rng.randint(b + 1, 999)
        return template.format(a=a, b=b), expr.format(a=a, b=b), value(a, b)
    a, b, c = rng.randint(2, 999), rng.randint(2, 999), rng.randint(2, 99)
    shape, value = rng.choice(_SHAPES)
    expression = shape.format(a=a, b=b, c=c)
    return rng.choice(_PLAIN).format(e=expression), expression, value(a, b, c)


def calculator_conversation(question: str, expression: str, value: int) -> list[dict]:
    return [
        {"role": "system", "content": AGENT_PREAMBLE + "\n\n" + tools_system_prompt(
            [CALCULATOR_SPEC])},
        {"role": "user", "content": question},
        {"role": "assistant", "content": tool_call_text("calculator", {"expression": expression})},
        {"role": "user", "content": tool_response_text(str(value))},
        {"role": "assistant", "content": f"The answer is {value}."},
    ]


def generate_calculator_conversations(n: int, seed: int = 0,
                                      exclude: set[str] | None = None) -> list[dict]:
    """n distinct {"messages": [...]} records; questions in `exclude` are skipped."""
    rng, seen, out = random.Random(seed), set(exclude or ()), []
    while len(out) < n:
        question, expression, value = arithmetic_task(rng)
        if question in seen:
            continue
        seen.add(question)
        out.append({"messages": calculator_conversation(question, expression, value),
                    "question": question, "expression": expression, "answer": str(value)})
    return out


def held_out_tasks(n: int, train: list[dict], seed: int = 12345) -> list[dict]:
    """Evaluation tasks whose questions never occur in `train`."""
    used = {r["question"] for r in train}
    return [{k: r[k] for k in ("question", "expression", "answer")}
            for r in generate_calculator_conversations(n, seed, exclude=used)]


def main(argv: list[str]) -> None:
    out = Path(argv[0])
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 2000
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 0
    records = generate_calculator_conversations(n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                   encoding="utf-8")
    print(f"wrote {len(records)} conversations to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
