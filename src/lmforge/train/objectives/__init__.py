"""Objectives: what a model is trained to do, as plug-ins to the one Trainer.

An objective is an `nn.Module`. The Trainer wraps `ObjectiveModule(model, objective)`, so
whatever the objective owns as submodules (a reward or value head, a frozen reference
model) is moved to the device, wrapped for DDP/FSDP, optimised (if trainable) and
checkpointed with the model. The contract:

    batch(raw, train)          loader output (token blocks or records) -> dict of tensors
    loss(model, batch)         -> (scalar loss, {metric name: 0-d tensor})   [required]
    num_tokens(batch)          tokens this batch feeds the model (for tokens/s)
    param_groups(model, wd)    optional: AdamW groups; a group's `lr_scale` multiplies the
                               scheduled lr (a head with its own lr); None = default groups
    evaluate(trainer)          optional: extra held-out metrics/samples at each evaluation
    before_step(trainer, step) optional: work before each optimizer step (RL rollouts)
    training_state()           RNG/caches to restore on resume (nn weights go separately)
    load_training_state(s)
    reports_perplexity         True when the loss is a per-token NLL (val_perplexity logged)

Metrics returned by `loss` (accuracy, reward margins, KL) are averaged over micro-batches
and log steps and reach the progress bar, metrics.csv, TensorBoard and loss.png; during
evaluation their means are logged with a `val_` prefix. Trainable parameters of the
objective (`requires_grad=True`) are saved in each checkpoint (objective.safetensors)
and restored on resume; frozen submodules (reference models) are rebuilt by whoever
builds the objective.

Objectives are chosen by name (`objective: sft` in a recipe) through a registry. A run
builds the one it names with `objective_class(name).from_settings(settings, parts)`: the
class reads its options from the run's settings (FinetuneSettings, RLSettings; the model
config in pretraining) and takes what it needs from the parts the run has built (`RunParts`:
model, tokenizer, reference, tasks, scorer). `uses_reference(settings)` tells the run
whether to keep a reference model, and `special_tokens` which tokens a trained tokenizer
must hold. Tests and small scripts build one directly with keyword arguments:

    >>> from lmforge.train.objectives import Objective, build_objective, register_objective
    >>> class MeanLogit(Objective):                    # a toy objective
    ...     name = "mean_logit"
    ...     def batch(self, raw, train=True):
    ...         return {"input_ids": raw}
    ...     def loss(self, model, batch):
    ...         logits = model.logits(model(batch["input_ids"]))   # (B, T, V)
    ...         loss = logits.float().mean()
    ...         return loss, {"max_logit": logits.max().detach()}
    >>> register_objective("mean_logit", MeanLogit)
    >>> build_objective("mean_logit", seed=0).name
    'mean_logit'

Built-ins (imported lazily): causal_lm, masked_lm, seq2seq (pretraining, by model kind),
sft, reward, dpo (fine-tuning; see docs/posttraining.md), grpo, ppo (RL), distill.

Test: `pytest tests/train/test_objective_contract.py tests/train/test_objectives.py`.
"""

import importlib
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from lmforge.errors import ConfigError

IGNORE_INDEX = -100  # label value that cross_entropy skips (F.cross_entropy's default)


class Objective(nn.Module):
    """Base class: subclasses override `batch` and `loss` (and the optional hooks)."""

    name = "objective"
    reports_perplexity = True
    special_tokens: tuple[str, ...] = ()  # tokens a tokenizer trained for it must hold

    def __init__(self, seed: int = 0) -> None:
        super().__init__()
        self.seed = seed
        self.generator = torch.Generator().manual_seed(seed)  # training randomness
        self.eval_generator = torch.Generator().manual_seed(seed + 1)

    @classmethod
    def from_settings(cls, settings: Any, parts: "RunParts") -> "Objective":
        """Build from a run's settings and the parts it has built; this default takes the
        seed alone (an objective that needs more overrides it)."""
        return cls(seed=parts.seed)

    @classmethod
    def uses_reference(cls, settings: Any) -> bool:
        """Whether it compares the policy with a reference model (a frozen copy of the
        base; under LoRA the policy with its adapters off)."""
        return False

    def batch(self, raw: Any, train: bool = True) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        raise NotImplementedError

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel()

    def param_groups(self, model: nn.Module, weight_decay: float) -> list[dict] | None:
        """AdamW groups over model + this objective; None lets the Trainer use its default."""
        return None

    def evaluate(self, trainer) -> dict[str, float]:
        """Extra evaluation (samples, held-out accuracy); merged into the val metrics row."""
        return {}

    def before_step(self, trainer, step: int) -> None:
        """Called before each optimizer step (RL objectives draw rollouts here)."""

    def reset_eval(self) -> None:
        """Reseed evaluation randomness, so every evaluation scores the same masks."""
        self.eval_generator.manual_seed(self.seed + 1)

    def training_state(self) -> dict:
        """Non-weight state to restore on resume (RNG, caches of plain values)."""
        return {"generator": self.generator.get_state()}

    def load_training_state(self, state: dict) -> None:
        self.generator.set_state(state["generator"])

    def trainable_state(self) -> dict[str, torch.Tensor]:
        """This objective's own trainable weights (heads), saved in every checkpoint."""
        return {k: p for k, p in self.named_parameters() if p.requires_grad}


@dataclass
class RunParts:
    """What a run has built that an objective may take (each takes only what it needs)."""

    model: nn.Module
    tokenizer: Any
    seed: int = 0
    reference: nn.Module | None = None  # a frozen copy; None: the base is the policy
    sample_prompts: list[list[int]] = field(default_factory=list)  # held-out chat prompts
    tasks: list[dict] = field(default_factory=list)  # RL: prompts (and answers)
    scorer: Any = None  # RL: a verifier (GRPO) or a reward function (PPO)


def pad_id_of(tokenizer) -> int:
    """The id that pads a batch: the tokenizer's pad token, else its EOS, else 0."""
    if tokenizer.pad_id is not None:
        return tokenizer.pad_id
    return tokenizer.eos_id if tokenizer.eos_id is not None else 0


class ObjectiveModule(nn.Module):
    """model + objective as one module whose forward returns (loss, metrics).

    DDP and FSDP act on a module's forward: wrapping this (not the bare Transformer) puts
    the whole loss computation, LM head and objective heads included, inside it.
    """

    def __init__(self, model: nn.Module, objective: Objective) -> None:
        super().__init__()
        self.model = model
        self.objective = objective

    def forward(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict]:
        return self.objective.loss(self.model, batch)


# -- the registry ---------------------------------------------------------------------------

# name -> "module:Class" (imported on first use) or the class itself
OBJECTIVES: dict[str, Any] = {
    "causal_lm": "lmforge.train.objectives.causal_lm:CausalLM",
    "masked_lm": "lmforge.train.objectives.masked_lm:MaskedLM",
    "seq2seq": "lmforge.train.objectives.seq2seq:Seq2Seq",
    "sft": "lmforge.train.objectives.sft:SFT",
    "reward": "lmforge.train.objectives.reward:RewardObjective",
    "dpo": "lmforge.train.objectives.dpo:DPO",
    "grpo": "lmforge.train.objectives.grpo:GRPO",
    "ppo": "lmforge.train.objectives.ppo:PPO",
    "distill": "lmforge.train.objectives.distill:Distill",
}
# pretraining: the model kind picks the objective
KIND_OBJECTIVES = {"decoder": "causal_lm", "encoder": "masked_lm", "encoder-decoder": "seq2seq"}


def register_objective(name: str, cls: type | str) -> None:
    """Make `objective: name` resolve to `cls` (a class or "module:Class")."""
    OBJECTIVES[name] = cls


def objective_class(name: str) -> type:
    target = OBJECTIVES.get(name)
    if target is None:
        raise ConfigError(f"unknown objective {name!r}; known: {', '.join(sorted(OBJECTIVES))}")
    if isinstance(target, str):
        module, _, cls = target.partition(":")
        try:
            target = getattr(importlib.import_module(module), cls)
        except (ImportError, AttributeError) as e:
            raise ConfigError(f"objective {name!r} is not available ({e})") from None
    return target


def build_objective(name: str, **kwargs: Any) -> Objective:
    """The objective registered as `name`, built with kwargs (seed, special ids, ...)."""
    return objective_class(name)(**kwargs)


__all__ = ["IGNORE_INDEX", "KIND_OBJECTIVES", "OBJECTIVES", "Objective", "ObjectiveModule",
           "RunParts", "build_objective", "objective_class", "pad_id_of", "register_objective"]
