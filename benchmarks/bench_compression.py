"""Compression report on the bundled SmolLM2-135M-Instruct (issue 22.4): quantized GGUF
files and width-pruned models, before and after distillation, each run by lmforge and by
llama.cpp (llama-cpp-python) in the same run.

    nice -n 5 python benchmarks/bench_compression.py --out runs/compression \\
        [--distill-steps 30] [--threads 1] [--stage all|prepare|prune|measure|report]

docs/compression.md's table is this command's output (30 distillation steps: the documented
budget; 10 steps closed 0.41 of pruned-25's perplexity gap, 30 steps close most of it).

Stages (each reuses what an earlier run left in --out):

    prepare  the bundled weights (a Q4_1 file) dequantized to fp32, written by lmforge as
             GGUF F32 / F16 / Q8_0 / Q4_0 / Q4_K
    prune    width pruning (train/prune_structured.py, activation importance on 8 blocks
             of 128 training tokens) at two widths, saved before and after distillation from the
             fp32 model (forward KL on its logits, train/objectives/distill.py), each as an
             F16 GGUF; prune.json records the steps, wall time and fp32 perplexities
    measure  every file in a fresh process per runtime (its peak RSS is the memory column):
             perplexity on held-out text, KL(fp32 || file) and top-1 agreement with fp32
             over the same tokens, greedy decode tokens/s (batch 1, 16 tokens after a
             warm-up request; wall and CPU time; one thread by default: on a loaded
             machine two threads wait on each other at every barrier)

Held-out text: documents of the stdlib-docs corpus that distillation never trains on
(every 10th, as `lmforge prune` holds them out) and the last 10% of tinyshakespeare
(../shared/data, if present): neither is seen in training or calibration. Writes
results.json and prints a markdown table.
"""

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

MODEL = "smollm2-135m-instruct"
QUANTS = ("f32", "f16", "q8_0", "q4_0", "q4_k")
# name -> (kv groups kept of 3, query heads kept per group of 3, share of MLP channels kept)
WIDTHS = {"pruned-25": (2, 3, 0.75), "pruned-50": (2, 2, 0.5)}
BLOCK, EVAL_BLOCKS, DECODE_TOKENS = 128, 2, 16  # small: 2 cores shared by 7 jobs
PROMPT = "The history of the Python programming language"
SHAKESPEARE = Path(__file__).resolve().parents[2] / "shared" / "data" / "tinyshakespeare.txt"


# -- held-out tokens ---------------------------------------------------------------------------

def held_out_tokens(tokenizer) -> dict[str, np.ndarray]:
    """{text name: (EVAL_BLOCKS, BLOCK + 1) token blocks} that no training step sees."""
    from lmforge.train.compress import text_tokens

    texts = {"docs": text_tokens(tokenizer)[1]}
    if SHAKESPEARE.is_file():
        text = SHAKESPEARE.read_text(encoding="utf-8")
        texts["shakespeare"] = np.array(tokenizer.encode(text[int(len(text) * 0.9):]))
    n = EVAL_BLOCKS * BLOCK + 1
    return {name: np.lib.stride_tricks.sliding_window_view(ids[:n], BLOCK + 1)[::BLOCK]
            for name, ids in texts.items()}


# -- prepare and prune ---------------------------------------------------------------------------

def prepare(out: Path) -> None:
    from lmforge.io.convert import write_model
    from lmforge.train.pipeline import load_policy

    model, tokenizer = load_policy(MODEL)
    for dtype in QUANTS:
        path = out / f"smollm2-{dtype}.gguf"
        if not path.is_file():
            write_model(model, tokenizer, "gguf", path, dtype)
            print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)", flush=True)
    np.savez(out / "held_out.npz", **held_out_tokens(tokenizer))


def prune(out: Path, steps: int, batch_size: int, lr: float, widths: list[str]) -> None:
    import torch

    from lmforge.io.convert import write_model
    from lmforge.train.compress import (
        calibration_ids,
        perplexity,
        recover,
        recovery_settings,
        text_tokens,
    )
    from lmforge.train.pipeline import frozen_copy, load_policy
    from lmforge.train.prune import parameter_count
    from lmforge.train.prune_structured import plan_width, prune_width

    model, tokenizer = load_policy(MODEL)
    teacher = frozen_copy(model)
    train, held = text_tokens(tokenizer)
    calibration = calibration_ids(train, 8, BLOCK)
    def ppl(m) -> float:
        return round(perplexity(m, held, BLOCK, EVAL_BLOCKS), 3)

    report = {"fp32": {"perplexity": ppl(teacher), "parameters": parameter_count(teacher)}}
    for name in widths:
        kv_groups, heads, mlp_keep = WIDTHS[name]
        width = plan_width(model.config, kv_groups, heads, mlp_keep)
        pruned = prune_width(model, width, "activation", calibration)
        entry = {"width": vars(width), "parameters": parameter_count(pruned),
                 "pruned_perplexity": ppl(pruned)}
        write_model(pruned, tokenizer, "gguf", out / f"smollm2-{name}.gguf", "f16")
        print(name, entry, flush=True)
        settings = recovery_settings(str(out / f"{name}-run"), batch_size=batch_size, lr=lr,
                                     block_size=BLOCK)
        settings = replace(settings, max_steps=steps, warmup_steps=max(1, steps // 10),
                           seed=0)
        torch.manual_seed(0)
        entry["distill"] = recover(pruned, train, settings, teacher=teacher)
        entry["distilled_perplexity"] = ppl(pruned)
        write_model(pruned, tokenizer, "gguf", out / f"smollm2-{name}-distilled.gguf", "f16")
        print(name, entry, flush=True)
        report[name] = entry
        (out / f"prune-{name}.json").write_text(json.dumps(report, indent=1) + "\n")


# -- measure: one runtime, one file, one process ---------------------------------------------------

def log_softmax(logits: np.ndarray) -> np.ndarray:
    shifted = logits - logits.max(-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))


def lmforge_runner(path: Path, threads: int):
    """(logits of a block, decode tokens per wall and CPU second) on lmforge."""
    import torch

    import lmforge
    from lmforge.infer import Engine, SamplingParams

    lm = lmforge.load(str(path))  # a quantized file runs on its blocks, F16/F32 in fp32
    torch.set_num_threads(threads)

    def logits(ids: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            x = torch.from_numpy(ids[None].astype(np.int64))
            return lm.model.logits(lm.model(x))[0].float().numpy()

    def decode(n: int = DECODE_TOKENS) -> list[int]:
        engine = Engine(lm.model, lm.tokenizer, max_batch_size=1)
        params = SamplingParams(max_tokens=n, temperature=0, ignore_eos=True)
        return engine.generate([PROMPT], params)[0].token_ids

    return logits, decode


def llama_cpp_runner(path: Path, threads: int):
    from llama_cpp import Llama

    llm = Llama(model_path=str(path), n_ctx=2 * BLOCK, n_threads=threads, logits_all=True,
                verbose=False)

    def logits(ids: np.ndarray) -> np.ndarray:
        llm.reset()
        llm.eval(ids.tolist())
        return np.array(llm.scores[:len(ids)], dtype=np.float32)

    def decode(n: int = DECODE_TOKENS) -> list[int]:
        prompt = llm.tokenize(PROMPT.encode(), add_bos=False)
        tokens = []
        for token in llm.generate(prompt, temp=0.0, top_k=1, reset=True):
            tokens.append(token)
            if len(tokens) == n:
                break
        return tokens

    return logits, decode


def measure_one(runtime: str, path: Path, out: Path, threads: int) -> dict:
    """Runs in a worker process (the parent reads its peak RSS)."""
    held = dict(np.load(out / "held_out.npz"))
    runner = lmforge_runner if runtime == "lmforge" else llama_cpp_runner
    logits, decode = runner(path, threads)
    result = {}
    reference_file = out / "fp32_logprobs.npy"
    log_probs = []
    for name, blocks in held.items():
        nll, count = 0.0, 0
        for block in blocks:
            lp = log_softmax(logits(block[:-1]))
            nll -= lp[np.arange(BLOCK), block[1:]].sum()
            count += BLOCK
            if name == "docs":
                log_probs.append(lp)
        result[f"ppl_{name}"] = round(math.exp(nll / count), 3)
    log_probs = np.concatenate(log_probs)
    if runtime == "lmforge" and path.name == "smollm2-f32.gguf":
        np.save(reference_file, log_probs)  # the fp32 reference every file is compared to
    reference = np.load(reference_file)
    kl = (np.exp(reference) * (reference - log_probs)).sum(-1)
    result["kl_to_fp32"] = round(float(kl.mean()), 5)
    result["top1_agreement"] = round(float((reference.argmax(-1) == log_probs.argmax(-1)).mean()),
                                     4)
    decode(2)  # warm-up
    wall, cpu = time.perf_counter(), time.process_time()
    n = len(decode())
    result["decode_tok_s"] = round(n / (time.perf_counter() - wall), 2)
    result["decode_tok_per_cpu_s"] = round(n / (time.process_time() - cpu), 2)
    return result


ROWS = [*QUANTS, *(f"{n}{s}" for n in WIDTHS for s in ("", "-distilled"))]


def measure(out: Path, threads: int, rows: list[str]) -> None:
    """Each (file, runtime) once: measured/<row>.<runtime>.json is kept, so runs resume and
    several can share the work (the f32 row first: it writes the reference)."""
    (out / "measured").mkdir(exist_ok=True)
    for name in rows:
        path = out / f"smollm2-{name}.gguf"
        if not path.is_file():
            print(f"skip {path.name}: not written (run the prepare / prune stages)", flush=True)
            continue
        for runtime in ("lmforge", "llama.cpp"):
            done = out / "measured" / f"{name}.{runtime}.json"
            if done.is_file():
                continue
            worker = subprocess.run(
                [sys.executable, __file__, "--worker", runtime, "--file", str(path), "--out",
                 str(out), "--threads", str(threads)],
                capture_output=True, text=True, check=False)
            if worker.returncode != 0:
                raise SystemExit(f"{runtime} on {path.name} failed:\n{worker.stderr[-2000:]}")
            result = json.loads(worker.stdout.strip().splitlines()[-1])
            result.update(file_mib=round(path.stat().st_size / 2**20, 1),
                          load_average=os.getloadavg()[0],
                          date=time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()))
            done.write_text(json.dumps(result) + "\n")
            print(path.name, runtime, result, flush=True)


def collected(out: Path) -> dict:
    """{row: {runtime: result}} for every measurement on disk, in ROWS order."""
    results = {}
    for name in ROWS:
        found = {runtime: json.loads(p.read_text()) for runtime in ("lmforge", "llama.cpp")
                 if (p := out / "measured" / f"{name}.{runtime}.json").is_file()}
        if found:
            results[name] = found
    return results


def worker_main(args) -> None:
    result = measure_one(args.worker, Path(args.file), Path(args.out), args.threads)
    # peak RSS of this process, model and runtime included (ru_maxrss is KiB on Linux)
    result["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                                   1)
    sys.stdout.write(json.dumps(result) + "\n")


# -- report ------------------------------------------------------------------------------------

def table(results: dict) -> str:
    head = ("| model | file MiB | runtime | ppl docs | ppl shakespeare | KL to fp32 | top-1 "
            "agree | decode tok/s | tok per CPU-s | peak RSS MiB |")
    lines = [head, "|" + "---|" * 10]
    for name, row in results.items():
        for runtime, r in row.items():
            lines.append(f"| {name} | {r['file_mib']} | {runtime} | {r['ppl_docs']} | "
                         f"{r.get('ppl_shakespeare', '-')} | {r['kl_to_fp32']} | "
                         f"{r['top1_agreement']} | {r['decode_tok_s']} | "
                         f"{r['decode_tok_per_cpu_s']} | {r['peak_rss_mib']} |")
    return "\n".join(lines)


def cpu_name() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default="runs/compression")
    parser.add_argument("--stage", choices=("all", "prepare", "prune", "measure", "report"),
                        default="all")
    parser.add_argument("--widths", nargs="+", choices=list(WIDTHS), default=list(WIDTHS))
    parser.add_argument("--rows", nargs="+", choices=ROWS, default=ROWS,
                        help="files to measure (f32 first: it is the reference)")
    parser.add_argument("--distill-steps", type=int, default=30)
    parser.add_argument("--batch-size", type=int, default=2)
    parser.add_argument("--lr", type=float, default=3e-4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--worker", choices=("lmforge", "llama.cpp"))
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.worker:
        return worker_main(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    import torch

    torch.set_num_threads(args.threads)
    started = time.time()
    if args.stage in ("all", "prepare"):
        prepare(out)
    if args.stage in ("all", "prune"):
        prune(out, args.distill_steps, args.batch_size, args.lr, args.widths)
    if args.stage in ("all", "measure"):
        measure(out, args.threads, args.rows)
    if args.stage in ("all", "report"):
        results = collected(out)
        meta = {"cpu": cpu_name(), "threads": args.threads, "load_average": os.getloadavg(),
                "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "wall_s": round(time.time() - started)}
        (out / "results.json").write_text(json.dumps({"meta": meta, "rows": results},
                                                     indent=1) + "\n")
        print(table(results))
        print(f"\n{meta}")


if __name__ == "__main__":
    main()
