"""Commands that train: tokenizer train, prepare, pretrain, quickstart."""

import json
import os
import sys
from typing import Annotated

import typer

from lmforge.cli.app import app, tokenizer_app


@tokenizer_app.command("train")
def tokenizer_train(
    sources: Annotated[list[str], typer.Argument(help="Text/JSONL/parquet files, folders, "
                                                 "or stdlib-docs (the embedded corpus).")],
    out: Annotated[str, typer.Option(help="Folder for tokenizer.json + tokenizer_config.json.")],
    vocab_size: Annotated[int, typer.Option(help="Vocabulary size (upper bound for char).")]
    = 8192,
    kind: Annotated[str, typer.Option(help="bpe (byte-level) or char (for teaching).")] = "bpe",
    min_frequency: Annotated[int, typer.Option(help="Merge only pairs seen this often.")] = 2,
    held_out: Annotated[float, typer.Option(help="Share of text held out for the report.")]
    = 0.05,
):
    """Train a tokenizer and report its compression (bytes per token) on held-out text."""
    from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer_from_files

    settings = TokenizerTrainSettings(vocab_size=vocab_size, kind=kind,
                                      min_frequency=min_frequency, held_out_fraction=held_out)
    report = _rounded(train_tokenizer_from_files(sources, out, settings))
    held = report["held_out"] or {}
    typer.echo(f"wrote {out}: vocab {report['vocab_size']:,}, {report['train_bytes']:,} bytes "
               f"in {report['train_seconds']} s; held-out bytes/token "
               f"{held.get('bytes_per_token', 'n/a')}", err=True)
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")


def _rounded(value, digits: int = 4):
    """Floats to `digits` decimals, all the way down (reports are read by people too)."""
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _rounded(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v, digits) for v in value]
    return value


@app.command()
def prepare(
    source: Annotated[str, typer.Argument(help="Text/JSONL/parquet file, folder, stdlib-docs, "
                                          "or a Hugging Face dataset name.")],
    tokenizer: Annotated[str, typer.Option(help="tokenizer.json or the folder holding it.")],
    out: Annotated[str, typer.Option(help="Folder for the token shards and manifest.json.")],
    val_fraction: Annotated[float, typer.Option(help="Share held out for validation.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Seed of the train/val split.")] = 1337,
    workers: Annotated[int, typer.Option(help="Tokenizer processes (0: one per core).")] = 0,
):
    """Tokenize a corpus once into memory-mapped train/val token shards."""
    from lmforge.data.prepare import PrepareSettings
    from lmforge.data.prepare import prepare as run
    from lmforge.data.sources import check_source

    check_source(source)  # an empty or missing source fails first, named
    manifest = run(PrepareSettings(source=source, tokenizer=tokenizer, out_dir=out,
                                   val_fraction=val_fraction, seed=seed, num_workers=workers))
    sys.stdout.write(json.dumps(manifest, ensure_ascii=False) + "\n")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def pretrain(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(help="Recipe YAML (sections model, data, "
                                               "train).")] = None,
    out: Annotated[str | None, typer.Option(help="Run folder (train.out_dir).")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimizer steps.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for init, data order, sampling.")]
    = None,
    strategy: Annotated[str | None, typer.Option(help="none, ddp or fsdp (under torchrun).")]
    = None,
    resume: Annotated[bool, typer.Option(help="Continue from the newest checkpoint in --out "
                                         "(a folder: --train.resume DIR).")] = False,
    nproc: Annotated[int, typer.Option(help="Processes: > 1 launches torchrun with these "
                                       "same options.")] = 1,
):
    """Pretrain from a recipe; every recipe key is an option too (--lr 3e-4, --data.source F).

    `torchrun --nproc_per_node N -m lmforge.cli pretrain` takes the same options. Ctrl-C
    saves a checkpoint after the current step and exits 130 (twice: stop at once).
    """
    from lmforge.cli.argv import extra_options
    from lmforge.errors import ConfigError
    from lmforge.train.pipeline import check_overrides
    from lmforge.train.pretrain import pretrain as run

    named = {"config": config, "out": out, "max-steps": max_steps, "seed": seed,
             "strategy": strategy}
    argv = [x for k, v in named.items() if v is not None for x in (f"--{k}", str(v))]
    argv += ["--resume"] * resume + ctx.args
    recipe, overrides = extra_options(argv)
    try:
        check_overrides("pretrain", overrides)
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    if nproc < 1:
        raise typer.BadParameter(f"--nproc must be >= 1, got {nproc}")
    if nproc > 1:
        import subprocess

        command = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node",
                   str(nproc), "-m", "lmforge.cli", "pretrain", *argv]
        raise typer.Exit(subprocess.call(command))
    print_result(run(recipe, **overrides))


def print_result(result: dict) -> None:
    """A run's result as one JSON line on stdout, from rank 0 alone (under torchrun every
    rank returns it); the per-evaluation curve stays in metrics.csv."""
    if int(os.environ.get("RANK", 0)) == 0:  # the process group is gone by now
        shown = {k: v for k, v in result.items() if k != "eval_curve"}
        sys.stdout.write(json.dumps(shown, default=str) + "\n")


@app.command()
def quickstart(
    out: Annotated[str, typer.Option(help="Run folder.")] = "runs/quickstart",
    max_steps: Annotated[int | None, typer.Option(help="Optimizer steps (default 1,200).")]
    = None,
):
    """Tokenizer -> data -> pretrain -> sample on the embedded corpus (minutes on a CPU)."""
    from lmforge.train.pretrain import quickstart as run

    if max_steps is not None and max_steps < 1:
        raise typer.BadParameter(f"--max-steps must be >= 1, got {max_steps}")
    metrics = run(out, **({"max_steps": max_steps} if max_steps else {}))
    typer.echo(f"sample: {metrics.get('sample', '')}", err=True)
    print_result(metrics)
