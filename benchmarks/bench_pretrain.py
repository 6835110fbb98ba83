"""Pretraining speed and quality against nanoGPT's CPU character-level Shakespeare run.

    python benchmarks/bench_pretrain.py --data /path/to/tinyshakespeare.txt \\
        --block recipe,nanogpt --nanogpt /path/to/nanoGPT

runs recipes/char-shakespeare.yaml, which is nanoGPT's documented CPU configuration: a GPT
with 4 layers, 4 heads, 128 wide, block 64, batch 12, 2000 iterations, dropout 0, AdamW
(beta2 0.99, weight decay 0.1, grad clip 1), lr 1e-3 warming up over 100 steps and
decaying to 1e-4 at step 2000, a 90/10 character split, evaluation every 250 steps.

`--block` picks lmforge's block: recipe (RoPE + SwiGLU), nanogpt (nanoGPT's learned
positions + GELU MLP), or both (`--block recipe,nanogpt` or `--block both`), one after the
other in this process.

`--nanogpt DIR` also runs a nanoGPT checkout (https://github.com/karpathy/nanoGPT) in the
same invocation, with the same thread count (OMP_NUM_THREADS) and iteration count. When
DIR/data/shakespeare_char/train.bin is missing, --data is copied there as input.txt and
nanoGPT's own data/shakespeare_char/prepare.py makes it. Then its documented CPU command:

    python train.py config/train_shakespeare_char.py --device=cpu --compile=False \\
        --eval_iters=200 --log_interval=1 --block_size=64 --batch_size=12 --n_layer=4 \\
        --n_head=4 --n_embd=128 --max_iters=2000 --lr_decay_iters=2000 --dropout=0.0

(the README's --log_interval=50 prints every 50th iteration; 1 prints every iteration's
time, which costs one print per step). nanoGPT reports ms per iteration; its speed here is
the median over steady iterations (not the first 5, not the ones that include an
evaluation), tokens/s = 12 * 64 / (seconds per iteration). lmforge's steady figure is the
median of its logged intervals (evaluation time excluded), so both are compared alike.

The recipe keeps nanoGPT's sizes and schedule but uses rotary positions (RoPE) and a SwiGLU
MLP of equal parameter count instead of a learned position table and a GELU MLP. Smaller
differences: lmforge's LayerNorms keep their bias (nanoGPT's bias=False drops it),
embeddings are not weight-decayed, the vocabulary holds a few special tokens beside the 65
characters, and validation loss is the mean over 200 fixed blocks spread over the whole val
split (nanoGPT draws 200 random batches).

Output: the CPU and torch version first, one line per engine, the ratio of lmforge's
tokens/s to nanoGPT's for each block, and as the last line one JSON object: val_loss,
train_loss, tokens_per_s, tokens_per_s_steady, ms_per_iter_steady, iters, wall_s, block and
eval_curve of the first block; `runs` with every block's; `nanogpt` and `vs_nanogpt` with
--nanogpt.

Test: `pytest tests/benchmarks/test_bench_pretrain.py`.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
RECIPE = ROOT / "recipes" / "char-shakespeare.yaml"
BLOCKS = {
    "recipe": {},
    "nanogpt": {"model.position": "learned", "model.mlp": "gelu", "model.activation": "gelu",
                "model.intermediate_size": 512},
}
BATCH, BLOCK_SIZE = 12, 64  # the recipe's and nanoGPT's command's; tokens per iteration
EVAL_INTERVAL = 250  # train_shakespeare_char.py's; those iterations include an evaluation
SKIP_FIRST = 5  # nanoGPT's own MFU estimate skips these too: "let the training loop settle"


# -- lmforge ------------------------------------------------------------------------------

def run_lmforge(block: str, data: str, steps: int, threads: int, out: str,
                precision: str) -> dict:
    """Train the recipe with `block`; return the figures nanoGPT's are compared with."""
    from lmforge.train.metrics import read_metrics
    from lmforge.train.pretrain import pretrain

    out = out or tempfile.mkdtemp(prefix=f"bench_pretrain_{block}_")
    start = time.perf_counter()
    metrics = pretrain(RECIPE, **{"data.source": data, "out_dir": out, "max_steps": steps,
                                  "num_threads": threads, **BLOCKS[block],
                                  **({"precision": precision} if precision else {}),
                                  "progress": sys.stderr.isatty()})
    wall = time.perf_counter() - start
    tokens_per_s = metrics["train_tokens_per_s"]
    # a steady-state figure like nanoGPT's: the median logged interval after the first
    intervals = [float(r["tokens_per_s"]) for r in read_metrics(Path(out) / "metrics.csv")]
    steady = statistics.median(intervals[1:]) if len(intervals) > 1 else tokens_per_s
    return {
        "val_loss": round(metrics["val_loss"], 4),
        "train_loss": round(metrics["train_loss"], 4),
        "tokens_per_s": round(tokens_per_s),
        "tokens_per_s_steady": round(steady),
        "ms_per_iter_steady": round(BATCH * BLOCK_SIZE / steady * 1000, 2),
        "iters": metrics["step"],
        "wall_s": round(wall, 1),
        "threads": threads,
        "block": block,
        "precision": metrics["precision"],
        "eval_curve": [[step, round(loss, 4)] for step, loss in metrics["eval_curve"]],
        "out_dir": out,
    }


# -- nanoGPT ------------------------------------------------------------------------------

ITER_LINE = re.compile(r"^iter (\d+): loss ([-\d.naif]+), time ([\d.]+)ms, mfu (-?[\d.]+)%")
EVAL_LINE = re.compile(r"^step (\d+): train loss ([\d.]+), val loss ([\d.]+)")


def nanogpt_command(steps: int) -> list[str]:
    """nanoGPT's documented CPU command for this configuration (module docstring)."""
    return ["train.py", "config/train_shakespeare_char.py", "--device=cpu", "--compile=False",
            "--eval_iters=200", "--log_interval=1", f"--block_size={BLOCK_SIZE}",
            f"--batch_size={BATCH}", "--n_layer=4", "--n_head=4", "--n_embd=128",
            f"--max_iters={steps}", f"--lr_decay_iters={steps}", "--dropout=0.0"]


def parse_nanogpt_log(text: str) -> dict:
    """nanoGPT's printed lines -> median ms/iter over steady iterations, tokens/s, losses.

    "iter N: loss X, time Y ms, mfu Z%" is one iteration's time; an iteration that is a
    multiple of the eval interval also timed the evaluation before it, and the first few
    pay one-off costs, so neither counts. "step N: train loss X, val loss Y" is an eval.
    """
    times, last_iter, curve, last_eval = [], None, [], None
    for line in text.splitlines():
        if m := ITER_LINE.match(line.strip()):
            last_iter = int(m.group(1))
            if last_iter >= SKIP_FIRST and last_iter % EVAL_INTERVAL:
                times.append(float(m.group(3)))
        elif m := EVAL_LINE.match(line.strip()):
            last_eval = (int(m.group(1)), float(m.group(2)), float(m.group(3)))
            curve.append([last_eval[0], last_eval[2]])
    if not times or last_eval is None:
        raise ValueError("no nanoGPT iteration or evaluation lines found in its output")
    ms = statistics.median(times)
    return {
        "val_loss": last_eval[2],
        "train_loss": last_eval[1],
        "ms_per_iter_steady": round(ms, 2),
        "tokens_per_s_steady": round(BATCH * BLOCK_SIZE / ms * 1000),
        "iters": last_iter,
        "timed_iters": len(times),
        "eval_curve": curve,
    }


def prepare_nanogpt_data(folder: Path, data: str) -> None:
    """nanoGPT's own prepare.py, fed --data as its input.txt (it would download it)."""
    data_dir = folder / "data" / "shakespeare_char"
    if (data_dir / "train.bin").is_file():
        return
    if not (data_dir / "input.txt").is_file():
        shutil.copyfile(data, data_dir / "input.txt")
    subprocess.run([sys.executable, "data/shakespeare_char/prepare.py"], cwd=folder, check=True,
                   stdout=subprocess.DEVNULL)


def run_nanogpt(folder: str, data: str, steps: int, threads: int) -> dict:
    """Run nanoGPT's command in `folder` with `threads` threads; parse what it prints."""
    folder = Path(folder).resolve()
    if not (folder / "train.py").is_file():
        raise SystemExit(f"--nanogpt {folder}: no train.py there (a nanoGPT checkout?)")
    prepare_nanogpt_data(folder, data)
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, *nanogpt_command(steps)], cwd=folder, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if done.returncode:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"nanoGPT's train.py exited with {done.returncode}")
    return {**parse_nanogpt_log(done.stdout), "wall_s": round(wall, 1), "threads": threads,
            "command": "python " + " ".join(nanogpt_command(steps))}


# -- report -------------------------------------------------------------------------------

def cpu_model() -> str:
    """The CPU's marketing name (lscpu's "Model name"), for the record."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def describe(name: str, run: dict) -> str:
    return (f"{name}, {run.get('precision', 'fp32')}: {run['ms_per_iter_steady']:.2f} ms/iter, "
            f"{run['tokens_per_s_steady']:,} tokens/s (steady median), "
            f"val loss {run['val_loss']:.4f} at iter {run['iters']}, wall {run['wall_s']} s")


def parse_blocks(value: str) -> list[str]:
    names = sorted(BLOCKS) if value == "both" else [b.strip() for b in value.split(",")]
    unknown = [b for b in names if b not in BLOCKS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"unknown block {unknown}; known: {sorted(BLOCKS)}, "
                                         "a comma-separated list, or both")
    return names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="tinyshakespeare.txt (or any text file)")
    parser.add_argument("--out", default="", help="run folder (default: a temporary one)")
    parser.add_argument("--steps", type=int, default=2000, help="iterations (nanoGPT: 2000)")
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads (both)")
    parser.add_argument("--block", default=["recipe"], type=parse_blocks,
                        help="recipe (RoPE + SwiGLU), nanogpt (learned positions + GELU), "
                             "recipe,nanogpt or both")
    parser.add_argument("--precision", default="", choices=["", "auto", "fp32", "bf16"],
                        help="lmforge's train.precision (default: the recipe's, auto)")
    parser.add_argument("--nanogpt", default="", metavar="DIR",
                        help="a nanoGPT checkout: run its documented command in the same run")
    args = parser.parse_args()
    if args.out and len(args.block) > 1:
        parser.error("--out takes one block (each block needs its own run folder)")

    print(f"cpu: {cpu_model()} ({os.cpu_count()} logical CPUs); torch {torch.__version__}; "
          f"{args.threads} threads; {args.steps} iterations", flush=True)
    torch.set_num_threads(args.threads)
    runs = {}
    for block in args.block:
        runs[block] = run_lmforge(block, args.data, args.steps, args.threads, args.out,
                                  args.precision)
        print(describe(f"lmforge ({block} block)", runs[block]), flush=True)
    result = {**runs[args.block[0]], "runs": runs}
    if args.nanogpt:
        nano = run_nanogpt(args.nanogpt, args.data, args.steps, args.threads)
        print(describe("nanoGPT", nano), flush=True)
        ratios = {b: round(r["tokens_per_s_steady"] / nano["tokens_per_s_steady"], 3)
                  for b, r in runs.items()}
        for block, ratio in ratios.items():
            print(f"lmforge ({block} block) / nanoGPT tokens/s: {ratio:.3f}x", flush=True)
        result.update(nanogpt=nano, vs_nanogpt=ratios)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
