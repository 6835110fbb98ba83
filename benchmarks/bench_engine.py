"""Single-stream SmolLM2 fp32 speed of the Engine's variants, each in its own process.

    python benchmarks/bench_engine.py [--threads 1] [--new-tokens 32]
        [--baseline-src DIR]     # also run another lmforge source tree (e.g. an old commit:
                                 # git archive c59fb3a src | tar -x -C /tmp/old)

Variants: plain, fused projections (`fuse_projections`), fused + n-gram speculation.
Greedy, EOS ignored, 128 prompt tokens. Reports wall-clock and process-CPU rates: on a
machine shared with other jobs the CPU-time rate (tokens per CPU-second of this process,
one thread) is the comparable figure. Every variant must produce the same tokens.
Prints the CPU model, a markdown table and, last, one JSON line.
"""

import argparse
import json
import os
import subprocess
import sys
import time

PASSAGE = ("The history of the printing press begins in the fifteenth century, when "
           "Johannes Gutenberg combined movable metal type, oil-based ink and a wooden press. ")


def run_one(threads: int, new_tokens: int, fuse: bool, speculative: str | None) -> dict:
    """Measure one variant in this process (called in a child process)."""
    import torch

    torch.set_num_threads(threads)
    import lmforge
    from lmforge.infer import Engine, SamplingParams

    lm = lmforge.load("smollm2-135m-instruct")
    if fuse:
        from lmforge.model.fused import fuse_projections
        fuse_projections(lm.model)
    engine = Engine(lm.model, lm.tokenizer)
    prompt = lm.tokenizer.encode(PASSAGE * 14)[:128]
    engine.generate([prompt[:8]], SamplingParams(max_tokens=4, temperature=0.0))  # warm-up
    params = SamplingParams(max_tokens=new_tokens, temperature=0.0, ignore_eos=True)
    if speculative:
        params.speculative = speculative
    wall, cpu = time.perf_counter(), time.process_time()
    first, tokens = None, []
    for event in engine.stream([prompt], params):
        tokens.append(event.token_id)
        if first is None:
            first = (time.perf_counter(), time.process_time())
    end = (time.perf_counter(), time.process_time())
    n = len(tokens) - 1
    return dict(prefill_wall=len(prompt) / (first[0] - wall),
                prefill_cpu=len(prompt) / (first[1] - cpu),
                decode_wall=n / (end[0] - first[0]), decode_cpu=n / (end[1] - first[1]),
                tokens=tokens)


def cpu_model() -> str:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    lines = [ln for ln in out.splitlines() if ln.startswith(("Model name", "Flags"))]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--new-tokens", type=int, default=32)
    ap.add_argument("--baseline-src", default=None)
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        fuse, speculative = json.loads(args.child)
        print(json.dumps(run_one(args.threads, args.new_tokens, fuse, speculative)))
        return
    print(cpu_model())
    here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    variants = [("plain", here, False, None), ("fused", here, True, None),
                ("fused + ngram", here, True, "ngram")]
    if args.baseline_src:
        variants.insert(0, ("baseline", args.baseline_src, False, None))
    results = {}
    for name, src, fuse, speculative in variants:
        env = dict(os.environ, PYTHONPATH=src)
        out = subprocess.run([sys.executable, __file__, "--threads", str(args.threads),
                              "--new-tokens", str(args.new_tokens),
                              "--child", json.dumps([fuse, speculative])],
                             capture_output=True, text=True, env=env, check=True)
        results[name] = json.loads(out.stdout.strip().splitlines()[-1])
    reference = next(iter(results.values()))["tokens"]
    print(f"\n| variant ({args.threads} thread) | prefill tok/s (wall, cpu) | "
          "decode tok/s (wall, cpu) | same tokens |\n|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['prefill_wall']:.0f}, {r['prefill_cpu']:.0f} | "
              f"{r['decode_wall']:.1f}, {r['decode_cpu']:.1f} | {r['tokens'] == reference} |")
    summary = {name: {k: round(v, 2) for k, v in r.items() if k != "tokens"}
               for name, r in results.items()}
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
