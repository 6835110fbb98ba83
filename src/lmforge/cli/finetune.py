"""Commands that fine-tune: sft, rm (and rm score), dpo, merge.

    lmforge sft --model smollm2-135m-instruct --data chat.jsonl --out runs/sft --lora-rank 8
    lmforge rm  --data pairs.jsonl --out runs/rm --lora-rank 8
    lmforge rm score --model runs/rm --prompt "What is 2 plus 2?" --response "4."
    lmforge dpo --data pairs.jsonl --out runs/dpo --lora-rank 8 --beta 0.1
    lmforge merge smollm2-135m-instruct runs/sft --out runs/sft-merged

Every recipe key is a flag too (`--block-size 512`, `--eval-every 20`); `--config` reads
a recipe with finetune/train sections (recipes/sft-lora-smollm2.yaml). Under torchrun:

    torchrun --nproc_per_node 2 -m lmforge.cli sft --config recipes/sft-lora-smollm2.yaml \\
        --out runs/sft-ddp --strategy ddp
"""

import json
import sys
from typing import Annotated

import typer

from lmforge.cli.app import app

# a group (for `rm score`): recipe keys beyond the options below go in --config
rm_app = typer.Typer(help="Train a reward model (or score with one: `rm score`).",
                     invoke_without_command=True, no_args_is_help=False)
app.add_typer(rm_app, name="rm")

Model = Annotated[str | None, typer.Option(help="Base model: bundled name, folder, .gguf.")]
Data = Annotated[str | None, typer.Option(help="JSONL data (format recognised from line 1).")]
Out = Annotated[str | None, typer.Option(help="Output folder (model or PEFT adapter).")]
Rank = Annotated[int | None, typer.Option(help="LoRA rank (omit: train all weights).")]
Alpha = Annotated[float | None, typer.Option(help="LoRA alpha.")]
Targets = Annotated[str | None, typer.Option(help="LoRA target regex, e.g. 'q_proj|v_proj'.")]
QLoRA = Annotated[bool, typer.Option(help="Freeze the base in int4 under the adapters.")]
Steps = Annotated[int | None, typer.Option(help="Optimizer steps.")]
LR = Annotated[float | None, typer.Option(help="Peak learning rate.")]
Batch = Annotated[int | None, typer.Option(help="Examples per step (over all ranks).")]
Seed = Annotated[int | None, typer.Option(help="Seed for data order and init.")]
Config = Annotated[str | None, typer.Option(help="Recipe YAML (finetune, train sections).")]
Resume = Annotated[bool, typer.Option(help="Continue from the latest checkpoint in --out.")]
EXTRA = {"allow_extra_args": True, "ignore_unknown_options": True}


# the named options -> their recipe keys (the rest arrive as --key value in ctx.args)
KEYS = {"model": "model", "data": "data", "out": "out_dir", "lora_rank": "lora_rank",
        "lora_alpha": "lora_alpha", "lora_targets": "lora_targets", "max_steps": "max_steps",
        "lr": "lr", "batch_size": "batch_size", "seed": "seed", "beta": "beta"}


def _run(objective: str, ctx: typer.Context, named: dict) -> None:
    from lmforge.cli.argv import extra_options
    from lmforge.cli.train import print_result
    from lmforge.train.finetune import finetune

    _, overrides = extra_options(ctx.args)
    overrides.update({KEYS[k]: v for k, v in named.items() if v is not None and k in KEYS})
    if named.get("qlora"):
        overrides["qlora"] = True
    if named.get("resume"):
        overrides["resume"] = "latest"
    config = named.get("config")
    overrides.setdefault("objective", objective)
    if not config and "out_dir" not in overrides:
        raise typer.BadParameter("--out is required (or a recipe with train.out_dir)")
    print_result(finetune(config, **overrides))


@app.command(context_settings=EXTRA)
def sft(ctx: typer.Context, model: Model = None, data: Data = None, out: Out = None,
        lora_rank: Rank = None, lora_alpha: Alpha = None, lora_targets: Targets = None,
        qlora: QLoRA = False, max_steps: Steps = None, lr: LR = None, batch_size: Batch = None,
        seed: Seed = None, config: Config = None, resume: Resume = False):
    """Supervised fine-tuning on chat or Alpaca JSONL (loss on assistant tokens only)."""
    _run("sft", ctx, locals())


@app.command(context_settings=EXTRA)
def dpo(ctx: typer.Context, model: Model = None, data: Data = None, out: Out = None,
        lora_rank: Rank = None, lora_alpha: Alpha = None, lora_targets: Targets = None,
        qlora: QLoRA = False, beta: Annotated[float | None, typer.Option(
            help="DPO beta: pull towards the reference.")] = None,
        max_steps: Steps = None, lr: LR = None, batch_size: Batch = None, seed: Seed = None,
        config: Config = None, resume: Resume = False):
    """Direct Preference Optimization on {"prompt", "chosen", "rejected"} JSONL."""
    _run("dpo", ctx, locals())


@rm_app.callback()
def rm(ctx: typer.Context, model: Model = None, data: Data = None, out: Out = None,
       lora_rank: Rank = None, lora_alpha: Alpha = None, lora_targets: Targets = None,
       qlora: QLoRA = False, max_steps: Steps = None, lr: LR = None, batch_size: Batch = None,
       seed: Seed = None, config: Config = None, resume: Resume = False):
    """Train a reward model (Bradley-Terry) on {"prompt", "chosen", "rejected"} JSONL."""
    if ctx.invoked_subcommand is not None:
        return
    _run("reward", ctx, {k: v for k, v in locals().items() if k != "ctx"})


@rm_app.command("score")
def rm_score(
    model: Annotated[str, typer.Option(help="Reward model folder written by `lmforge rm`.")],
    prompt: Annotated[str | None, typer.Option(help="The prompt (user turn).")] = None,
    response: Annotated[list[str] | None, typer.Option(help="A reply to score "
                                                       "(repeatable).")] = None,
    data: Annotated[str | None, typer.Option(help="JSONL of {prompt, response} or "
                                             "{prompt, chosen, rejected}.")] = None,
):
    """Score replies with a trained reward model: one JSON line per reply."""
    from lmforge.train.reward_model import RewardModel

    pairs = _score_pairs(prompt, response, data)
    rm_model = RewardModel.load(model)
    for start in range(0, len(pairs), 16):
        chunk = pairs[start:start + 16]
        for (p, r), score in zip(chunk, rm_model.score_batch(chunk), strict=True):
            sys.stdout.write(json.dumps({"prompt": p, "response": r, "score": score}) + "\n")


def _score_pairs(prompt, responses, data) -> list[tuple]:
    from lmforge.data.jsonl import iter_jsonl
    from lmforge.errors import DataError

    if data:
        pairs = []
        for line, record in iter_jsonl(data):
            if "prompt" not in record:
                raise DataError(f"{data}:{line}: missing field 'prompt'")
            replies = [record[k] for k in ("response", "chosen", "rejected") if k in record]
            if not replies:
                raise DataError(f"{data}:{line}: needs 'response' (or 'chosen'/'rejected')")
            pairs += [(record["prompt"], r) for r in replies]
        return pairs
    if prompt is None or not responses:
        raise typer.BadParameter("give --prompt and --response, or --data FILE.jsonl")
    return [(prompt, r) for r in responses]


@app.command()
def merge(
    base: Annotated[str, typer.Argument(help="Base model the adapter was trained on.")],
    adapter: Annotated[str, typer.Argument(help="PEFT adapter folder.")],
    out: Annotated[str, typer.Option(help="Folder for the merged model (HF layout).")],
):
    """Merge a LoRA adapter into its base and write a full checkpoint."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.train.lora import load_adapter, merge_and_unload
    from lmforge.train.pipeline import load_policy

    model, tokenizer = load_policy(base)  # as it was trained: float, unfused linears
    load_adapter(model, adapter)
    model = merge_and_unload(model)
    save_hf_folder(model, out)
    save_hf_tokenizer(tokenizer, out)
    typer.echo(f"wrote {out}: {base} + {adapter} merged", err=True)
