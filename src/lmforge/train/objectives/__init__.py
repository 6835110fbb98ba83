"""Objectives: what a model is trained to predict, as plug-ins to the one Trainer.

An objective owns three small things, and nothing else:

    batch(raw, train)     raw loader output (token blocks or records) -> dict of tensors
    loss(model, batch)    -> (scalar loss, {metric name: tensor})
    num_tokens(batch)     tokens this batch feeds the model (for tokens/s)

The Trainer owns everything around it (optimizer, schedule, precision, checkpoints,
distribution). Random choices an objective makes (which tokens to mask) come from its
own generator, saved in checkpoints through `state_dict`, so a resumed run is exact.

    kind             objective                      file
    decoder          next-token prediction          causal_lm.py
    encoder          masked-token prediction (BERT) masked_lm.py
    encoder-decoder  span corruption (T5) or pairs  seq2seq.py
"""

from typing import Any

import torch
from torch import nn

IGNORE_INDEX = -100  # label value that cross_entropy skips (F.cross_entropy's default)


class Objective:
    """Base class: a causal/masked/seq2seq objective overrides `batch` and `loss`."""

    name = "objective"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self.generator = torch.Generator().manual_seed(seed)  # training randomness
        self.eval_generator = torch.Generator().manual_seed(seed + 1)

    def batch(self, raw: Any, train: bool = True) -> dict[str, torch.Tensor]:
        raise NotImplementedError

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        raise NotImplementedError

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel()

    def reset_eval(self) -> None:
        """Reseed evaluation randomness, so every evaluation scores the same masks."""
        self.eval_generator.manual_seed(self.seed + 1)

    def state_dict(self) -> dict:
        return {"generator": self.generator.get_state()}

    def load_state_dict(self, state: dict) -> None:
        self.generator.set_state(state["generator"])


class ObjectiveModule(nn.Module):
    """model + objective as one module whose forward returns the loss.

    DDP and FSDP act on a module's forward: wrapping this (not the bare Transformer) puts
    the whole loss computation, LM head included, inside the wrapped forward.
    """

    def __init__(self, model: nn.Module, objective: Objective) -> None:
        super().__init__()
        self.model = model
        self.objective = objective

    def forward(self, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict]:
        return self.objective.loss(self.model, batch)


def make_objective(kind: str, seed: int = 0, **special_ids: Any) -> Objective:
    """The objective for a model kind; special_ids carries mask/sentinel/pad ids as needed."""
    if kind == "decoder":
        from lmforge.train.objectives.causal_lm import CausalLM

        return CausalLM(seed)
    if kind == "encoder":
        from lmforge.train.objectives.masked_lm import MaskedLM

        return MaskedLM(seed=seed, **special_ids)
    if kind == "encoder-decoder":
        from lmforge.train.objectives.seq2seq import Seq2Seq

        return Seq2Seq(seed=seed, **special_ids)
    raise ValueError(f"no objective for model kind {kind!r}")


__all__ = ["IGNORE_INDEX", "Objective", "ObjectiveModule", "make_objective"]
