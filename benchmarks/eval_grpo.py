"""What a GRPO run changed on held-out arithmetic, read closer than one accuracy number.

    python benchmarks/eval_grpo.py --adapter runs/grpo-arith --level 1 --n 100
    python benchmarks/eval_grpo.py --adapter runs/grpo-arith --split test test-rephrased

For the base model and the tuned one (base + the run's LoRA adapter), greedy replies to the
held-out test split (the problems `lmforge grpo` evaluates on, same seed) and, with
`--split test-rephrased`, to a second held-out set in other words (other sentence shapes,
names, objects and larger numbers: data/synthetic/arithmetic_rephrased.py), scored by the
exact-match verifier in two modes: `auto` (the run's reward: "The answer is N", a tag or a
box, else the LAST number in the reply) and `answer_is` (only "The answer is N", the form
the prompt asks for). Also: the share of replies that end in a loop (one word 5+ times in a
row) and the mean reply length. A policy that games `auto` (an equation, then filler words
so the last number is the result) scores high there and shows it in the loop share.
`off_task_share`: replies whose first sentence shares no number and no word of 4+ letters
with the prompt or its answer (e.g. "Taro, welcome to the bakery."), a simple proxy for an
off-task opening. The last line printed is one JSON object: one entry per split.
"""

import argparse
import json
import re
import time

import torch

from lmforge.data.synthetic import generate_tasks
from lmforge.infer.engine import Engine
from lmforge.infer.params import SamplingParams
from lmforge.io.registry import load
from lmforge.train.lora import load_adapter
from lmforge.train.objectives.grpo import chat_prompt_ids
from lmforge.verify import make_verifier

LOOP = re.compile(r"\b(\w+)(?:\W+\1\b){4,}")  # one word 5+ times in a row
FIRST_SENTENCE = re.compile(r"^\s*(.+?)(?:[.!?:\n]\s|[.!?]$|\n|$)", re.S)
TOKENS = re.compile(r"\d+|[A-Za-z]{4,}")


def opens_off_task(reply: str, task_text: str) -> bool:
    """The reply's first sentence shares no number and no 4+ letter word with the task."""
    match = FIRST_SENTENCE.match(reply)
    first = set(t.lower() for t in TOKENS.findall(match.group(1) if match else reply))
    return not first & set(t.lower() for t in TOKENS.findall(task_text))


def report(model, tokenizer, tasks, max_new_tokens: int) -> dict:
    engine = Engine(model, tokenizer, max_batch_size=min(64, len(tasks)))
    prompts = [chat_prompt_ids(tokenizer, t["prompt"]) for t in tasks]
    replies = [r.text for r in engine.generate(
        prompts, SamplingParams(max_tokens=max_new_tokens, temperature=0.0))]
    out = {}
    for mode in ("auto", "answer_is"):
        verifier = make_verifier({"name": "exact_match", "mode": mode})
        out[f"accuracy_{mode}"] = sum(verifier(r, t).score for r, t in
                                      zip(replies, tasks, strict=True)) / len(tasks)
    out["loop_share"] = sum(bool(LOOP.search(r)) for r in replies) / len(replies)
    off_task = [r for r, t in zip(replies, tasks, strict=True)
                if opens_off_task(r, f"{t['prompt']} {t['answer']}")]
    out["off_task_share"] = len(off_task) / len(replies)
    out["off_task_examples"] = off_task[:3]
    out["mean_words"] = sum(len(r.split()) for r in replies) / len(replies)
    out["examples"] = replies[:3]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--adapter", help="the run folder; without it, the base only")
    parser.add_argument("--no-base", action="store_true",
                        help="the tuned model only (the base's replies are greedy: "
                             "the same for every run, measure them once)")
    parser.add_argument("--model", default="smollm2-135m-instruct")
    parser.add_argument("--level", type=int, default=1)
    parser.add_argument("--n", type=int, default=100)
    parser.add_argument("--split", nargs="+", default=["test"],
                        choices=("test", "test-rephrased"), help="held-out sets to report")
    parser.add_argument("--seed", type=int, default=1337, help="the run's train.seed")
    parser.add_argument("--max-new-tokens", type=int, default=48)
    args = parser.parse_args()
    torch.set_num_threads(2)
    start = time.perf_counter()
    sets = {split: generate_tasks("arithmetic", args.n, split, args.seed, level=args.level)
            for split in args.split}
    # as `lmforge grpo` loads its policy (train/pipeline.load_policy): float weights, unfused
    # linears. The default `load` runs the bundled model on its Q4_1 blocks, another model.
    base = load(args.model, quantize="none", fuse=False)
    results = {split: {"n": len(tasks)} for split, tasks in sets.items()}
    for split, tasks in sets.items():
        if not args.no_base:
            results[split]["base"] = report(base.model, base.tokenizer, tasks,
                                            args.max_new_tokens)
    if args.adapter:
        load_adapter(base.model, args.adapter)
    for split, tasks in sets.items() if args.adapter else ():
        results[split]["tuned"] = report(base.model.eval(), base.tokenizer, tasks,
                                         args.max_new_tokens)
    results["wall_s"] = round(time.perf_counter() - start, 1)
    print(json.dumps(results, ensure_ascii=False))


if __name__ == "__main__":
    main()
