"""Fine-tuning from a recipe or the command line: base model + data + objective -> Trainer.

    lmforge sft --model smollm2-135m-instruct --data chat.jsonl --out runs/sft --lora-rank 8
    torchrun --nproc_per_node 2 -m lmforge.train.finetune --objective sft --data chat.jsonl \\
        --out runs/sft --strategy ddp
    python -m lmforge.train.finetune --config recipes/dpo-smollm2.yaml

A recipe has two sections, `finetune` (FinetuneSettings below) and `train` (TrainSettings:
steps, batch, lr, block_size as the packing length, ...). The objective is chosen by name
(`objective: sft | reward | dpo`); the data format is recognised from the file's first line.
Without `lora_rank` every weight trains and `out` becomes a model folder in the HF layout;
with it `out` becomes a PEFT adapter folder. Either way `out` holds metrics.csv, loss.png
and checkpoints/.

Test: `pytest tests/train/test_finetune.py`.
"""

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from lmforge.errors import ConfigError, LmforgeError
from lmforge.train import distributed
from lmforge.train.lora import DEFAULT_TARGETS
from lmforge.train.settings import TrainSettings, load_sections

OBJECTIVE_FORMATS = {"sft": ("chat", "alpaca"), "reward": ("preference",),
                     "dpo": ("preference",)}
FINETUNE_DEFAULTS = {"out_dir": "runs/finetune", "max_steps": 100, "batch_size": 8,
                     "block_size": 256, "lr": 2e-4, "min_lr": 2e-5, "warmup_steps": 10,
                     "weight_decay": 0.0, "eval_every": 25, "eval_batches": 10, "log_every": 5,
                     "beta2": 0.999}


@dataclass
class FinetuneSettings:
    """What to fine-tune, on what, and how (LoRA/QLoRA, DPO's beta)."""

    objective: str = "sft"
    """sft, reward or dpo (or any registered objective that reads these records)."""
    model: str = "smollm2-135m-instruct"
    """Base model: bundled name, folder, .gguf or Hugging Face repo."""
    data: str = ""
    """JSONL file (chat, alpaca or preference records); 'synthetic:instructions:N' or
    'synthetic:preferences:N' generates a seeded demo set."""
    held_out: float = 0.1
    """Share of records held out for evaluation."""
    packing: bool = True
    """SFT: pack several examples per block (each attends only to itself)."""
    lora_rank: int = 0
    """LoRA rank; 0 trains all weights."""
    lora_alpha: float = 16.0
    """LoRA alpha (the update is scaled by alpha / rank)."""
    lora_dropout: float = 0.0
    """Dropout on the LoRA input."""
    lora_targets: str = DEFAULT_TARGETS
    """Regex over linear names (full or last part), e.g. 'q_proj|v_proj'."""
    rslora: bool = False
    """rsLoRA scaling alpha / sqrt(rank)."""
    qlora: bool = False
    """Freeze the base in int4 (group-wise) under the LoRA adapters."""
    qlora_group_size: int = 64
    """Weights per int4 scale."""
    beta: float = 0.1
    """DPO: strength of the pull towards the reference."""
    loss_type: str = "sigmoid"
    """DPO loss: sigmoid (DPO) or ipo."""
    sample_prompts: int = 8
    """SFT: held-out prompts answered through the Engine at each evaluation."""
    sample_tokens: int = 40
    """SFT: tokens per sampled reply."""
    format_check: str = ""
    """SFT: 'answer_tags' logs the share of sampled replies in the synthetic set's format."""


def load_finetune_recipe(path: str | Path | None, overrides: dict[str, Any]
                         ) -> tuple[FinetuneSettings, TrainSettings]:
    ft, train = load_sections(path, overrides, {"finetune": FinetuneSettings,
                                                "train": TrainSettings},
                              {"train": FINETUNE_DEFAULTS})
    if ft.qlora and ft.lora_rank < 1:
        raise ConfigError("qlora needs LoRA adapters: set lora_rank (e.g. 8)")
    return ft, train


def finetune(recipe: str | Path | None = None, **overrides: Any) -> dict:
    """Run a fine-tuning recipe (with overrides); return the final metrics."""
    ft, train = load_finetune_recipe(recipe, overrides)
    distributed.init(train.device)
    try:
        return _run(ft, train)
    finally:
        distributed.cleanup()


def _run(ft: FinetuneSettings, train: TrainSettings) -> dict:
    from lmforge.io.registry import load
    from lmforge.train.trainer import Trainer

    if not ft.data:
        raise ConfigError("no training data: give --data FILE.jsonl")
    base = load(ft.model, quantize="none", fuse=False)
    model, tokenizer = base.model.train(), base.tokenizer
    train_set, held_out = build_datasets(ft, train, tokenizer)
    torch.manual_seed(train.seed)  # the same adapter/head init on every rank
    reference = _frozen_reference(ft, model)
    if ft.lora_rank:
        _add_adapters(model, ft)
    objective = build_finetune_objective(ft, model, tokenizer, held_out, reference)
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


def _frozen_reference(ft: FinetuneSettings, model):
    """DPO without LoRA keeps a frozen copy of the base as its reference."""
    if ft.objective == "dpo" and not ft.lora_rank:
        import copy

        return copy.deepcopy(model).requires_grad_(False).eval()
    return None


def _add_adapters(model, ft: FinetuneSettings) -> None:
    from lmforge.train.lora import LoRASettings, apply_lora

    if ft.qlora:
        from lmforge.train.qlora import quantize_base

        quantize_base(model, ft.lora_targets, ft.qlora_group_size)
    apply_lora(model, LoRASettings(rank=ft.lora_rank, alpha=ft.lora_alpha,
                                   dropout=ft.lora_dropout, rslora=ft.rslora,
                                   targets=ft.lora_targets))


def build_finetune_objective(ft: FinetuneSettings, model, tokenizer, held_out, reference):
    from lmforge.train.objectives import build_objective

    pad_id = tokenizer.pad_id if tokenizer.pad_id is not None else tokenizer.eos_id or 0
    if ft.objective == "sft":
        check = _format_check(ft.format_check)
        return build_objective("sft", pad_id=pad_id, seed=0,
                               sample_prompts=held_out["prompts"][: ft.sample_prompts],
                               sample_check=check, sample_tokens=ft.sample_tokens)
    if ft.objective == "reward":
        return build_objective("reward", hidden_size=model.config.hidden_size, pad_id=pad_id)
    if ft.objective == "dpo":
        return build_objective("dpo", pad_id=pad_id, beta=ft.beta, loss_type=ft.loss_type,
                               reference=reference)
    return build_objective(ft.objective, pad_id=pad_id, model=model, tokenizer=tokenizer)


def _format_check(name: str):
    if not name:
        return None
    if name != "answer_tags":
        raise ConfigError(f"unknown format_check {name!r}; known: answer_tags")
    from lmforge.data.synthetic.instructions import follows_format

    return lambda reply, _index: follows_format(reply)


def build_loaders(train_set, held_out, train: TrainSettings):
    from lmforge.data.records import RecordLoader

    dist = distributed.info()
    if train.batch_size % dist.world_size:
        raise ConfigError(f"batch_size {train.batch_size} is not divisible by the world size "
                          f"{dist.world_size}")
    per_rank = train.batch_size // dist.world_size
    loader = RecordLoader(train_set, per_rank, train.seed, dist.rank, dist.world_size, "train")
    held = held_out.get("blocks") or held_out.get("pairs") or []
    val = None
    if held and train.eval_every and len(held) >= dist.world_size:
        val = RecordLoader(held, per_rank, train.seed, dist.rank, dist.world_size, "held-out",
                           evaluation=True)
    return loader, val


def save_result(model, objective, tokenizer, ft: FinetuneSettings, out_dir: str) -> None:
    """out_dir becomes a PEFT adapter folder (LoRA) or an HF model folder (+ reward head)."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.train.lora import save_adapter

    out = Path(out_dir)
    if getattr(model, "lora_config", None) is not None:
        save_adapter(model, out, base_name=ft.model)
    else:
        save_hf_folder(model, out)
    save_hf_tokenizer(tokenizer, out)
    if ft.objective == "reward":
        from lmforge.train.reward_model import save_reward_head

        save_reward_head(objective.head, out, base=ft.model if ft.lora_rank else "")


def _announce(model, ft: FinetuneSettings, train: TrainSettings) -> None:
    if not (distributed.info().is_main and train.progress):
        return
    from lmforge.train.lora import count_parameters

    trainable, total = count_parameters(model)
    print(f"{ft.objective} on {ft.model}: {trainable / 1e6:.2f}M of {total / 1e6:.1f}M "
          f"parameters trainable ({100 * trainable / total:.2f}%); {train.max_steps} steps of "
          f"{train.batch_size} examples", file=sys.stderr)


def main(argv: list[str]) -> int:
    from lmforge.train.pretrain import parse_argv

    try:
        config, _, overrides = parse_argv(argv)
        metrics = finetune(config, **overrides)
    except LmforgeError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    if int(os.environ.get("RANK", 0)) == 0:
        print(json.dumps({k: v for k, v in metrics.items() if k != "eval_curve"}, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
