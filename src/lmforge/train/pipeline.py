"""One training pipeline: the choices pretrain, finetune and RL share, made here once.

    recipe + overrides  ->  settings            load_settings (RUNS: a run's sections)
    base model          ->  policy, reference   load_policy, set_up_training
    objective name      ->  objective           objective_class(name).from_settings
                        ->  Trainer(...).fit()  (trainer.py: the one loop)
    policy              ->  out folder          save_policy

The policy trains in full, with LoRA adapters, or with QLoRA (adapters over an int4 base).
An objective that compares with a reference model (DPO, PPO, GRPO's KL penalty) gets the
base as it was before training: under LoRA that is the policy itself with its adapters
off (no copy; the objective sees reference=None), in full training a frozen copy made
before the first update. Models load with `quantize="none", fuse=False`: float weights,
with q/k/v and gate/up as separate linears, as LoRA targets them and the HF layout saves
them (quantized and fused linears are inference's fast path).

Pretraining builds a new model instead of loading one; its model kind picks the
objective (`objective_for_kind`).

Test: `pytest tests/train/test_pipeline.py`.
"""

import copy
from pathlib import Path
from typing import Any

import torch
from torch import nn

from lmforge.model.config import ModelConfig
from lmforge.train.objectives import KIND_OBJECTIVES, Objective, RunParts, objective_class
from lmforge.train.recipe import load_sections, read_sections
from lmforge.train.settings import (
    DataSettings,
    FinetuneSettings,
    PolicySettings,
    RLSettings,
    TrainSettings,
)

FINETUNE_DEFAULTS = {"out_dir": "runs/finetune", "max_steps": 100, "batch_size": 8,
                     "block_size": 256, "lr": 2e-4, "min_lr": 2e-5, "warmup_steps": 10,
                     "weight_decay": 0.0, "eval_every": 25, "eval_batches": 10, "log_every": 5,
                     "beta2": 0.999}
RL_DEFAULTS = {"out_dir": "runs/grpo", "max_steps": 40, "lr": 2e-4, "min_lr": 2e-4,
               "warmup_steps": 0, "weight_decay": 0.0, "eval_every": 0, "log_every": 1,
               "grad_accum_steps": 1, "checkpoint_every": 0, "keep_last": 1,
               "tensorboard": False}

# run -> (its recipe's sections, in the order bare override keys look for an owner;
#         the defaults of its `train` section)
RUNS: dict[str, tuple[dict[str, type], dict[str, Any]]] = {
    "pretrain": ({"train": TrainSettings, "data": DataSettings, "model": ModelConfig}, {}),
    "finetune": ({"finetune": FinetuneSettings, "train": TrainSettings}, FINETUNE_DEFAULTS),
    "grpo": ({"rl": RLSettings, "train": TrainSettings}, RL_DEFAULTS),
    "ppo": ({"rl": RLSettings, "train": TrainSettings}, {**RL_DEFAULTS, "out_dir": "runs/ppo"}),
}


def load_settings(run: str, recipe: str | Path | None, overrides: dict[str, Any]) -> list[Any]:
    """A run's recipe (its sections, see RUNS) + overrides -> one settings object per
    section, in RUNS order; pretraining's model section stays a dict (recipe.py)."""
    sections, train_defaults = RUNS[run]
    return load_sections(recipe, overrides, sections, {"train": train_defaults})


def check_overrides(run: str, overrides: dict[str, Any]) -> None:
    """Check override keys and value types alone (a command line's part), before any work."""
    read_sections(None, overrides, RUNS[run][0])


def objective_for_kind(kind: str) -> type[Objective]:
    """Pretraining: the model kind picks the objective (causal LM, masked LM, seq2seq)."""
    return objective_class(KIND_OBJECTIVES[kind])


def load_policy(name: str) -> tuple[nn.Module, Any]:
    """(model, tokenizer) to train: a bundled name, folder, .gguf or HF repo, as float
    weights (a quantized file is dequantized) in separate, unfused linears."""
    from lmforge.io.registry import load

    loaded = load(name, quantize="none", fuse=False)
    return loaded.model, loaded.tokenizer


def set_up_training(objective: str, settings: PolicySettings, model: nn.Module, tokenizer,
                    seed: int, **parts: Any) -> Objective:
    """Make `model` the policy for `objective` (reference, adapters) and build the objective.

    `parts` are what the run built for it (tasks, scorer, sample_prompts: RunParts)."""
    cls = objective_class(objective)
    torch.manual_seed(seed)  # the same adapter and head init on every rank
    reference = None
    if cls.uses_reference(settings) and not settings.lora_rank:
        reference = frozen_copy(model)  # under LoRA: the policy with its adapters off
    if settings.lora_rank:
        add_adapters(model, settings)
    return cls.from_settings(settings, RunParts(model, tokenizer, seed, reference, **parts))


def frozen_copy(model: nn.Module) -> nn.Module:
    """The model as it is now, frozen: a reference that training never moves."""
    return copy.deepcopy(model).requires_grad_(False).eval()


def add_adapters(model: nn.Module, settings: PolicySettings) -> None:
    """LoRA adapters on the target linears; under QLoRA those linears become int4 first."""
    from lmforge.train.lora import LoRASettings, apply_lora

    if settings.qlora:
        from lmforge.train.qlora import quantize_base

        quantize_base(model, settings.lora_targets, settings.qlora_group_size)
    apply_lora(model, LoRASettings(rank=settings.lora_rank, alpha=settings.lora_alpha,
                                   dropout=settings.lora_dropout, rslora=settings.rslora,
                                   targets=settings.lora_targets))


def save_policy(model: nn.Module, tokenizer, base_name: str, out_dir: str | Path) -> None:
    """A PEFT adapter folder under LoRA, else an HF model folder; the tokenizer beside it."""
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.train.lora import save_adapter

    out = Path(out_dir)
    if getattr(model, "lora_config", None) is not None:
        save_adapter(model, out, base_name=base_name)
    else:
        save_hf_folder(model, out)
    save_hf_tokenizer(tokenizer, out)
