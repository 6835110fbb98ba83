"""Before / after on one machine in one run: a benchmark script of two checkouts, alternately.

    git worktree add /tmp/base <commit>
    python benchmarks/ab_commits.py --before /tmp/base --after . --repeats 3 -- \\
        bench_generate.py --only lmforge-fp32 lmforge-q4_1 --rounds 1

Each repeat runs `benchmarks/SCRIPT ARGS` from the before checkout, then from the after one
(its own `src/` first on PYTHONPATH, so each imports its own lmforge), and keeps the last
line of each run's output (the scripts' JSON). The VM's speed drifts by minutes, so the
two alternate and every repeat is printed: the spread between repeats of one checkout is
the run-to-run noise the difference has to beat. Prints the CPU first, one JSON line a run,
and a JSON object of all runs last.
"""

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path


def run(tree: Path, script_args: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree / "src")}
    cmd = [sys.executable, str(tree / "benchmarks" / script_args[0]), *script_args[1:]]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tree)
    if out.returncode != 0:
        return {"error": (out.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True)
    parser.add_argument("--after", type=Path, required=True)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("script", nargs=argparse.REMAINDER, help="-- SCRIPT [ARGS]")
    args = parser.parse_args()
    script = args.script[1:] if args.script[:1] == ["--"] else args.script
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()
    print(next((line for line in lscpu if line.startswith("Model name")), "CPU: ?"))
    runs: dict[str, list] = {"before": [], "after": []}
    for _ in range(args.repeats):
        for name in ("before", "after"):
            runs[name].append(run(getattr(args, name).resolve(), script))
            print(name, json.dumps(runs[name][-1]), flush=True)
    print(json.dumps(runs))


if __name__ == "__main__":
    main()
