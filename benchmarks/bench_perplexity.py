"""What quantization costs in quality: perplexity of SmolLM2-135M-Instruct on held-out English
(the end of tinyshakespeare, not the model's training mix) at fp32, int8, int4 g32/g64/g128 and
on the GGUF's own Q4_1 blocks, next to llama.cpp's perplexity of the same Q4_1 file on the same
tokens.

    python benchmarks/bench_perplexity.py [--tokens 2048] [--window 512] [--threads 2]

"int8 activations" scores with the decode steps' arithmetic, "bf16 GEMM" (on a CPU with bf16
matmul hardware) with a bf16 prefill GEMM, the others with an fp32 one (see lmforge_nll). The
text is tokenized once; every model scores the same non-overlapping windows of `--window`
tokens (each window starts with an empty context), and perplexity = exp(mean next-token
negative log-likelihood) over all predicted tokens. Prints a markdown table and, last, one
JSON object.
"""

import argparse
import gc
import json
import math
import os
import time
from pathlib import Path

MODEL = "smollm2-135m-instruct"
CONFIGS = {  # name -> (quantize mode, int4 group size, int8 activations, bf16 prefill GEMM)
    "fp32": ("none", None, False, False), "int8": ("int8", None, False, False),
    "int4 g32": ("int4", 32, False, False), "int4 g64": ("int4", 64, False, False),
    "int4 g128": ("int4", 128, False, False), "Q4_1 blocks": ("auto", None, False, False),
    "Q4_1 blocks, int8 activations": ("auto", None, True, False),
}
# where the CPU has bf16 matmul hardware, also the prefill's bf16 GEMM (backend.bf16_gemm)
NATIVE_BF16_CONFIGS = {"Q4_1 blocks, bf16 GEMM": ("auto", None, False, True)}


def held_out_text() -> str:
    here = Path(__file__).resolve().parent.parent
    for base in (here.parent / "shared" / "data", here / "shared" / "data",
                 Path("/work/shared/data")):
        path = base / "tinyshakespeare.txt"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            return text[len(text) * 9 // 10:]  # the last tenth
    raise SystemExit("tinyshakespeare.txt not found in shared/data beside the checkout")


def windows(n_tokens: int, window: int) -> list[list[int]]:
    from lmforge.io.registry import load_tokenizer

    ids = load_tokenizer(MODEL).encode(held_out_text())[:n_tokens]
    return [ids[i:i + window] for i in range(0, len(ids) - 1, window)]


def lmforge_nll(mode: str, group_size: int | None, int8_activations: bool, bf16_gemm: bool,
                chunks) -> tuple[float, int]:
    """Scores with a whole window a forward (prefill: an fp32 GEMM, or with bf16_gemm a bf16
    one); with int8_activations, every row goes through the decode steps' GEMV instead, whose
    activations are rounded to int8 blocks (as llama.cpp's matmuls round them)."""
    from lmforge.model.backend import backend

    limit, gemm = backend.gemv_max_rows, backend.bf16_gemm
    backend.gemv_max_rows = 1 << 30 if int8_activations else limit
    backend.bf16_gemm = bf16_gemm
    try:
        return _nll(mode, group_size, chunks)
    finally:
        backend.gemv_max_rows, backend.bf16_gemm = limit, gemm


def _nll(mode: str, group_size: int | None, chunks) -> tuple[float, int]:
    import torch
    import torch.nn.functional as F

    import lmforge
    from lmforge.io.quantized import quantize_for_inference

    lm = lmforge.load(MODEL, quantize="none" if mode == "int4" else mode)
    if mode == "int4":
        quantize_for_inference(lm.model, 4, group_size)
    total, count = 0.0, 0
    with torch.no_grad():
        for chunk in chunks:
            ids = torch.tensor([chunk])
            logits = lm.model.logits(lm.model(ids))[0]  # (T, V)
            total += F.cross_entropy(logits[:-1].float(), ids[0, 1:], reduction="sum").item()
            count += len(chunk) - 1
    return total, count


def llama_cpp_nll(chunks, threads: int) -> tuple[float, int]:
    import numpy as np
    from llama_cpp import Llama

    from lmforge.io.registry import bundled_path

    llm = Llama(model_path=str(bundled_path(MODEL)), n_ctx=max(map(len, chunks)) + 8,
                n_threads=threads, n_threads_batch=threads, n_batch=512, logits_all=True,
                verbose=False)
    total, count = 0.0, 0
    for chunk in chunks:
        llm.reset()
        llm.eval(chunk)
        logits = np.array(llm.scores[:len(chunk)], dtype=np.float64)  # (T, V)
        logits -= logits.max(-1, keepdims=True)
        logprobs = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
        total -= float(logprobs[np.arange(len(chunk) - 1), chunk[1:]].sum())
        count += len(chunk) - 1
    return total, count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=int, default=2048)
    parser.add_argument("--window", type=int, default=512)
    parser.add_argument("--threads", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--only", nargs="*", default=None)
    args = parser.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    chunks = windows(args.tokens, args.window)
    from lmforge.cpu_features import native_bf16

    configs = {**CONFIGS, **(NATIVE_BF16_CONFIGS if native_bf16() else {})}
    results = {}
    for name in args.only or [*configs, "llama.cpp Q4_1"]:
        start = time.perf_counter()
        try:
            if name == "llama.cpp Q4_1":
                total, count = llama_cpp_nll(chunks, args.threads)
            else:
                total, count = lmforge_nll(*configs[name], chunks)
            results[name] = {"ppl": round(math.exp(total / count), 3), "tokens": count,
                             "seconds": round(time.perf_counter() - start, 1)}
        except ValueError as e:  # e.g. a group size that does not divide a layer's width
            results[name] = {"error": str(e)}
        gc.collect()
        print(f"  {name}: {results[name]}", flush=True)
    fp32 = results.get("fp32", {}).get("ppl")
    print(f"\nSmolLM2-135M-Instruct, tinyshakespeare (last tenth), {args.tokens} tokens in "
          f"windows of {args.window}")
    print("| weights | perplexity | vs fp32 |\n|---|---|---|")
    for name, r in results.items():
        if "ppl" in r:
            rel = f"{(r['ppl'] / fp32 - 1) * 100:+.2f}%" if fp32 else "-"
            print(f"| {name} | {r['ppl']} | {rel} |")
        else:
            print(f"| {name} | n/a: {r['error']} | |")
    print(json.dumps({"tokens": args.tokens, "window": args.window, "results": results}))


if __name__ == "__main__":
    main()
