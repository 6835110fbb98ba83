"""Pruning: remove weights a model can do without, then recover with a short fine-tune.

Two kinds, with different pay-offs:

- unstructured magnitude pruning (Han et al. 2015): zero the smallest |w| of every linear
  layer in the blocks until `sparsity` of them are zero. Quality holds up well, but the
  tensors keep their shapes: the model is only smaller once stored sparsely and only
  faster with sparse kernels. `keep_zeros` masks gradients so a recovery fine-tune keeps
  the zeros (AdamW's update of a weight whose gradient is always 0 stays 0).
- structured pruning of attention heads and MLP channels (Michel et al. 2019; Ma et al.
  2023, LLM-Pruner): drop whole rows and columns, so the model really has fewer
  parameters and runs faster. Uniform across layers, so the config just gets a smaller
  `num_attention_heads` and `intermediate_size` and the folder loads back with the new
  shapes. Under grouped-query attention every kv group keeps the same number of query
  heads (heads are grouped contiguously: head h reads kv head h // (H / KV)).

    importance(head h)     = ||W_q[h rows]|| * ||W_o[:, h columns]||
    importance(channel j)  = ||W_up[j]|| * ||W_gate[j]|| * ||W_down[:, j]||

Test: `pytest tests/train/test_prune.py`.
"""

import copy
from dataclasses import replace

import torch
from torch import nn

from lmforge.errors import ConfigError
from lmforge.model.transformer import Transformer


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


def _head_importance(attn, n_head: int, head_dim: int) -> torch.Tensor:
    q = attn.q_proj.weight.view(n_head, head_dim, -1)  # (H, D, C)
    o = attn.o_proj.weight.view(attn.o_proj.weight.shape[0], n_head, head_dim)  # (C, H, D)
    return q.flatten(1).norm(dim=1) * o.transpose(0, 1).flatten(1).norm(dim=1)  # (H,)


def _channel_importance(mlp) -> torch.Tensor:
    score = mlp.up_proj.weight.norm(dim=1) * mlp.down_proj.weight.norm(dim=0)  # (I,)
    if getattr(mlp, "gate_proj", None) is not None:
        score = score * mlp.gate_proj.weight.norm(dim=1)
    return score


def _take_rows(linear: nn.Linear, index: torch.Tensor) -> None:
    linear.weight = nn.Parameter(linear.weight[index].clone())
    if linear.bias is not None:
        linear.bias = nn.Parameter(linear.bias[index].clone())
    linear.out_features = len(index)


def _take_columns(linear: nn.Linear, index: torch.Tensor) -> None:
    linear.weight = nn.Parameter(linear.weight[:, index].clone())
    linear.in_features = len(index)


def prune_structured(model: Transformer, heads_per_group: int | None = None,
                     mlp_keep: float = 1.0) -> Transformer:
    """A copy of `model` with fewer query heads per kv group and fewer MLP channels.

    heads_per_group: query heads kept in each kv group (None keeps all);
    mlp_keep: share of intermediate channels kept (the same count in every layer)."""
    config = model.config
    if any(getattr(b.attn, "qkv_proj", None) is not None for b in _blocks(model)):
        raise ConfigError("structured pruning needs separate q/k/v projections (this model's "
                          "are fused for inference)")
    H, KV, D = config.num_attention_heads, config.num_key_value_heads, config.head_dim
    per_group = H // KV
    keep_heads = per_group if heads_per_group is None else heads_per_group
    if not 1 <= keep_heads <= per_group:
        raise ConfigError(f"heads_per_group must be in 1..{per_group} (this model has {H} "
                          f"query heads in {KV} kv groups), got {heads_per_group}")
    if not 0 < mlp_keep <= 1:
        raise ConfigError(f"mlp_keep must be in (0, 1], got {mlp_keep}")
    channels = max(1, round(config.intermediate_size * mlp_keep))
    pruned = copy.deepcopy(model)
    with torch.no_grad():
        for block in _blocks(pruned):
            attn, mlp = block.attn, block.mlp
            scores = _head_importance(attn, H, D).view(KV, per_group)
            best = scores.topk(keep_heads, dim=1).indices.sort(dim=1).values  # (KV, keep)
            heads = (best + torch.arange(KV)[:, None] * per_group).flatten()  # group order
            rows = (heads[:, None] * D + torch.arange(D)).flatten()  # q rows of kept heads
            _take_rows(attn.q_proj, rows)
            _take_columns(attn.o_proj, rows)
            attn.n_head = len(heads)
            attn.q_dim = len(heads) * D
            kept = _channel_importance(mlp).topk(channels).indices.sort().values
            for linear in (mlp.up_proj, getattr(mlp, "gate_proj", None)):
                if linear is not None:
                    _take_rows(linear, kept)
            _take_columns(mlp.down_proj, kept)
    pruned.config = replace(config, num_attention_heads=KV * keep_heads,
                            intermediate_size=channels, head_dim=D)
    _check_rebuilds(pruned)
    return pruned


def _blocks(model: Transformer) -> list[nn.Module]:
    blocks = [b for stack in model.stacks for b in stack.layers]
    if not blocks or not all(hasattr(b, "attn") and hasattr(b, "mlp") for b in blocks):
        raise ConfigError("structured pruning needs blocks with .attn and .mlp")
    return blocks


def _check_rebuilds(pruned: Transformer) -> None:
    """The pruned weights must fit a model built from the new config (what loading does)."""
    fresh = {k: v.shape for k, v in Transformer(pruned.config).state_dict().items()}
    ours = {k: v.shape for k, v in pruned.state_dict().items()}
    if fresh != ours:
        wrong = sorted(k for k in fresh if fresh[k] != ours.get(k))[:3]
        raise ConfigError(f"pruned shapes do not match the new config at {wrong}")


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
