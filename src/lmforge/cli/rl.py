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
    from lmforge.errors import ConfigError
    from lmforge.train.pretrain import parse_argv

    try:
        config, _, overrides = parse_argv(list(ctx.args))
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
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
