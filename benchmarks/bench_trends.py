"""Dense vs mixture-of-experts vs Mamba: one corpus, one budget, one process (docs/trends.md).

    nice -n 5 python benchmarks/bench_trends.py --data ../shared/data/tinyshakespeare.txt \\
        --budget 45 --out runs/trends

Three small decoders of about the same *active* parameters per token (~0.45M) train on the
same character-level corpus (one tokenizer, one split, the same batches in the same order)
with the same optimizer settings, each for the same budget of CPU seconds on one thread:

    dense   Llama block: 4 layers, 96 wide, 4 heads, SwiGLU 256
    moe     Mixtral block: the same attention, 4 SwiGLU experts of 128, top-2 (= 256 active)
    mamba   4 Mamba blocks, 128 wide, D 256 channels with a 16-number state each

The budget is CPU time, not wall time: on a shared machine wall time measures the other
jobs; one thread's CPU seconds are what an idle core would give. Each run stops when its
training steps (evaluation excluded) have used the budget. Its cosine schedule is planned
for the steps that timing its first steps predicts; a run whose steps come out faster
goes on at the final learning rate (up to 1.5x the predicted steps) until the budget is
spent.

Reported per model: validation loss (20 fixed blocks of the 10% held out), training tokens
per CPU second (evaluation excluded) and per wall second, then through the Engine (fp32,
greedy, one sequence): decode tokens per CPU second and the cache memory the sequence holds
after a prompt of 256, 1,024 and 4,096 tokens (KV blocks x block bytes, or the Mamba state),
read from the Engine's own accounting. The MoE's per-expert load over training goes to
trends-expert-load.png, the three validation curves and cache sizes to trends.png.

Output: one line per step of the work, a markdown table, and as the last line one JSON
object with every number (also written to OUT/trends.json).
"""

import argparse
import json
import platform
import time
from pathlib import Path

import torch

from lmforge.infer import Engine, SamplingParams
from lmforge.infer.kv_pool import KVPool
from lmforge.infer.state_pool import StatePool
from lmforge.io.hf_tokenizer import load_hf_tokenizer
from lmforge.train.objectives import RunParts
from lmforge.train.pipeline import load_settings, objective_for_kind
from lmforge.train.pretrain import (
    build_config,
    build_loaders,
    build_model,
    ensure_prepared,
    ensure_tokenizer,
)
from lmforge.train.trainer import Trainer

COMMON = {"kind": "decoder", "num_hidden_layers": 4, "max_position_embeddings": 64,
          "norm": "rmsnorm", "activation": "silu", "tie_word_embeddings": True}
MODELS = {
    "dense": {"arch": "llama", "hidden_size": 96, "num_attention_heads": 4,
              "intermediate_size": 256, "position": "rope", "mlp": "swiglu"},
    "moe": {"arch": "mixtral", "hidden_size": 96, "num_attention_heads": 4,
            "intermediate_size": 128, "position": "rope", "mlp": "swiglu", "num_experts": 4,
            "num_experts_per_tok": 2},
    "mamba": {"arch": "mamba", "hidden_size": 128, "num_attention_heads": 1,
              "intermediate_size": 256, "position": "none", "state_size": 16},
}
TRAIN = {"batch_size": 12, "block_size": 64, "lr": 2e-3, "min_lr": 2e-4, "warmup_steps": 30,
         "weight_decay": 0.1, "beta2": 0.99, "grad_clip": 1.0, "eval_batches": 20,
         "num_threads": 1, "precision": "fp32", "sample_every": 0, "progress": False}
CONTEXTS = (256, 1024, 4096)  # the default --contexts
DECODE_TOKENS = 16
CALIBRATION_STEPS = 10


def settings(name: str, data: str, out: Path, run_dir: Path | None = None, **train):
    """The pretrain settings for one model (recipe-free: everything is given here); the
    tokenizer and token split live in `out`, the run's checkpoints in `run_dir`."""
    overrides = {f"train.{k}": v for k, v in {**TRAIN, **train}.items()}
    overrides.update({"data.source": data, "data.tokenizer_kind": "char",
                      "data.vocab_size": 256, "data.val_fraction": 0.1,
                      "data.tokenizer": str(out / "tokenizer"),
                      "data.prepared_dir": str(out / "data"),
                      "train.out_dir": str(run_dir or out / name)})
    train_s, data_s, model_dict = load_settings("pretrain", None, overrides)
    # the model section as a dict, as a recipe's (an override string "none" would read None)
    return train_s, data_s, {**model_dict, **COMMON, **MODELS[name]}


def shared_data(data: str, out: Path) -> None:
    """One character tokenizer and one token split for all three models."""
    train, data_settings, _ = settings("dense", data, out)
    data_settings.tokenizer = ""  # train it once, into out/tokenizer
    train.out_dir = str(out)
    ensure_tokenizer(data_settings, train, "decoder")
    data_settings.tokenizer = str(out / "tokenizer")
    ensure_prepared(data_settings, train, out / "tokenizer")


def make_trainer(name: str, data: str, out: Path, run_dir: Path | None = None, **train):
    train_s, data_s, model_dict = settings(name, data, out, run_dir, **train)
    tokenizer = load_hf_tokenizer(out / "tokenizer")
    config = build_config(model_dict, tokenizer, train_s, name)
    model = build_model(config, train_s.seed)
    objective = objective_for_kind("decoder").from_settings(config, RunParts(model, tokenizer,
                                                                             train_s.seed))
    loaders = build_loaders(data_s, train_s, tokenizer, config, out / "tokenizer")
    return Trainer(model, objective, loaders[0], train_s, loaders[1], tokenizer)


def active_parameters(model) -> int:
    """Parameters one token passes through: a MoE counts top-k of its n experts."""
    c, total = model.config, model.num_parameters()
    if not c.num_experts:
        return total
    experts = sum(p.numel() for n, p in model.named_parameters() if ".experts." in n)
    return total - experts + experts * c.num_experts_per_tok // c.num_experts


def seconds_per_step(name: str, data: str, out: Path) -> float:
    """CPU seconds of one training step, from steps 4..CALIBRATION_STEPS of a throwaway run."""
    trainer = make_trainer(name, data, out, out / "calibration", max_steps=CALIBRATION_STEPS,
                           eval_every=0, log_every=CALIBRATION_STEPS)
    trainer._reset_interval()  # the counters fit() would set up
    for _ in range(3):  # the first steps pay one-off costs (allocations, warm caches)
        trainer.train_step()
    start = time.process_time()
    for _ in range(CALIBRATION_STEPS - 3):
        trainer.train_step()
    return (time.process_time() - start) / (CALIBRATION_STEPS - 3)


def train(name: str, data: str, out: Path, budget: float) -> dict:
    per_step = seconds_per_step(name, data, out)
    steps = max(20, int(budget / per_step))  # the schedule's length
    trainer = make_trainer(name, data, out, max_steps=int(1.5 * steps), lr_decay_steps=steps,
                           eval_every=max(1, steps // 2), log_every=max(1, steps // 20))
    eval_cpu = [0.0]
    evaluate = trainer.evaluate

    def timed_evaluate():  # evaluation's CPU time is not training time
        start = time.process_time()
        row = evaluate()
        eval_cpu[0] += time.process_time() - start
        return row

    def stop_past_budget(trainer_, step):  # training CPU time, evaluation excluded
        trainer_.stop_requested = time.process_time() - cpu_start - eval_cpu[0] >= budget

    trainer.evaluate = timed_evaluate
    trainer.objective.before_step = stop_past_budget
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    final = trainer.fit()
    cpu, wall = time.process_time() - cpu_start, time.perf_counter() - wall_start
    last_eval = trainer.history[-1] if trainer.history else {}
    fresh = last_eval.get("step") == trainer.step and "val_loss" in last_eval
    val_loss = final["val_loss"] if fresh else timed_evaluate()["val_loss"]
    tokens = trainer.step * TRAIN["batch_size"] * TRAIN["block_size"]
    model = trainer.model.eval()
    return {"model": model, "active_params": active_parameters(model),
            "total_params": model.num_parameters(), "steps": trainer.step,
            "schedule_steps": steps, "seconds_per_step_estimate": per_step,
            "train_cpu_s": cpu - eval_cpu[0], "val_loss": val_loss,
            "train_tokens_per_cpu_s": tokens / max(cpu - eval_cpu[0], 1e-9),
            "train_tokens_per_wall_s": final["train_tokens_per_s"], "cpu_s": cpu,
            "wall_s": wall, "history": trainer.history}


def decode(model, prompt_source: list[int], contexts: tuple[int, ...]) -> dict:
    """Decode tokens per CPU second and the cache the sequence holds, per prompt length."""
    engine = Engine(model, max_batch_size=1, max_seq_len=max(contexts) + DECODE_TOKENS + 1,
                    num_threads=1)
    params = SamplingParams(temperature=0, max_tokens=DECODE_TOKENS, ignore_eos=True)
    rows = {}
    for n in contexts:
        prompt = (prompt_source * (n // len(prompt_source) + 1))[:n]
        times, held = [], 0
        for _ in engine.stream([prompt], params):
            times.append((time.process_time(), time.perf_counter()))
            if len(times) == 1:  # prefill done, the sequence holds its cache now
                held = cache_bytes(engine, model)
        steps = len(times) - 1  # decode steps after the first token (which came with prefill)
        rows[n] = {"decode_tokens_per_cpu_s": steps / (times[-1][0] - times[0][0]),
                   "decode_tokens_per_wall_s": steps / (times[-1][1] - times[0][1]),
                   "cache_bytes": held}
    return rows


def cache_bytes(engine: Engine, model) -> int:
    used = engine.stats()["kv_blocks_used"]
    if model.config.is_recurrent:
        return used * StatePool.bytes_per_sequence(model)
    return used * engine.block_manager.block_size * KVPool.bytes_per_token(model)


def plot(results: dict, out: Path, contexts: tuple[int, ...]) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (curves, memory) = plt.subplots(1, 2, figsize=(10, 4))
    for name, r in results.items():
        points = [(row["step"] * TRAIN["batch_size"] * TRAIN["block_size"], row["val_loss"])
                  for row in r["history"] if "val_loss" in row]
        curves.plot(*zip(*points, strict=True), marker="o", label=name)
        same = name == "moe" and "dense" in results  # the same attention: the same KV cache
        memory.plot(contexts, [r["decode"][n]["cache_bytes"] / 1024 for n in contexts],
                    marker="o", linestyle="--" if same else "-",
                    label=f"{name} (= dense)" if same else name)
    curves.set(xlabel="training tokens", ylabel="validation loss",
               title="same CPU-time budget, same data")
    curves.xaxis.set_major_formatter(lambda tokens, _: f"{tokens / 1e3:.0f}K")
    memory.set(xscale="log", yscale="log", xlabel="context (tokens)",
               ylabel="cache held by the sequence (KiB)", title="decode memory")
    memory.minorticks_off()
    memory.set_xticks(contexts, [str(n) for n in contexts])
    for ax in (curves, memory):
        ax.legend()
    fig.tight_layout()
    paths = [out / "trends.png", out / "trends-expert-load.png"]
    fig.savefig(paths[0], dpi=120)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    rows = [r for r in results["moe"]["history"] if "expert_load_0" in r]
    n_experts = MODELS["moe"]["num_experts"]
    for e in range(n_experts):
        ax.plot([r["step"] for r in rows], [r[f"expert_load_{e}"] for r in rows],
                label=f"expert {e}")
    ax.axhline(1 / n_experts, color="grey", linestyle=":", label="balanced")
    ax.set(xlabel="step", ylabel="share of routed slots (mean over layers)",
           title="MoE expert load over training")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(paths[1], dpi=120)
    return paths


def table(results: dict, contexts: tuple[int, ...]) -> str:
    head = ("| model | active / total params | steps (CPU s) | val loss | train tok/CPU-s | "
            + " | ".join(f"decode tok/CPU-s @{n}" for n in contexts) + " | "
            + " | ".join(f"cache @{n}" for n in contexts) + " |")
    lines = [head, "|" + " --- |" * (5 + 2 * len(contexts))]
    for name, r in results.items():
        d = r["decode"]
        lines.append(
            f"| {name} | {r['active_params'] / 1e3:.0f}K / {r['total_params'] / 1e3:.0f}K | "
            f"{r['steps']} ({r['train_cpu_s']:.0f}) | {r['val_loss']:.3f} | "
            f"{r['train_tokens_per_cpu_s']:,.0f} | "
            + " | ".join(f"{d[n]['decode_tokens_per_cpu_s']:.0f}" for n in contexts) + " | "
            + " | ".join(f"{d[n]['cache_bytes'] / 1024:,.1f} KiB" for n in contexts) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", required=True, help="a text file (tinyshakespeare.txt)")
    parser.add_argument("--budget", type=float, default=45.0,
                        help="CPU seconds of training per model (one thread)")
    parser.add_argument("--out", default="runs/trends")
    parser.add_argument("--models", default="dense,moe,mamba")
    parser.add_argument("--contexts", default=",".join(map(str, CONTEXTS)),
                        help="prompt lengths for the decode measurements")
    args = parser.parse_args()
    contexts = tuple(int(n) for n in args.contexts.split(","))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    print(f"{platform.processor() or platform.machine()}, torch {torch.__version__}, "
          f"budget {args.budget:.0f} CPU-s per model", flush=True)
    shared_data(args.data, out)
    prompt_source = load_hf_tokenizer(out / "tokenizer").encode(
        Path(args.data).read_text(encoding="utf-8")[-20000:])
    results = {}
    for name in args.models.split(","):
        print(f"{name}: training", flush=True)
        results[name] = train(name, args.data, out, args.budget)
        r = results[name]
        print(f"{name}: {r['steps']} steps, val {r['val_loss']:.3f}, "
              f"{r['train_tokens_per_cpu_s']:,.0f} tok/CPU-s; decoding", flush=True)
        with torch.inference_mode():
            r["decode"] = decode(r.pop("model"), prompt_source, contexts)
        print(f"{name}: {json.dumps(r['decode'])}", flush=True)
    if {"dense", "moe", "mamba"} <= set(results):
        print("plots:", *plot(results, out, contexts), flush=True)
    print(table(results, contexts))
    summary = {name: {k: v for k, v in r.items() if k != "history"}
               for name, r in results.items()}
    summary["expert_load"] = [{k: v for k, v in row.items()
                               if k == "step" or k.startswith("expert_load")}
                              for row in results.get("moe", {}).get("history", [])
                              if "expert_load_0" in row]
    histories = {name: r["history"] for name, r in results.items()}
    (out / "trends.json").write_text(json.dumps({**summary, "history": histories}, indent=1))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
