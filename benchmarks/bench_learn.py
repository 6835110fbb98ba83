"""One step of the Learn lessons 1-3 on the bundled SmolLM2-135M-Instruct, after load: what
a click in the Learn tab waits for (the endpoint adds only JSON on top).

    python benchmarks/bench_learn.py [--runs 7] [--quantize auto|none] [--threads 2]

    lesson 1  next_token: the candidates after the prompt plus the tokens taken so far
              (each run takes one more token, as a learner clicking on)
    lesson 2  compare_strategies: the kept sets of the course's eight strategies alone
              (1 token each, one sample), then with 3 samples of 12 tokens each
    lesson 3  beam_tree: 3 beams, 8 tokens, and greedy beside it

Each lesson runs once to warm up, then --runs times; prints the median and min wall time
per step and the min CPU time of this process (user + sys: on a shared machine wall time
includes waiting for a core), then one JSON object. Results: docs/benchmarks.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import time

PROMPT_ZH, PROMPT_EN = "今天天气真", "The capital of France is"


def timed(step, runs: int) -> dict:
    step()  # warm-up: first-call allocations, the lessons' KV pool
    times, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        step()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"median_ms": 1000 * statistics.median(times), "min_ms": 1000 * min(times),
            "min_cpu_ms": 1000 * min(cpu)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quantize", default=None, help="as `lmforge serve --quantize`")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    import torch

    import lmforge
    from lmforge.learn import beam_tree, compare_strategies, lesson_engine, next_token

    torch.set_num_threads(args.threads)
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    print(next((line for line in cpu.splitlines() if line.startswith("Model name")), ""))
    start = time.perf_counter()
    lm = lmforge.load("smollm2-135m-instruct", quantize=args.quantize)
    engine = lesson_engine(lm.model, lm.tokenizer)
    print(f"load + lesson Engine: {time.perf_counter() - start:.2f} s "
          f"(quantize={args.quantize or 'default'}, {args.threads} threads)")

    taken: list[int] = []

    def word_step():  # the learner takes the most likely token each time
        taken.append(next_token(engine, PROMPT_ZH, taken, top=10)["chosen"])

    results = {
        "lesson 1 (next token)": timed(word_step, args.runs),
        "lesson 2 (8 kept sets)": timed(
            lambda: compare_strategies(engine, PROMPT_ZH, samples=1, max_tokens=1), args.runs),
        "lesson 2 (8 strategies x 3 samples x 12 tokens)": timed(
            lambda: compare_strategies(engine, PROMPT_ZH), args.runs),
        "lesson 3 (beam tree, k=3, 8 tokens)": timed(
            lambda: beam_tree(engine, PROMPT_EN, beams=3, max_tokens=8), args.runs),
    }
    load = os.getloadavg()[0]
    print(f"load average at the end: {load:.1f}")
    print("| step | wall median | wall min | CPU min |\n|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median_ms']:.0f} ms | {r['min_ms']:.0f} ms | "
              f"{r['min_cpu_ms']:.0f} ms |")
    print(json.dumps(results))


if __name__ == "__main__":
    main()
