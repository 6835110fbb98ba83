"""Causal language modelling: predict every next token (GPT; Radford et al. 2018/2019).

The loader already shifted the targets (y = x moved left by one), so the loss is the
mean cross-entropy between the logits at position t and the token at t+1:

    loss = -1/(B*T) * sum_{b,t} log p(y[b, t] | x[b, :t+1])

exp(loss) is the perplexity: how many tokens the model is, on average, torn between.

Test: `pytest tests/train/test_objectives.py -k causal`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.train.objectives import IGNORE_INDEX, Objective


class CausalLM(Objective):
    name = "causal_lm"

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        x, y = raw  # (B, T) inputs and (B, T) next-token targets
        return {"input_ids": x, "labels": y}

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        hidden = model(batch["input_ids"])  # (B, T, C)
        logits = model.logits(hidden)  # (B, T, V)
        # float32 logits: a bf16 softmax over a large vocabulary loses precision
        loss = F.cross_entropy(
            logits.flatten(0, 1).float(), batch["labels"].flatten(), ignore_index=IGNORE_INDEX
        )
        return loss, {}
