"""Does the chat defaults' repetition penalty suit constrained output? JSON documents and
tool calls repeat their own quotes, braces and keys by design, and the penalty counts the
prompt's tokens too (a number to copy from the question is a "repeat").

    python benchmarks/bench_structured_defaults.py [--penalties 1.0 1.2]

Greedy, on the bundled SmolLM2-135M-Instruct loaded as `lmforge serve` loads it:
- the 20 JSON-schema prompts of tests/serve/test_structured.py (120 tokens each): how many
  documents end (finish "stop") and validate, instead of running to max_tokens;
- 10 arithmetic questions with the calculator offered and a call required (the agent's
  format, agent/chat_model.py): how many calls carry both of the question's numbers.
"""

import argparse
import json
import re
import sys
from dataclasses import replace
from pathlib import Path

import jsonschema

import lmforge
from lmforge.agent.builtin_tools import calculator_tool
from lmforge.agent.chat_model import EngineChatModel
from lmforge.infer import Engine
from lmforge.infer.defaults import CHAT_DEFAULTS
from lmforge.infer.grammar import schema_logits_processor

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "serve"))
from test_structured import CASES  # noqa: E402

SUMS = [(37, 48, "*"), (12, 30, "+"), (250, 18, "-"), (96, 4, "/"), (7, 13, "*"),
        (405, 77, "+"), (64, 16, "/"), (19, 23, "*"), (800, 125, "-"), (33, 3, "*")]


def schema_outputs(engine, tokenizer, penalty: float) -> tuple[int, int]:
    prompts = [tokenizer.encode_chat([{"role": "user", "content": p}]) for p, _ in CASES]
    ended = valid = 0
    for ids, (_, schema) in zip(prompts, CASES, strict=True):
        params = CHAT_DEFAULTS.sampling_params(max_tokens=120, repetition_penalty=penalty)
        params.logits_processors = [schema_logits_processor(tokenizer, schema)]
        out = engine.generate([ids], params)[0]
        ended += out.finish_reason == "stop"
        try:
            jsonschema.validate(json.loads(out.text), schema)
            valid += 1
        except (json.JSONDecodeError, jsonschema.ValidationError):
            pass
    return ended, valid


def tool_calls(engine, penalty: float) -> int:
    model = EngineChatModel(engine, max_tokens=48, tool_choice="required",
                            defaults=replace(CHAT_DEFAULTS, repetition_penalty=penalty))
    right = 0
    for a, b, op in SUMS:
        reply = model.complete([{"role": "user", "content": f"What is {a} {op} {b}?"}],
                               [calculator_tool().spec()])
        arguments = reply.tool_calls[0]["function"]["arguments"] if reply.tool_calls else ""
        right += {str(a), str(b)} <= set(re.findall(r"\d+", arguments))
    return right


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--penalties", type=float, nargs="+", default=[1.0, 1.2])
    args = parser.parse_args()
    lm = lmforge.load("smollm2-135m-instruct")
    engine = Engine(lm.model, lm.tokenizer)
    print("| repetition penalty | JSON documents that end (of 20) | that validate | "
          "required calls with both numbers (of 10) |\n| --- | --- | --- | --- |")
    for penalty in args.penalties:
        ended, valid = schema_outputs(engine, lm.tokenizer, penalty)
        print(f"| {penalty} | {ended} | {valid} | {tool_calls(engine, penalty)} |", flush=True)


if __name__ == "__main__":
    main()
