"""Fine-tuning from a recipe or the command line: base model + data + objective -> Trainer.

    lmforge sft --model smollm2-135m-instruct --data chat.jsonl --out runs/sft --lora-rank 8
    lmforge dpo --config recipes/dpo-smollm2.yaml
    torchrun --nproc_per_node 2 -m lmforge.cli sft --data chat.jsonl --out runs/sft \\
        --strategy ddp

A recipe has two sections, `finetune` (settings.FinetuneSettings) and `train` (TrainSettings:
steps, batch, lr, block_size as the packing length, ...). The objective is chosen by name
(`objective: sft | reward | dpo`); the data format is recognised from the file's first line.
Policy, reference and objective are set up by pipeline.py, as for pretraining and RL.
Without `lora_rank` every weight trains and `out` becomes a model folder in the HF layout;
with it `out` becomes a PEFT adapter folder. Either way `out` holds metrics.csv, loss.png
and checkpoints/.

Test: `pytest tests/train/test_finetune.py`.
"""

import sys
from pathlib import Path
from typing import Any

from lmforge.errors import ConfigError
from lmforge.train import distributed
from lmforge.train.pipeline import load_policy, load_settings, save_policy, set_up_training
from lmforge.train.settings import FinetuneSettings, TrainSettings

OBJECTIVE_FORMATS = {"sft": ("chat", "alpaca"), "reward": ("preference",),
                     "dpo": ("preference",)}


def finetune(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run a fine-tuning recipe (with overrides); return the final metrics."""
    ft, train = load_settings("finetune", recipe, overrides)
    with distributed.process_group(train.device):
        return run_finetune(ft, train)


def run_finetune(ft: FinetuneSettings, train: TrainSettings) -> dict:
    from lmforge.train.trainer import Trainer

    if not ft.data:
        raise ConfigError("no training data: give --data FILE.jsonl")
    model, tokenizer = load_policy(ft.model)
    model.train()
    train_set, held_out = build_datasets(ft, train, tokenizer)
    objective = set_up_training(ft.objective, ft, model, tokenizer, train.seed,
                                sample_prompts=held_out.get("prompts", []))
    loaders = build_loaders(train_set, held_out, train)
    trainer = Trainer(model, objective, loaders[0], train, loaders[1], tokenizer)
    _announce(model, ft, train)
    metrics = trainer.fit()
    if distributed.info().is_main:
        save_result(model, objective, tokenizer, ft, train.out_dir)
    metrics["out"] = train.out_dir
    return metrics


def build_datasets(ft: FinetuneSettings, train: TrainSettings, tokenizer):
    """Records -> (train examples, held-out examples) for the objective."""
    from lmforge.data.jsonl import read_records
    from lmforge.data.records import split_held_out

    path = _data_path(ft, train)
    expected = OBJECTIVE_FORMATS.get(ft.objective)
    kind, records = read_records(path, expected)
    examples = encode_records(records, kind, tokenizer, train.block_size, path)
    train_examples, held = split_held_out(examples, ft.held_out, train.seed)
    if kind in ("chat", "alpaca"):
        from lmforge.data.packing import pack

        return (pack([e[:2] for e in train_examples], train.block_size, ft.packing),
                {"blocks": pack([e[:2] for e in held], train.block_size, ft.packing),
                 "prompts": [e[2] for e in held]})
    return train_examples, {"pairs": held}


def encode_records(records, kind: str, tokenizer, block_size: int, path) -> list:
    """chat/alpaca -> (ids, mask, prompt ids); preference -> PairExample."""
    from lmforge.data.chat import record_messages, render_with_mask
    from lmforge.data.preference import encode_pair

    out = []
    for i, (line, record) in enumerate(records):
        where = f"{path}:{line}"
        if kind == "preference":
            out.append(encode_pair(tokenizer, record, i, block_size, where))
            continue
        messages = record_messages(record, kind)
        ids, mask = render_with_mask(tokenizer, messages, where)
        last = max(j for j, m in enumerate(messages) if m["role"] == "assistant")
        prompt = tokenizer.encode_chat(messages[:last], add_generation_prompt=True)
        out.append((ids, mask, prompt))
    return out


def _data_path(ft: FinetuneSettings, train: TrainSettings) -> Path:
    """The data file; a 'synthetic:NAME:N' source is generated (rank 0) into out_dir."""
    if not ft.data.startswith("synthetic:"):
        return Path(ft.data)
    _, name, n = (ft.data.split(":") + ["600"])[:3]
    path = Path(train.out_dir) / f"{name}-{n}-seed{train.seed}.jsonl"
    if distributed.info().is_main and not path.is_file():
        from lmforge.data.synthetic import instructions, preferences

        makers = {"instructions": instructions.generate, "preferences": preferences.generate}
        if name not in makers:
            raise ConfigError(f"unknown synthetic data {name!r}; known: {', '.join(makers)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        instructions.write_jsonl(makers[name](int(n), train.seed), path)
    distributed.barrier()
    return path


def build_loaders(train_set, held_out, train: TrainSettings):
    from lmforge.data.records import RecordLoader

    dist = distributed.info()
    per_rank = distributed.rank_batch_size(train.batch_size)
    loader = RecordLoader(train_set, per_rank, train.seed, dist.rank, dist.world_size, "train")
    held = held_out.get("blocks") or held_out.get("pairs") or []
    val = None
    if held and train.eval_every and len(held) >= dist.world_size:
        val = RecordLoader(held, per_rank, train.seed, dist.rank, dist.world_size, "held-out",
                           evaluation=True)
    return loader, val


def save_result(model, objective, tokenizer, ft: FinetuneSettings, out_dir: str) -> None:
    """out_dir becomes a PEFT adapter folder (LoRA) or an HF model folder (+ reward head)."""
    save_policy(model, tokenizer, ft.model, out_dir)
    if ft.objective == "reward":
        from lmforge.train.reward_model import save_reward_head

        save_reward_head(objective.head, out_dir, base=ft.model if ft.lora_rank else "")


def _announce(model, ft: FinetuneSettings, train: TrainSettings) -> None:
    if not (distributed.info().is_main and train.progress):
        return
    from lmforge.train.lora import count_parameters

    trainable, total = count_parameters(model)
    print(f"{ft.objective} on {ft.model}: {trainable / 1e6:.2f}M of {total / 1e6:.1f}M "
          f"parameters trainable ({100 * trainable / total:.2f}%); {train.max_steps} steps of "
          f"{train.batch_size} examples", file=sys.stderr)
