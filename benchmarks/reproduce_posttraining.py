"""Re-run the documented post-training recipes with several seeds; print mean and range.

    python benchmarks/reproduce_posttraining.py                 # every job, then the table
    python benchmarks/reproduce_posttraining.py --only grpo     # one recipe's jobs
    python benchmarks/reproduce_posttraining.py --table         # the table from what finished

The commands are the ones docs/posttraining.md gives (recipes as committed; GRPO with the
length term), each with `--seed S` for S in --seeds (default 1337, the recipes' seed, and
two more). Each run goes to runs/repro/<recipe>-s<S>/ under `/usr/bin/time -v` (wall, user +
sys CPU seconds, peak RSS), followed by its held-out evaluation (benchmarks/eval_grpo.py for
GRPO, on the `test` split AND the rephrased `test-rephrased` split; eval_finetune.py for the
others). One JSON record per job lands in runs/repro/<job>.json; a job whose record exists
is skipped, so an interrupted run resumes. The table is the mean and [min, max] over the
seeds that finished, with n stated per row: nothing is filled in for a run that did not.
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "runs" / "repro"
GRPO_VERIFIER = ('[{"name": "exact_match", "weight": 0.8}, '
                 '{"name": "length", "max_words": 30, "weight": 0.2}]')
RECIPES = {  # name -> (lmforge arguments, eval script arguments after --adapter DIR)
    "grpo": (["grpo", "--config", "recipes/grpo-arithmetic.yaml", "--verifier", GRPO_VERIFIER],
             None),
    "sft": (["sft", "--config", "recipes/sft-lora-smollm2.yaml"],
            ["benchmarks/eval_finetune.py", "sft", "--n", "60"]),
    "rm": (["rm", "--config", "recipes/rm-smollm2.yaml"],
           ["benchmarks/eval_finetune.py", "rm", "--n", "200"]),
    "dpo": (["dpo", "--config", "recipes/dpo-smollm2.yaml"],
            ["benchmarks/eval_finetune.py", "dpo", "--n", "200"]),
}
ORDER = ("grpo", "sft", "rm", "dpo")  # GRPO first: the documented figure in question


def timed(command: list[str], log: Path) -> dict:
    """Run under /usr/bin/time -v; wall, CPU seconds, peak RSS and the last stdout line."""
    env = {**os.environ, "OMP_NUM_THREADS": "2", "PYTHONUNBUFFERED": "1"}
    start = time.perf_counter()
    with log.open("w") as err:
        done = subprocess.run(["/usr/bin/time", "-v", *command], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=err, text=True)
    wall = time.perf_counter() - start
    text = log.read_text(errors="replace")
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", text).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", text).group(1))
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    lines = done.stdout.strip().splitlines()
    return {"command": command, "returncode": done.returncode, "wall_s": round(wall, 1),
            "cpu_s": round(user + system, 1), "peak_rss_mb": rss_kb // 1024,
            "last_line": lines[-1] if lines else "", "load_avg": os.getloadavg()}


def train_job(recipe: str, seed: int) -> dict:
    run_dir = OUT / f"{recipe}-s{seed}"
    command = ["lmforge", *RECIPES[recipe][0], "--seed", str(seed), "--out", str(run_dir)]
    record = timed(command, OUT / f"{recipe}-s{seed}.train.log")
    if record["returncode"] == 0:
        record["metrics"] = final_metrics(recipe, run_dir, record["last_line"])
    return record


def final_metrics(recipe: str, run_dir: Path, last_line: str) -> dict:
    """What the run itself reports: GRPO's results.json, the others' last held-out row."""
    if recipe == "grpo":
        results = json.loads((run_dir / "results.json").read_text())
        return {"before": results["before"]["accuracy"], "after": results["after"]["accuracy"],
                "train_seconds": results["train_seconds"]}
    rows = (run_dir / "metrics.csv").read_text().splitlines()
    header = rows[0].split(",")
    evaluated = [dict(zip(header, r.split(","), strict=False)) for r in rows[1:]]
    evaluated = [r for r in evaluated if r.get("val_loss") not in (None, "")]
    return {k: float(v) for k, v in evaluated[-1].items() if v not in ("", None)} if evaluated \
        else {"last_line": last_line}


GRPO_EVAL = ["python", "benchmarks/eval_grpo.py", "--split", "test", "test-rephrased",
             "--n", "100"]


def base_job() -> dict:
    """The base model on both held-out sets, once (greedy: the same for every seed)."""
    record = timed(GRPO_EVAL, OUT / "grpo-base.eval.log")
    if record["returncode"] == 0:
        record["metrics"] = json.loads(record["last_line"])
    return record


def eval_job(recipe: str, seed: int) -> dict:
    run_dir = OUT / f"{recipe}-s{seed}"
    if recipe == "grpo":
        command = [*GRPO_EVAL, "--adapter", str(run_dir), "--no-base"]
    else:
        script, *rest = RECIPES[recipe][1]
        command = ["python", script, rest[0], "--adapter", str(run_dir), *rest[1:]]
    record = timed(command, OUT / f"{recipe}-s{seed}.eval.log")
    if record["returncode"] == 0:
        record["metrics"] = json.loads(record["last_line"])
    return record


def run_jobs(recipes: list[str], seeds: list[int]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for recipe in recipes:
        jobs = [(f"{recipe}-s{seed}.{kind}", partial(job, recipe, seed))
                for seed in seeds for kind, job in (("train", train_job), ("eval", eval_job))]
        if recipe == "grpo":
            jobs.insert(0, ("grpo-base.eval", base_job))
        for name, job in jobs:
            path = OUT / f"{name}.json"
            if path.exists() and json.loads(path.read_text())["returncode"] == 0:
                continue
            trained = OUT / name.replace(".eval", ".train.json")
            if name.endswith(".eval") and name != "grpo-base.eval" and not (
                    trained.exists() and json.loads(trained.read_text())["returncode"] == 0):
                continue  # its training failed or did not run
            print(f"{time.strftime('%H:%M:%S')} {name} ...", flush=True)
            record = job()
            path.write_text(json.dumps(record, indent=1) + "\n")
            print(f"  rc {record['returncode']}, wall {record['wall_s']} s, "
                  f"CPU {record['cpu_s']} s", flush=True)


# the figures of each recipe in the table: (label, job kind, path into the record's metrics)
FIGURES = {
    "grpo": [("held-out combined reward (results.json; 0.8 exact + 0.2 length): before", "train",
              "before"),
             ("... after", "train", "after"),
             ("test (seed 1337) exact match: base", "base", "test.base.accuracy_auto"),
             ("... base loop share", "base", "test.base.loop_share"),
             ("... base mean words", "base", "test.base.mean_words"),
             ("... base replies opening off-task", "base", "test.base.off_task_share"),
             ("... tuned", "eval", "test.tuned.accuracy_auto"),
             ("... tuned `The answer is N` only", "eval", "test.tuned.accuracy_answer_is"),
             ("... tuned loop share", "eval", "test.tuned.loop_share"),
             ("... tuned mean words", "eval", "test.tuned.mean_words"),
             ("... tuned replies opening off-task", "eval", "test.tuned.off_task_share"),
             ("test-rephrased exact match: base", "base", "test-rephrased.base.accuracy_auto"),
             ("... base loop share", "base", "test-rephrased.base.loop_share"),
             ("... tuned", "eval", "test-rephrased.tuned.accuracy_auto"),
             ("... tuned loop share", "eval", "test-rephrased.tuned.loop_share"),
             ("... tuned mean words", "eval", "test-rephrased.tuned.mean_words"),
             ("... tuned replies opening off-task", "eval",
              "test-rephrased.tuned.off_task_share")],
    "sft": [("held-out loss (last eval)", "train", "val_loss"),
            ("held-out token accuracy (last eval)", "train", "val_token_accuracy"),
            ("held-out replies in the format (last eval)", "train", "val_format_share"),
            ("format share, 60 unseen prompts: tuned", "eval", "tuned_format_share"),
            ("format and correct: tuned", "eval", "tuned_correct_share")],
    "rm": [("pairwise accuracy, 200 unseen pairs", "eval", "rm_accuracy")],
    "dpo": [("DPO accuracy, 200 unseen pairs", "eval", "tuned_dpo_accuracy"),
            ("mean margin (nats)", "eval", "tuned_mean_margin")],
}


def dig(record: dict, path: str):
    """record["metrics"]["a"]["b"] for "a.b" (None where missing)."""
    value = record.get("metrics", {})
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def table(recipes: list[str], seeds: list[int]) -> list[dict]:
    rows = []
    for recipe in recipes:
        records = {}
        for seed in seeds:
            for kind in ("train", "eval"):
                path = OUT / f"{recipe}-s{seed}.{kind}.json"
                if path.exists():
                    records[(seed, kind)] = json.loads(path.read_text())
        base = OUT / f"{recipe}-base.eval.json"  # else the base part of a full evaluation
        if seeds and (base.exists() or (seeds[0], "eval") in records):
            records[(seeds[0], "base")] = (json.loads(base.read_text()) if base.exists()
                                           else records[(seeds[0], "eval")])
        for label, kind, key in FIGURES[recipe] + [("wall s", "train", "@wall_s"),
                                                    ("CPU s", "train", "@cpu_s")]:
            values = {}
            for seed in seeds[:1] if kind == "base" else seeds:  # greedy: one run
                record = records.get((seed, kind))
                if record is None or record["returncode"] != 0:
                    continue
                value = record[key[1:]] if key.startswith("@") else dig(record, key)
                if isinstance(value, int | float):
                    values[seed] = value
            if values:
                rows.append({"recipe": recipe, "figure": label, "n": len(values),
                             "mean": statistics.fmean(values.values()),
                             "min": min(values.values()), "max": max(values.values()),
                             "per_seed": values})
    return rows


def print_table(rows: list[dict]) -> None:
    print("| recipe | figure | n seeds | mean | range | per seed |")
    print("|---|---|---|---|---|---|")
    for r in rows:
        per_seed = ", ".join(f"{s}: {v:.3g}" for s, v in r["per_seed"].items())
        print(f"| {r['recipe']} | {r['figure']} | {r['n']} | {r['mean']:.3f} | "
              f"[{r['min']:.3f}, {r['max']:.3f}] | {per_seed} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=ORDER, default=list(ORDER))
    parser.add_argument("--seeds", nargs="*", type=int, default=[1337, 1338, 1339],
                        help="none: only the seedless job (GRPO's base evaluation)")
    parser.add_argument("--table", action="store_true", help="only print the table")
    args = parser.parse_args()
    if not args.table:
        run_jobs(args.only, args.seeds)
    rows = table(args.only, args.seeds)
    print_table(rows)
    (OUT / "summary.json").write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    sys.exit(main())
