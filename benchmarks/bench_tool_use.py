"""Tool use on held-out arithmetic: a model with the calculator (agent loop) vs. the base
model answering on its own.

    python -m lmforge.data.synthetic.tool_use runs/tool-use/train.jsonl --n 600 --seed 0
    lmforge sft --config recipes/sft-tool-use.yaml --out runs/sft-tool-use
    lmforge merge smollm2-135m-instruct runs/sft-tool-use --out runs/sft-tool-use-merged
    python benchmarks/bench_tool_use.py --tuned runs/sft-tool-use-merged --n 40

Held-out tasks come from another seed and never repeat a training question. For each task:

- base, no tools: SmolLM2 answers the question directly (greedy); solved when the reply's
  last number equals the answer;
- with tools (base and tuned): the agent loop with the calculator, constrained tool calls;
  solved via the calculator when the calculator was called AND the final answer's last
  number equals the answer.

Numbers go to docs/benchmarks.md; the machine is shared, compare within one run.
"""

import argparse
import json
import re
import sys
import time
from pathlib import Path

from lmforge.agent import Agent, EngineChatModel
from lmforge.agent.builtin_tools import calculator_tool
from lmforge.data.synthetic.tool_use import generate_calculator_conversations, held_out_tasks
from lmforge.infer.engine import Engine
from lmforge.infer.params import SamplingParams
from lmforge.io.registry import load

_NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")


def last_number(text: str) -> str | None:
    numbers = _NUMBER.findall(text)
    return numbers[-1].replace(",", "").removesuffix(".0") if numbers else None


def without_tools(engine: Engine, tasks: list[dict]) -> list[bool]:
    tok = engine.tokenizer
    prompts = [tok.encode_chat([{"role": "user", "content": t["question"] + " Reply with the "
                                 "number only."}]) for t in tasks]
    replies = engine.generate(prompts, SamplingParams(max_tokens=24, temperature=0.0))
    return [last_number(r.text) == t["answer"] for r, t in zip(replies, tasks, strict=True)]


def with_tools(engine: Engine, tasks: list[dict]) -> tuple[list[bool], list[bool]]:
    solved, called = [], []
    for t in tasks:
        agent = Agent(EngineChatModel(engine, max_tokens=64), [calculator_tool()], max_steps=3,
                      time_limit_s=120)
        result = agent.run(t["question"])
        used = any(e["kind"] == "observation" and e["name"] == "calculator" and e["ok"]
                   for e in result.events)
        called.append(used)
        solved.append(used and result.stop_reason == "answer"
                      and last_number(result.answer) == t["answer"])
    return solved, called


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tuned", default=None, help="the tool-use-tuned model (merged folder)")
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--train", type=Path, default=Path("runs/tool-use/train.jsonl"))
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    train = ([json.loads(line) for line in args.train.read_text().splitlines()]
             if args.train.exists() else generate_calculator_conversations(600, seed=0))
    tasks = held_out_tasks(args.n, train)
    results: dict = {"n_tasks": len(tasks), "date": time.strftime("%Y-%m-%d %H:%M UTC",
                                                                   time.gmtime())}
    base = load("smollm2-135m-instruct")
    engine = Engine(base.model, base.tokenizer)
    start = time.perf_counter()
    results["base_no_tools"] = sum(without_tools(engine, tasks)) / len(tasks)
    solved, called = with_tools(engine, tasks)
    results["base_with_calculator"] = sum(solved) / len(tasks)
    results["base_called_calculator"] = sum(called) / len(tasks)
    if args.tuned:
        tuned = load(args.tuned)
        engine = Engine(tuned.model, tuned.tokenizer)
        solved, called = with_tools(engine, tasks)
        results["tuned_with_calculator"] = sum(solved) / len(tasks)
        results["tuned_called_calculator"] = sum(called) / len(tasks)
    results["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps(results, indent=1))
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    sys.exit(main())
