"""benchmarks/bench_pretrain.py: nanoGPT's printed lines are parsed right, and `--nanogpt DIR`
runs DIR's train.py with the same steps and threads (a fake nanoGPT here: none is shipped)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_pretrain",
                                                  ROOT / "benchmarks" / "bench_pretrain.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


NANOGPT_LINES = """\
tokens per iteration will be: 768
step 0: train loss 4.1676, val loss 4.1649
iter 0: loss 4.1958, time 1510.31ms, mfu -100.00%
iter 1: loss 4.1300, time 60.00ms, mfu -100.00%
iter 2: loss 4.0100, time 45.00ms, mfu -100.00%
iter 3: loss 3.9000, time 44.00ms, mfu -100.00%
iter 4: loss 3.8000, time 44.00ms, mfu -100.00%
iter 5: loss 3.7000, time 40.00ms, mfu 0.02%
iter 6: loss 3.6000, time 42.00ms, mfu 0.02%
step 250: train loss 2.4014, val loss 2.4230
iter 250: loss 2.4000, time 900.00ms, mfu 0.02%
iter 251: loss 2.3900, time 38.00ms, mfu 0.02%
"""


def test_parse_nanogpt_log_skips_warmup_and_eval_iterations(bench):
    parsed = bench.parse_nanogpt_log(NANOGPT_LINES)
    # steady: iterations 5, 6 and 251 (0-4 settle, 250 also timed an evaluation)
    assert parsed["timed_iters"] == 3
    assert parsed["ms_per_iter_steady"] == 40.0
    assert parsed["tokens_per_s_steady"] == round(12 * 64 / 0.040)
    assert parsed["val_loss"] == 2.4230 and parsed["train_loss"] == 2.4014
    assert parsed["iters"] == 251
    assert parsed["eval_curve"] == [[0, 4.1649], [250, 2.4230]]


def test_parse_nanogpt_log_without_lines_fails(bench):
    with pytest.raises(ValueError, match="no nanoGPT"):
        bench.parse_nanogpt_log("Traceback (most recent call last):\n")


def test_parse_blocks(bench):
    assert bench.parse_blocks("recipe,nanogpt") == ["recipe", "nanogpt"]
    assert bench.parse_blocks("both") == ["nanogpt", "recipe"]
    with pytest.raises(Exception, match="unknown block"):
        bench.parse_blocks("recipe,llama")


FAKE_TRAIN = """\
import os, sys
args = dict(a[2:].split("=", 1) for a in sys.argv[2:])
assert sys.argv[1] == "config/train_shakespeare_char.py"
assert args["device"] == "cpu" and args["compile"] == "False"
assert os.path.isfile("data/shakespeare_char/train.bin")
steps = int(args["max_iters"])
assert int(args["lr_decay_iters"]) == steps
threads = os.environ["OMP_NUM_THREADS"]
for i in range(steps + 1):
    if i % 250 == 0 or i == steps:
        print(f"step {i}: train loss 2.0000, val loss 2.{i:04d}")
    print(f"iter {i}: loss 2.1000, time {30 + int(threads):.2f}ms, mfu 0.01%")
"""

FAKE_PREPARE = """\
import os
here = os.path.dirname(__file__)
text = open(os.path.join(here, "input.txt")).read()
open(os.path.join(here, "train.bin"), "wb").write(text.encode())
"""


def test_run_nanogpt_prepares_data_and_passes_steps_and_threads(bench, tmp_path):
    (tmp_path / "train.py").write_text(FAKE_TRAIN)
    data_dir = tmp_path / "data" / "shakespeare_char"
    data_dir.mkdir(parents=True)
    (data_dir / "prepare.py").write_text(FAKE_PREPARE)
    text = tmp_path / "corpus.txt"
    text.write_text("to be or not to be\n")
    run = bench.run_nanogpt(str(tmp_path), str(text), steps=300, threads=3)
    assert (data_dir / "input.txt").read_text() == text.read_text()
    assert run["ms_per_iter_steady"] == 33.0  # 30 + the 3 threads it was given
    assert run["iters"] == 300 and run["val_loss"] == 2.0300
    assert run["threads"] == 3 and "--max_iters=300" in run["command"]


def test_main_prints_both_engines_and_the_ratio(bench, tmp_path, monkeypatch, capsys):
    """The whole command with the lmforge run stubbed: lines, ratio, JSON last."""
    (tmp_path / "train.py").write_text(FAKE_TRAIN)
    (tmp_path / "data" / "shakespeare_char").mkdir(parents=True)
    (tmp_path / "data" / "shakespeare_char" / "train.bin").write_bytes(b"\0\0")

    def fake_lmforge(block, data, steps, threads, out, precision):
        ms = {"recipe": 24.0, "nanogpt": 32.0}[block]
        return {"val_loss": 1.7, "train_loss": 1.6, "tokens_per_s": 1,
                "tokens_per_s_steady": round(768 / ms * 1000), "ms_per_iter_steady": ms,
                "iters": steps, "wall_s": 1.0, "threads": threads, "block": block,
                "precision": precision or "bf16", "eval_curve": [], "out_dir": ""}

    monkeypatch.setattr(bench, "run_lmforge", fake_lmforge)
    monkeypatch.setattr(sys, "argv", ["bench_pretrain.py", "--data", "x.txt", "--steps", "20",
                                      "--block", "recipe,nanogpt", "--nanogpt", str(tmp_path)])
    bench.main()
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].startswith("cpu: ") and "torch " in lines[0]
    result = json.loads(lines[-1])
    assert result["block"] == "recipe" and set(result["runs"]) == {"recipe", "nanogpt"}
    assert result["precision"] == "bf16"  # the recipe's auto, as resolved on a bf16 CPU
    assert any(line.startswith("nanoGPT, fp32: 32.00 ms/iter") for line in lines)
    assert result["nanogpt"]["ms_per_iter_steady"] == 32.0  # 30 + 2 threads
    assert result["vs_nanogpt"] == {"recipe": round(32 / 24, 3), "nanogpt": 1.0}
    assert any(line.startswith("lmforge (recipe block) / nanoGPT tokens/s: 1.333x")
               for line in lines)
