"""Commands for verifiable rewards and RL: sandbox run, grpo, ppo, distill, prune.

    lmforge sandbox run solution.py --timeout 5 --memory-mb 256
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import app

sandbox_app = typer.Typer(no_args_is_help=True, help="Run untrusted Python with limits.")
app.add_typer(sandbox_app, name="sandbox")


@sandbox_app.command("run")
def sandbox_run(
    file: Annotated[Path, typer.Argument(help="The Python file to run.")],
    timeout: Annotated[float, typer.Option(help="Wall-clock limit in seconds.")] = 10.0,
    memory_mb: Annotated[float, typer.Option(help="Address-space limit in MiB.")] = 512.0,
    cpu_s: Annotated[float | None, typer.Option(help="CPU-time limit (default: timeout).")]
    = None,
    stdin: Annotated[Path | None, typer.Option(help="File fed to the program's stdin.")]
    = None,
):
    """Run FILE.py in the sandbox and print one JSON object (status, returncode, stdout,
    stderr, wall_s)."""
    from lmforge.verify.sandbox import run_python

    code = file.read_text(encoding="utf-8")
    stdin_text = stdin.read_text(encoding="utf-8") if stdin is not None else None
    result = run_python(code, timeout_s=timeout, memory_mb=memory_mb, cpu_s=cpu_s,
                        stdin=stdin_text)
    sys.stdout.write(result.to_json() + "\n")


EXTRA = {"allow_extra_args": True, "ignore_unknown_options": True}


def _overrides(ctx: typer.Context, named: dict) -> tuple[str | None, dict]:
    from lmforge.cli.argv import extra_options

    config, overrides = extra_options(ctx.args)
    overrides.update({k: v for k, v in named.items() if v is not None})
    return named.get("config") or config, overrides


@app.command(context_settings=EXTRA)
def grpo(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(help="Recipe YAML (rl, train sections).")]
    = None,
    task: Annotated[str | None, typer.Option(help="arithmetic, python, json or a tasks "
                                             "JSONL file.")] = None,
    out: Annotated[str | None, typer.Option(help="Run folder (train.out_dir).")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimizer steps.")] = None,
):
    """GRPO with verifiable rewards; every recipe key is an option too (--level 2,
    --group-size 8, --lora-rank 16, --beta 0.04, --lr 2e-4). Prints held-out results as JSON."""
    from lmforge.train.rl import grpo as run

    named = {"task": task, "out_dir": out, "max_steps": max_steps}
    recipe, overrides = _overrides(ctx, {**named, "config": None})
    results = run(config or recipe, **overrides)
    summary = {k: results.get(k) for k in ("before", "after", "train_seconds")}
    summary["out"] = results["train"]["out_dir"]
    sys.stdout.write(json.dumps(summary, default=str) + "\n")


@app.command(context_settings=EXTRA)
def ppo(
    ctx: typer.Context,
    reward_model: Annotated[str | None, typer.Option(help="Reward model folder from "
                                                     "`lmforge rm`.")] = None,
    config: Annotated[str | None, typer.Option(help="Recipe YAML (rl, train sections).")]
    = None,
    out: Annotated[str | None, typer.Option(help="Run folder (train.out_dir).")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimizer steps.")] = None,
):
    """PPO (RLHF) against a trained reward model; prompts from --task (a JSONL with
    'prompt' fields, or a generated task's prompts). Prints held-out reward as JSON."""
    from lmforge.train.rl import ppo as run

    named = {"reward_model": reward_model, "out_dir": out, "max_steps": max_steps}
    recipe, overrides = _overrides(ctx, named)
    results = run(config or recipe, **overrides)
    summary = {k: results.get(k) for k in ("before", "after", "train_seconds")}
    sys.stdout.write(json.dumps(summary, default=str) + "\n")


@app.command()
def prune(
    model: Annotated[str, typer.Argument(help="Model to prune: bundled name, folder, .gguf.")],
    out: Annotated[str, typer.Option(help="Folder for the pruned model and results.json.")],
    method: Annotated[str, typer.Option(help="magnitude (unstructured) or structured.")]
    = "magnitude",
    sparsity: Annotated[float, typer.Option(help="magnitude: share of block weights zeroed.")]
    = 0.5,
    kv_groups: Annotated[int | None, typer.Option(help="structured: kv groups kept (each "
                                                  "with its query heads).")] = None,
    heads_per_group: Annotated[int | None, typer.Option(help="structured: query heads kept "
                                                        "per kv group.")] = None,
    mlp_keep: Annotated[float, typer.Option(help="structured: share of MLP channels kept.")]
    = 1.0,
    importance: Annotated[str, typer.Option(help="structured: magnitude (weights) or "
                                            "activation (on calibration text).")]
    = "magnitude",
    calibration_blocks: Annotated[int, typer.Option(help="activation: blocks of 256 "
                                                    "training tokens scored.")] = 16,
    recover_with: Annotated[str, typer.Option(help="distill (KL on the unpruned model's "
                                              "logits) or sft.")] = "distill",
    recover_steps: Annotated[int, typer.Option(help="Recovery fine-tune steps (0: none).")]
    = 50,
    max_documents: Annotated[int, typer.Option(help="Corpus documents read (stdlib docs).")]
    = 400,
    eval_blocks: Annotated[int, typer.Option(help="Held-out blocks of 256 tokens for "
                                             "perplexity.")] = 16,
    batch_size: Annotated[int, typer.Option(help="Recovery: blocks per step.")] = 4,
    lr: Annotated[float, typer.Option(help="Recovery: learning rate.")] = 5e-5,
):
    """Prune, fine-tune briefly to recover (distillation from the unpruned model by default),
    and print perplexity / size / decode speed before, after pruning and after recovery
    (JSON). structured removes whole kv groups, heads and MLP channels: a smaller model."""
    from lmforge.train.compress import recovery_settings, run_prune

    settings = recovery_settings(out, batch_size=batch_size, lr=lr)
    results = run_prune(model, out, method, sparsity, heads_per_group, mlp_keep,
                        recover_steps, settings, max_documents=max_documents,
                        eval_blocks=eval_blocks, kv_groups=kv_groups, importance=importance,
                        recover_with=recover_with, calibration_blocks=calibration_blocks)
    sys.stdout.write(json.dumps(results) + "\n")


@app.command()
def distill(
    out: Annotated[str, typer.Option(help="Folder for the student and results.json.")],
    teacher: Annotated[str, typer.Option(help="Teacher model.")] = "smollm2-135m-instruct",
    hidden_size: Annotated[int, typer.Option(help="Student width.")] = 256,
    layers: Annotated[int, typer.Option(help="Student layers.")] = 6,
    heads: Annotated[int, typer.Option(help="Student attention heads.")] = 4,
    kv_heads: Annotated[int, typer.Option(help="Student kv heads.")] = 2,
    intermediate_size: Annotated[int, typer.Option(help="Student MLP width.")] = 768,
    temperature: Annotated[float, typer.Option(help="Softmax temperature T.")] = 2.0,
    alpha: Annotated[float, typer.Option(help="Weight of the soft (teacher) term.")] = 0.5,
    max_steps: Annotated[int, typer.Option(help="Optimizer steps.")] = 200,
    lr: Annotated[float, typer.Option(help="Peak learning rate.")] = 1e-3,
    batch_size: Annotated[int, typer.Option(help="Blocks per step.")] = 8,
    block_size: Annotated[int, typer.Option(help="Tokens per block.")] = 256,
):
    """Distill the teacher into a small student (same vocabulary) on the stdlib docs; print
    perplexity / size / decode speed of both (JSON)."""
    from lmforge.train.compress import run_distill
    from lmforge.train.settings import TrainSettings

    settings = TrainSettings(out_dir=out, max_steps=max_steps, batch_size=batch_size,
                             block_size=block_size, lr=lr, min_lr=lr / 10,
                             warmup_steps=max(1, max_steps // 20), weight_decay=0.0,
                             eval_every=0, log_every=10, checkpoint_every=0, keep_last=0,
                             tensorboard=False)
    results = run_distill(teacher, out, hidden_size, layers, heads, kv_heads,
                          intermediate_size, temperature, alpha, settings)
    sys.stdout.write(json.dumps(results) + "\n")
