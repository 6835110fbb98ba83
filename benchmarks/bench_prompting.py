"""Prompting techniques measured on small local models (the table in docs/prompting.md).

    python benchmarks/bench_prompting.py sft-data runs/prompting/sft.jsonl   # 400 train problems
    lmforge sft --model smollm2-135m-instruct --data runs/prompting/sft.jsonl \\
        --out runs/prompting/sft-lora --lora-rank 8 --max-steps 30 --batch-size 4 --lr 1e-3
    python benchmarks/bench_prompting.py run --out runs/prompting/results.jsonl \\
        [--adapter runs/prompting/sft-lora --name sft-lora] [--limit 24] [--expensive-limit 12]

`run` measures, per task (word_problems, game24, mc_en, mc_zh) and technique (direct,
few-shot, CoT, self-consistency k=5 and k=10, tree of thoughts where a thought is a
calculation step), accuracy with its 95% bootstrap interval, model calls per question and
wall time. Self-consistency k=5 is the vote over the first 5 samples of the k=10 run (sample
i of a question is seeded i either way, so the two are the same as separate runs). Each row
is appended to --out as it finishes, so a stopped run keeps what it measured; a re-run skips
rows already there. `table` prints the Markdown table of a results file.
The machine is shared: wall times are from a loaded machine (printed first).
"""

import argparse
import json
import platform
import subprocess
import time
from pathlib import Path

ROWS = [("direct", {}), ("few-shot", {"shots": 3}), ("cot", {}),
        ("self-consistency", {"k": 10}), ("tot", {"budget": 20})]
EXPENSIVE = ("self-consistency", "tot")  # run on --expensive-limit questions
TASKS = ("word_problems", "game24", "mc_en", "mc_zh")


def machine() -> str:
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    return f"{fields.get('Model name', platform.processor()).strip()} " \
           f"({fields.get('CPU(s)', '?').strip()} CPUs)"


def sft_data(out: Path, n: int) -> None:
    """Chat records that teach the working then "The answer is N." on the train split."""
    from lmforge.data.synthetic import arithmetic
    from lmforge.prompting.tasks import NUMBER_INSTRUCTION, _word_problem

    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for record in arithmetic.generate(n, split="train", seed=7, level=1):
            problem = _word_problem(record)
            assert problem.question.endswith(NUMBER_INSTRUCTION)
            f.write(json.dumps({"messages": [
                {"role": "user", "content": problem.question},
                {"role": "assistant", "content": problem.solution}]}) + "\n")
    print(f"wrote {n} records to {out}")


def load_model(adapter: str | None):
    from lmforge.infer.engine import Engine
    from lmforge.io.registry import load
    from lmforge.prompting import EngineCompleter

    lm = load("smollm2-135m-instruct", fuse=not adapter)
    if adapter:
        from lmforge.model.fused import fuse_projections
        from lmforge.train.lora import load_adapter

        load_adapter(lm.model, adapter)
        fuse_projections(lm.model.eval())
    # one thread: on a CPU shared by many jobs, two threads wait on each other
    return EngineCompleter(Engine(lm.model, lm.tokenizer, max_batch_size=48,
                                  max_num_batched_tokens=1024, num_threads=1))


def measure(model, name: str, task: str, technique: str, knobs: dict, limit: int) -> list[dict]:
    import numpy as np

    from lmforge.prompting import Settings, bootstrap_ci, solve
    from lmforge.prompting.self_consistency import majority_vote
    from lmforge.prompting.tasks import load_problems

    problems, pool = load_problems(task, limit)
    start = time.perf_counter()
    outcomes = solve(model, problems, pool, Settings(technique, **knobs))
    seconds = time.perf_counter() - start
    runs = [(technique if technique != "self-consistency" else "self-consistency k=10",
             [o.correct for o in outcomes], [o.calls for o in outcomes], seconds)]
    if technique == "self-consistency":  # k=5: the vote of the first 5 samples
        from lmforge.prompting.tasks import parse_answer

        five = []
        for p, o in zip(problems, outcomes, strict=True):
            vote = majority_vote([parse_answer(p, s) for s in o.samples[:5]])
            five.append(p.is_correct(vote.answer))
        runs.insert(0, ("self-consistency k=5", five, [5] * len(problems), seconds / 2))
    rows = []
    for label, correct, calls, secs in runs:
        low, high = bootstrap_ci(correct)
        rows.append({"model": name, "task": task, "technique": label, "n": len(correct),
                     "accuracy": float(np.mean(correct)), "ci95": [low, high],
                     "calls_per_question": float(np.mean(calls)), "seconds": round(secs, 1),
                     "example": outcomes[0].reply[:200],
                     "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())})
    return rows


def run(args) -> None:
    print(f"machine: {machine()} (shared by other jobs: loaded); python "
          f"{platform.python_version()}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
          flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    done = set()
    if args.out.exists():
        for line in args.out.read_text().splitlines():
            row = json.loads(line)
            done.add((row["model"], row["task"], row["technique"].split(" k=")[0]))
    model = load_model(args.adapter)
    for technique, knobs in ROWS:
        for task in args.tasks:
            if (args.name, task, technique) in done or technique not in args.techniques:
                continue
            if technique == "tot" and task.startswith("mc"):
                continue  # a thought is a calculation step: no ToT for multiple choice
            limit = args.expensive_limit if technique in EXPENSIVE else args.limit
            for row in measure(model, args.name, task, technique, knobs, limit):
                print(f"{row['model']:10s} {task:14s} {row['technique']:22s} "
                      f"acc {row['accuracy']:.3f} [{row['ci95'][0]:.3f}, {row['ci95'][1]:.3f}]"
                      f" calls/q {row['calls_per_question']:.1f} {row['seconds']:.0f}s",
                      flush=True)
                with args.out.open("a", encoding="utf-8") as f:
                    f.write(json.dumps(row, ensure_ascii=False) + "\n")


def table(path: Path) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines()]
    print("| model | task | technique | n | accuracy [95% CI] | calls / question | wall s |")
    print("|---|---|---|---:|---|---:|---:|")
    order = {t: i for i, t in enumerate(TASKS)}
    for r in sorted(rows, key=lambda r: (r["model"], order.get(r["task"], 9))):
        print(f"| {r['model']} | {r['task']} | {r['technique']} | {r['n']} | "
              f"{r['accuracy']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}] | "
              f"{r['calls_per_question']:.1f} | {r['seconds']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    data = sub.add_parser("sft-data")
    data.add_argument("out", type=Path)
    data.add_argument("--n", type=int, default=400)
    go = sub.add_parser("run")
    go.add_argument("--out", type=Path, required=True)
    go.add_argument("--adapter", default=None)
    go.add_argument("--name", default="base")
    go.add_argument("--limit", type=int, default=24)
    go.add_argument("--tasks", nargs="+", default=list(TASKS))
    go.add_argument("--techniques", nargs="+", default=[t for t, _ in ROWS])
    go.add_argument("--expensive-limit", type=int, default=12,
                    help="questions per task for self-consistency and tot")
    show = sub.add_parser("table")
    show.add_argument("path", type=Path)
    args = parser.parse_args()
    if args.command == "sft-data":
        sft_data(args.out, args.n)
    elif args.command == "run":
        run(args)
    else:
        table(args.path)


if __name__ == "__main__":
    main()
