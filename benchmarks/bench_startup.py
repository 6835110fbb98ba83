"""Cold start-up of the CLI on the bundled model: `lmforge tokenize hi` and
`lmforge generate hi --max-tokens 4`, wall and CPU seconds (user + sys) per run.

    python benchmarks/bench_startup.py [--runs 3] [--src OTHER_CHECKOUT/src]

`--src` runs another checkout's code with the same Python (e.g. `git archive <commit> src`
unpacked in /tmp), so before/after come from one session. CPU seconds matter on a shared
machine: wall time there includes waiting for a core. Results: docs/benchmarks.md.
"""

import argparse
import os
import resource
import subprocess
import sys
import time

COMMANDS = (["tokenize", "hi"], ["generate", "hi", "--max-tokens", "4"])


def run_once(args: list[str], src: str | None) -> tuple[float, float]:
    env = {**os.environ, **({"PYTHONPATH": src} if src else {})}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "lmforge.cli", *args], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--src", default=None, help="another checkout's src/ folder")
    args = parser.parse_args()
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    print(next((line for line in cpu.splitlines() if line.startswith("Model name")), ""))
    flags = next((line.split(":", 1)[1].split() for line in cpu.splitlines()
                  if line.startswith("Flags")), [])
    print("flags:", " ".join(f for f in flags if "avx" in f or "fma" in f))
    print(f"load average before: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    for command in COMMANDS:
        results = [run_once(command, args.src) for _ in range(args.runs)]
        walls, cpus = sorted(w for w, _ in results), sorted(c for _, c in results)
        print(f"lmforge {' '.join(command)}: wall median {walls[len(walls) // 2]:.2f} s "
              f"(min {walls[0]:.2f}), CPU median {cpus[len(cpus) // 2]:.2f} s "
              f"(min {cpus[0]:.2f})")


if __name__ == "__main__":
    main()
