"""Lesson 8, what fine-tuning costs: which weights train, and the memory they take.

    full      every weight trains: weights + gradients + AdamW's two moments, all fp32
    LoRA      the base is frozen; each target linear (out x in) gets B @ A of rank r, so
              r * (in + out) trainable weights instead of in * out (Hu et al. 2021)
    QLoRA     LoRA over a base whose target linears are frozen in int4, group-wise
              (Dettmers et al. 2023): the same trainable weights, a quarter of the base

The counts come from the training pipeline itself: the model's architecture is built on
PyTorch's meta device (shapes, no memory) with the same names `lmforge sft` loads, and
train/pipeline.py's `add_adapters` (QLoRA's int4 base included) puts the adapters on it,
exactly as `sft --lora-rank r` does before its first step. Memory counts what training
holds for every weight: 4 bytes for an fp32 weight (int4 codes and their scales as
stored), 4 for its gradient and 8 for AdamW's moments where it trains; activations depend
on batch and length and are left out here; finetune_step.py measures a real step.

    finetune_costs(lm.model.config, rank=8)
      -> {"rank", "targets", "modes": [{"name", "trainable", "total" (parameters, as
          `sft` counts them), "trainable_share" (of the model's weights), "weight_bytes",
          "gradient_bytes", "optimizer_bytes", "total_bytes"}, ...]}

Test: `pytest tests/learn/test_finetuning.py`.
"""

import torch

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.train.lora import DEFAULT_TARGETS, count_parameters
from lmforge.train.pipeline import add_adapters
from lmforge.train.settings import PolicySettings

ADAMW_BYTES = 8  # two fp32 moments per trained weight
GRADIENT_BYTES = 4
MAX_RANK = 1024


def finetune_costs(config: ModelConfig, rank: int = 8, targets: str | None = None,
                   qlora_group_size: int = 64) -> dict:
    """Trainable weights and training memory of full fine-tuning, LoRA and QLoRA (targets
    None: sft's default, every projection)."""
    targets = targets or DEFAULT_TARGETS
    if isinstance(rank, bool) or not isinstance(rank, int) or not 1 <= rank <= MAX_RANK:
        raise ConfigError(f"rank={rank!r} is invalid: must be an integer in 1..{MAX_RANK}")
    rows = [mode_costs(name, config, settings)
            for name, settings in mode_settings(rank, targets, qlora_group_size)]
    for row in rows:  # of all the model's weights (QLoRA's int4 base is no longer parameters)
        row["trainable_share"] = row["trainable"] / rows[0]["total"]
    return {"rank": rank, "targets": targets, "modes": rows}


def mode_settings(rank: int, targets: str, qlora_group_size: int) -> list[tuple]:
    """(name, PolicySettings) of full fine-tuning, LoRA and QLoRA, as `sft` is told them."""
    return [
        ("full", PolicySettings()),
        (f"LoRA r={rank}", PolicySettings(lora_rank=rank, lora_targets=targets)),
        (f"QLoRA r={rank} (int4 g{qlora_group_size} base)",
         PolicySettings(lora_rank=rank, lora_targets=targets, qlora=True,
                        qlora_group_size=qlora_group_size)),
    ]


def mode_costs(name: str, config: ModelConfig, settings: PolicySettings) -> dict:
    """One row: the model as training would hold it under `settings`, counted."""
    with torch.device("meta"):  # shapes only: a 7B model costs nothing here
        model = Transformer(config)
        if settings.lora_rank:
            add_adapters(model, settings)
    trainable, total = count_parameters(model)
    weights = stored_bytes(model)
    return {"name": name, "trainable": trainable, "total": total, "weight_bytes": weights,
            "gradient_bytes": GRADIENT_BYTES * trainable,
            "optimizer_bytes": ADAMW_BYTES * trainable,
            "total_bytes": weights + (GRADIENT_BYTES + ADAMW_BYTES) * trainable}


def stored_bytes(model: torch.nn.Module) -> int:
    """Bytes of every parameter and buffer as stored (int4 codes and scales included)."""
    tensors = {id(t): t for t in [*model.parameters(), *model.buffers()]}
    return sum(t.numel() * t.element_size() for t in tensors.values())
