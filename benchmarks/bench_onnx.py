"""onnxruntime vs lmforge on the same fp32 weights (SmolLM2-135M-Instruct): one forward over a
prompt (prefill), and one-token decode steps with a KV cache.

    python benchmarks/bench_onnx.py [--tokens 128] [--steps 16] [--threads 2] [--repeats 3]

The model is exported once with its KV cache (`export_onnx(..., kv_cache=True)`) into a
temporary folder (or --onnx DIR, reused when it exists). Rows:

    onnxruntime             the exported graph, CPUExecutionProvider, graph optimisations on
    lmforge (reference)     the float model as exported: unfused, C kernels off (the traced path)
    lmforge (fast path)     the float model as `lmforge.load(name, quantize="none")` runs it:
                            q/k/v and gate/up fused, lmforge's C kernels on (Engine for decode)

Prefill: the best of --repeats forwards over --tokens prompt tokens (logits of every
position). Decode: onnxruntime feeds its `present` back as `past`, one token a step; lmforge
runs the Engine (generate N+1 tokens minus generate 1). Prints a markdown table and the CPU.
"""

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

MODEL = "smollm2-135m-instruct"


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def best_of(repeats: int, run) -> np.ndarray:
    """(wall, CPU) seconds of `repeats` calls after one warm-up call, the least of each.
    CPU time is the whole process's (all its threads): on a shared machine it is the
    comparable figure, wall time the one a user waits."""
    run()
    times = []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        times.append((time.perf_counter() - wall, time.process_time() - cpu))
    return np.array(times).min(axis=0)


def onnx_times(folder: Path, prompt: list[int], steps: int, threads: int, repeats: int):
    from lmforge.io.onnx_session import OnnxDecoder

    decoder = OnnxDecoder(folder, threads=threads)
    ids = np.array([prompt], dtype=np.int64)
    prefill = best_of(repeats, lambda: decoder.forward(ids))
    _, present = decoder.forward(ids)

    def decode():
        past, token = present, np.array([[prompt[-1]]])
        for _ in range(steps):
            logits, past = decoder.forward(token, past=past)
            token = logits[:, -1:].argmax(-1)

    return prefill, best_of(repeats, decode) / steps


def lmforge_prefill(model, prompt: list[int], repeats: int) -> np.ndarray:
    ids = torch.tensor([prompt])
    with torch.no_grad():
        return best_of(repeats, lambda: model.logits(model(ids)))


def lmforge_decode(model, tokenizer, prompt: list[int], steps: int, repeats: int
                   ) -> np.ndarray:
    from lmforge.infer import Engine, SamplingParams

    engine = Engine(model, tokenizer)

    def generate(n: int) -> None:
        params = SamplingParams(max_tokens=n, temperature=0.0, ignore_eos=True)
        engine.generate([prompt], params)

    return (best_of(repeats, lambda: generate(steps + 1)) - best_of(repeats, lambda: generate(1))
            ) / steps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--onnx", type=Path, default=None, help="export folder (reused)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    import lmforge
    from lmforge.io.onnx_export import export_onnx, reference_path

    lm = lmforge.load(MODEL, quantize="none", fuse=False)
    folder = args.onnx or Path(tempfile.mkdtemp(prefix="bench-onnx-")) / "smollm2"
    if not (folder / "model.onnx").is_file():
        start = time.perf_counter()
        export_onnx(lm.model, lm.tokenizer, folder, kv_cache=True)
        print(f"exported to {folder} in {time.perf_counter() - start:.0f} s")
    text = "The history of the city begins with a small settlement on the river. " * 40
    prompt = lm.tokenizer.encode(text)[:args.tokens]

    rows = {"onnxruntime": onnx_times(folder, prompt, args.steps, args.threads, args.repeats)}
    with reference_path():
        rows["lmforge (reference path)"] = (lmforge_prefill(lm.model, prompt, args.repeats),
                                            lmforge_decode(lm.model, lm.tokenizer, prompt,
                                                           args.steps, args.repeats))
    fast = lmforge.load(MODEL, quantize="none")
    rows["lmforge (fast path)"] = (lmforge_prefill(fast.model, prompt, args.repeats),
                                   lmforge_decode(fast.model, fast.tokenizer, prompt,
                                                  args.steps, args.repeats))
    print(f"\n{MODEL} fp32, {len(prompt)} prompt tokens, {args.steps} decode steps, "
          f"{args.threads} threads, {cpu_name()} ({os.cpu_count()} cores visible, load "
          f"average {os.getloadavg()[0]:.1f}), torch {torch.__version__}, "
          f"onnxruntime {__import__('onnxruntime').__version__}\n")
    print("| runtime | prefill ms (wall, CPU) | prefill tok/s (wall) "
          "| decode ms/token (wall, CPU) | decode tok/s (wall) |")
    print("|---|---|---|---|---|")
    for name, (prefill, decode) in rows.items():
        print(f"| {name} | {prefill[0] * 1e3:.0f}, {prefill[1] * 1e3:.0f} "
              f"| {len(prompt) / prefill[0]:.0f} | {decode[0] * 1e3:.1f}, {decode[1] * 1e3:.1f} "
              f"| {1 / decode[0]:.1f} |")


if __name__ == "__main__":
    main()
