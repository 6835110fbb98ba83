"""Base-model accuracy on the generated arithmetic levels: greedy and best-of-N.

RL moves only where the base sometimes succeeds, so measure first (design.md): pick the
level where single-sample accuracy is 20-70% and best-of-N is well above it.

    python benchmarks/rl_base_accuracy.py --levels 1 2 3 4 5 --n 40 --best-of 8

Prints one JSON line per level (held-out test split, the same problems GRPO evaluates on).
"""

import argparse
import json
import platform
import subprocess
import time

import torch

from lmforge.data.synthetic import generate_tasks
from lmforge.infer.engine import Engine
from lmforge.io.registry import load
from lmforge.train.rl import evaluate_tasks
from lmforge.verify import make_verifier


def cpu_name() -> str:
    try:
        out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        return next(line.split(":", 1)[1].strip() for line in out.splitlines()
                    if line.startswith("Model name"))
    except (OSError, StopIteration):
        return platform.processor()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="smollm2-135m-instruct")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--n", type=int, default=40)
    parser.add_argument("--best-of", type=int, default=8)
    parser.add_argument("--best-of-levels", type=int, nargs="*", default=None)
    parser.add_argument("--max-new-tokens", type=int, default=128)
    parser.add_argument("--threads", type=int, default=0)
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    print(json.dumps({"cpu": cpu_name(), "threads": torch.get_num_threads()}), flush=True)
    loaded = load(args.model)
    engine = Engine(loaded.model, loaded.tokenizer, max_batch_size=64)
    verifier = make_verifier("exact_match")
    for level in args.levels:
        tasks = generate_tasks("arithmetic", args.n, "test", seed=0, level=level)
        start = time.perf_counter()
        row = {"level": level, "greedy": evaluate_tasks(
            loaded.model, loaded.tokenizer, tasks, verifier, engine=engine,
            max_new_tokens=args.max_new_tokens)}
        if args.best_of > 1 and (args.best_of_levels is None or level in args.best_of_levels):
            row["sampled"] = evaluate_tasks(
                loaded.model, loaded.tokenizer, tasks, verifier, samples=args.best_of,
                temperature=1.0, max_new_tokens=args.max_new_tokens, engine=engine)
        row["seconds"] = round(time.perf_counter() - start, 1)
        print(json.dumps(row), flush=True)


if __name__ == "__main__":
    main()
