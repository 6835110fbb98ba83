"""Full fine-tuning vs LoRA vs QLoRA of SmolLM2-135M: trainable parameters, peak memory and
seconds per step, measured side by side on the same batches.

    python benchmarks/bench_finetune.py --steps 6 --batch 4 --block 256

Each mode runs in its own subprocess (so peak RSS belongs to that mode alone): load the
bundled SmolLM2-135M-Instruct in fp32, set it up (full: every weight trains; LoRA r=8 on
all attention and MLP linears; QLoRA: the same adapters over an int4 group-64 base), then
time SFT steps (forward + backward + AdamW) on packed blocks of the generated instruction
set. Reported: trainable parameters, RSS after setup, peak RSS during the steps (sampled
every 5 ms), and the median seconds per step after one warm-up step. The last line printed
is one JSON object with all three rows.
"""

import argparse
import ctypes
import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def run_mode(mode: str, steps: int, batch: int, block: int) -> dict:
    import torch

    from lmforge.data.chat import render_with_mask
    from lmforge.data.packing import pack
    from lmforge.data.synthetic import instructions
    from lmforge.io.registry import load
    from lmforge.train.lora import LoRASettings, apply_lora, count_parameters
    from lmforge.train.objectives.sft import SFT
    from lmforge.train.qlora import quantize_base

    torch.set_num_threads(2)
    lm = load("smollm2-135m-instruct")
    model, tok = lm.model.train(), lm.tokenizer
    if mode == "qlora":
        quantize_base(model, LoRASettings().targets, group_size=64)
    if mode in ("lora", "qlora"):
        apply_lora(model, LoRASettings(rank=8, alpha=16))
    trainable, total = count_parameters(model)
    examples = [render_with_mask(tok, r["messages"])
                for r in instructions.generate(batch * (steps + 1) * 6, seed=0)]
    blocks = pack(examples, block)
    objective = SFT(pad_id=tok.pad_id or 0)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4, foreach=True)
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # hand freed fp32 weights back (QLoRA)
    setup_rss = rss_mb()
    peak, running = [setup_rss], [True]

    def sample():
        while running[0]:
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.005)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    times = []
    for step in range(steps + 1):
        batch_blocks = blocks[step * batch:(step + 1) * batch]
        start = time.perf_counter()
        loss, _ = objective.loss(model, objective.batch(batch_blocks))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - start)
    running[0] = False
    thread.join()
    return {"mode": mode, "trainable_params": trainable, "total_params": total,
            "setup_rss_mb": round(setup_rss), "peak_rss_mb": round(peak[0]),
            "s_per_step": round(statistics.median(times[1:]), 3),
            "tokens_per_step": sum(len(b.ids) for b in blocks[:batch])}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=6)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--block", type=int, default=256)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.steps, args.batch, args.block)))
        return
    print(subprocess.run(["lscpu"], capture_output=True, text=True).stdout, file=sys.stderr)
    rows = []
    for mode in ("full", "lora", "qlora"):
        out = subprocess.run([sys.executable, __file__, "--mode", mode, "--steps",
                              str(args.steps), "--batch", str(args.batch), "--block",
                              str(args.block)], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(rows[-1], file=sys.stderr)
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
