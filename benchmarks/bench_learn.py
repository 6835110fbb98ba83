"""One step of the Learn lessons 1-3 on the bundled SmolLM2-135M-Instruct, after load: what
a click in the Learn tab waits for (the endpoint adds only JSON on top).

    python benchmarks/bench_learn.py [--runs 7] [--quantize auto|none] [--threads 2]
                                     [--steps-only]

A step is what one click in the tab asks for:
    lesson 1  next_token: the candidates after the prompt plus the tokens taken so far
              (each run takes one more token, as a learner clicking on)
    lesson 2  kept_sets: the kept sets of the course's eight strategies from one forward
              (the tab's first answer; the samples come after, as their own request)
    lesson 3  TreeSearch.advance(1): the beams (k=3) one token further, one forward of the
              3 rows over the cached prefix ("next step"; each run a fresh search of 8
              tokens stepped from level 1 to 2, the start of a search timed apart)
and, for comparison, what is not a step: lesson 2's samples (8 strategies x 3 samples x 12
tokens), lesson 3 run to its end (k=3, 8 tokens) with greedy's path.

Each runs once to warm up, then --runs times; prints the median and min of the wall time
and of this process's CPU time (user + sys: on a shared machine the wall time includes
waiting for a core), the load average, then one JSON object. Results: docs/benchmarks.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import time

PROMPT_ZH, PROMPT_EN = "今天天气真", "The capital of France is"


def timed(step, runs: int, prepare=lambda: None) -> dict:
    """step(prepare()) timed `runs` times after one warm-up (prepare is not timed)."""
    step(prepare())  # warm-up: first-call allocations, the lessons' KV pool
    times, cpu = [], []
    for _ in range(runs):
        state = prepare()
        start, start_cpu = time.perf_counter(), time.process_time()
        step(state)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return {"median_ms": 1000 * statistics.median(times), "min_ms": 1000 * min(times),
            "median_cpu_ms": 1000 * statistics.median(cpu), "min_cpu_ms": 1000 * min(cpu)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--quantize", default=None, help="as `lmforge serve --quantize`")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--steps-only", action="store_true",
                        help="time the steps alone, not the samples or a whole search")
    args = parser.parse_args()

    import torch

    import lmforge
    from lmforge.learn import beam_tree, lesson_engine, next_token
    from lmforge.learn.beam_tree import TreeSearch
    from lmforge.learn.strategies import kept_sets, strategy_samples

    torch.set_num_threads(args.threads)
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    print(next((line for line in cpu.splitlines() if line.startswith("Model name")), ""))
    start = time.perf_counter()
    lm = lmforge.load("smollm2-135m-instruct", quantize=args.quantize)
    engine = lesson_engine(lm.model, lm.tokenizer)
    print(f"load + lesson Engine: {time.perf_counter() - start:.2f} s "
          f"(quantize={args.quantize or 'default'}, {args.threads} threads)")

    taken: list[int] = []

    def word_step(_):  # the learner takes the most likely token each time
        taken.append(next_token(engine, PROMPT_ZH, taken, top=10)["chosen"])

    def started_search():  # a search at level 1, ready for "next step"
        search = TreeSearch(engine, PROMPT_EN, beams=3, max_tokens=8)
        search.advance(1)
        return search

    loads = [os.getloadavg()[0]]
    results = {
        "lesson 1 step (next token)": timed(word_step, args.runs),
        "lesson 2 step (8 kept sets, one forward)": timed(
            lambda _: kept_sets(engine, PROMPT_ZH), args.runs),
        "lesson 3 step (next level, k=3)": timed(lambda s: s.advance(1), args.runs,
                                                 started_search),
        "lesson 3 start (prompt + level 1, k=3)": timed(
            lambda _: TreeSearch(engine, PROMPT_EN, beams=3, max_tokens=8).advance(1),
            args.runs),
    }
    loads.append(os.getloadavg()[0])
    results.update({} if args.steps_only else {
        "lesson 2 samples (8 x 3 x 12 tokens; not a step)": timed(
            lambda _: strategy_samples(engine, PROMPT_ZH), max(args.runs // 2, 1)),
        "lesson 3 to the end + greedy (k=3, 8 tokens; not a step)": timed(
            lambda _: beam_tree(engine, PROMPT_EN, beams=3, max_tokens=8),
            max(args.runs // 2, 1)),
    })
    loads.append(os.getloadavg()[0])
    print(f"load average (1 min) at start / after the steps / at the end: "
          f"{' / '.join(f'{x:.1f}' for x in loads)}")
    print("| step | wall median | wall min | CPU median | CPU min |\n|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['median_ms']:,.0f} ms | {r['min_ms']:,.0f} ms | "
              f"{r['median_cpu_ms']:,.0f} ms | {r['min_cpu_ms']:,.0f} ms |")
    print(json.dumps({"load": loads, **results}))


if __name__ == "__main__":
    main()
