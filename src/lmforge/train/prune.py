"""Unstructured magnitude pruning (Han et al. 2015): zero the smallest |w| of every linear
layer in the blocks until `sparsity` of them are zero.

Quality holds up well, but the tensors keep their shapes: the model is smaller only when
stored sparsely and faster only with sparse kernels (e.g. 2:4 sparsity on recent GPUs),
neither of which lmforge or GGUF has. It stays as the baseline that shows this (size and
decode speed unchanged) and as the first step of sparse fine-tuning experiments;
`keep_zeros` masks gradients so a recovery fine-tune keeps the zeros (AdamW's update of a
weight whose gradient is always 0 stays 0). Pruning that shrinks the model (whole kv
groups, heads, MLP channels) is prune_structured.py.
Test: `pytest tests/train/test_prune.py`.
"""

import torch
from torch import nn

from lmforge.errors import ConfigError


def block_linears(model: nn.Module) -> dict[str, nn.Linear]:
    """The linear layers inside the Transformer blocks (not the embeddings or the head)."""
    return {n: m for n, m in model.named_modules()
            if isinstance(m, nn.Linear) and ".layers." in f".{n}"}


def magnitude_prune(model: nn.Module, sparsity: float) -> dict[str, torch.Tensor]:
    """Zero the smallest-magnitude `sparsity` share of each block linear's weight, in place.

    Returns {module name: keep mask (bool, weight-shaped)}."""
    if not 0 <= sparsity < 1:
        raise ConfigError(f"sparsity must be in [0, 1), got {sparsity}")
    masks = {}
    with torch.no_grad():
        for name, linear in block_linears(model).items():
            w = linear.weight
            k = int(sparsity * w.numel())  # how many to zero in this tensor
            if k == 0:
                masks[name] = torch.ones_like(w, dtype=torch.bool)
                continue
            threshold = w.abs().flatten().kthvalue(k).values
            keep = w.abs() > threshold
            w.mul_(keep)
            masks[name] = keep
    return masks


def keep_zeros(model: nn.Module, masks: dict[str, torch.Tensor]) -> list:
    """Mask the gradients of pruned weights so fine-tuning leaves them at zero."""
    modules = dict(model.named_modules())
    return [modules[name].weight.register_hook(lambda g, m=mask: g * m.to(g.dtype))
            for name, mask in masks.items()]


def sparsity_of(model: nn.Module) -> float:
    """Share of exactly-zero weights over the block linears."""
    weights = [m.weight for m in block_linears(model).values()]
    zeros = sum(int((w == 0).sum()) for w in weights)
    return zeros / max(sum(w.numel() for w in weights), 1)


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
