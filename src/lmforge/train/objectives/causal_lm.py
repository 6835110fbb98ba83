"""Causal language modelling: predict every next token (GPT; Radford et al. 2018/2019).

The loader already shifted the targets (y = x moved left by one), so the loss is the
mean cross-entropy between the logits at position t and the token at t+1:

    loss = -1/(B*T) * sum_{b,t} log p(y[b, t] | x[b, :t+1])

exp(loss) is the perplexity: how many tokens the model is, on average, torn between.

A mixture-of-experts model (model/moe.py) also trains its routers: in training the loss is

    loss = lm_loss + router_aux_loss_coef * balance + router_z_loss_coef * z

with the coefficients from the model's config. Evaluation returns the LM loss alone, so
val_loss and val_perplexity mean what they mean for a dense model. Either way the metrics
carry lm_loss, aux_loss, z_loss, expert_load_<i> (share of routed slots per expert, mean over
layers) and expert_load_entropy (1 = balanced, 0 = one expert takes every token).

Test: `pytest tests/train/test_objectives.py -k causal tests/model/test_moe.py`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model.moe import RouterLosses, router_losses
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
        routers = router_losses(model)  # None for a dense model
        if routers is None:
            return loss, {}
        metrics = {"lm_loss": loss.detach(), **router_metrics(routers)}
        if model.training:  # the routers learn from these; evaluation reports the LM loss
            config = model.config
            loss = (loss + config.router_aux_loss_coef * routers.balance
                    + config.router_z_loss_coef * routers.z)
        return loss, metrics


def router_metrics(routers: RouterLosses) -> dict[str, torch.Tensor]:
    """The routers' health as named 0-d tensors: aux and z losses, per-expert load, entropy."""
    loads = {f"expert_load_{i}": share for i, share in enumerate(routers.load.detach())}
    return {"aux_loss": routers.balance.detach(), "z_loss": routers.z.detach(), **loads,
            "expert_load_entropy": routers.entropy.detach()}
