"""Structured (width) pruning: remove whole kv groups, query heads and MLP channels, so the
model really has fewer parameters, a smaller file and a faster decode (Minitron's width
axis, Muralidharan et al. 2024; Michel et al. 2019; Ma et al. 2023, LLM-Pruner).

Every layer keeps the same counts, so the result is an ordinary dense model whose config
only has smaller numbers: `num_key_value_heads` (kv groups kept), `num_attention_heads`
(kv groups x query heads kept per group) and `intermediate_size`. `head_dim` is written
out, since heads x head_dim no longer equals hidden_size. Under grouped-query attention
query head h reads kv head h // (H / KV), so a dropped kv group takes its query heads with
it, and every kept group keeps the same number of query heads.

Importance, per layer (higher = keep):

    magnitude:   head h    ||W_q[h rows]|| * ||W_o[:, h columns]||
                 channel j ||W_up[j]|| * ||W_gate[j]|| * ||W_down[:, j]||
    activation:  head h    ||head h's attention output||   (the input of o_proj)
                 channel j ||act(gate_j) * up_j||           (the input of down_proj)
                 over a calibration set (Minitron: a few hundred samples suffice)

A kv group scores the sum of its query heads. The activation scores see what the model
does on text; the magnitude ones only its weights.
Test: `pytest tests/train/test_prune_structured.py`.
"""

import copy
from dataclasses import dataclass, replace

import torch
from torch import nn

from lmforge.errors import ConfigError
from lmforge.model.transformer import Transformer

IMPORTANCE = ("magnitude", "activation")


@dataclass(frozen=True)
class Width:
    """What every layer keeps."""
    kv_groups: int
    heads_per_group: int
    channels: int


def plan_width(config, kv_groups: int | None = None, heads_per_group: int | None = None,
               mlp_keep: float = 1.0) -> Width:
    """Check the requested counts against the model and fill in the defaults (keep all)."""
    H, KV = config.num_attention_heads, config.num_key_value_heads
    per_group = H // KV
    shape = f"this model has {H} query heads in {KV} kv groups of {per_group}"
    groups = KV if kv_groups is None else kv_groups
    if not 1 <= groups <= KV:
        raise ConfigError(f"kv_groups (kept) must be in 1..{KV} ({shape}), got {kv_groups}")
    heads = per_group if heads_per_group is None else heads_per_group
    if not 1 <= heads <= per_group:
        raise ConfigError(f"heads_per_group must be in 1..{per_group} ({shape}), "
                          f"got {heads_per_group}")
    if not 0 < mlp_keep <= 1:
        raise ConfigError(f"mlp_keep (share of MLP channels kept) must be in (0, 1], "
                          f"got {mlp_keep}")
    return Width(groups, heads, max(1, round(config.intermediate_size * mlp_keep)))


def width_for_ratios(config, attention_prune: float = 0.0, mlp_prune: float = 0.0) -> Width:
    """The Width that removes about `attention_prune` of the kv groups and `mlp_prune` of
    the MLP channels (each a ratio in [0, 1)); rounds to whole groups, at least one kept."""
    for name, ratio in (("attention_prune", attention_prune), ("mlp_prune", mlp_prune)):
        if not 0 <= ratio < 1:
            raise ConfigError(f"{name} is a share of the width removed: it must be in "
                              f"[0, 1), got {ratio}")
    KV = config.num_key_value_heads
    groups = max(1, KV - round(attention_prune * KV))
    return plan_width(config, groups, None, 1 - mlp_prune)


def blocks(model: Transformer) -> list[nn.Module]:
    found = [b for stack in model.stacks for b in stack.layers]
    if not found or not all(hasattr(b, "attn") and hasattr(b, "mlp") for b in found):
        raise ConfigError("structured pruning needs blocks with .attn and .mlp")
    if any(getattr(b.attn, "qkv_proj", None) is not None for b in found):
        raise ConfigError("structured pruning needs separate q/k/v projections (this model's "
                          "are fused for inference: load it with fuse=False)")
    if any(not hasattr(b.mlp, "up_proj") for b in found):
        raise ConfigError("structured pruning needs a dense MLP (up/down projections) in "
                          "every block, not experts")
    return found


def magnitude_scores(model: Transformer) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """[(head scores (H,), channel scores (I,)) per block] from the weights alone."""
    H, D = model.config.num_attention_heads, model.config.head_dim
    scores = []
    with torch.no_grad():
        for block in blocks(model):
            attn, mlp = block.attn, block.mlp
            q = attn.q_proj.weight.view(H, D, -1).flatten(1).norm(dim=1)
            o = attn.o_proj.weight.view(-1, H, D).transpose(0, 1).flatten(1).norm(dim=1)
            channel = mlp.up_proj.weight.norm(dim=1) * mlp.down_proj.weight.norm(dim=0)
            if getattr(mlp, "gate_proj", None) is not None:
                channel = channel * mlp.gate_proj.weight.norm(dim=1)
            scores.append((q * o, channel))
    return scores


def activation_scores(model: Transformer, calibration: torch.Tensor, batch_size: int = 4
                      ) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """[(head scores (H,), channel scores (I,)) per block]: the L2 norm, over every token
    of `calibration` (N, T) ids, of each head's output and each channel's activation."""
    H, D = model.config.num_attention_heads, model.config.head_dim
    found = blocks(model)
    sums = [[torch.zeros(H), torch.zeros(b.mlp.down_proj.in_features)] for b in found]

    def recorder(i: int, which: int, per_head: bool):
        def hook(module, inputs):
            x = inputs[0].detach().float().flatten(0, -2)  # (tokens, width)
            if per_head:  # o_proj's input is the heads side by side: (tokens, H, D)
                sums[i][which] += x.view(-1, H, D).pow(2).sum(dim=(0, 2))
            else:
                sums[i][which] += x.pow(2).sum(dim=0)
        return hook

    handles = []
    for i, block in enumerate(found):
        handles.append(block.attn.o_proj.register_forward_pre_hook(recorder(i, 0, True)))
        handles.append(block.mlp.down_proj.register_forward_pre_hook(recorder(i, 1, False)))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            for start in range(0, len(calibration), batch_size):
                model(calibration[start:start + batch_size])
    finally:
        for handle in handles:
            handle.remove()
        model.train(was_training)
    return [(heads.sqrt(), channels.sqrt()) for heads, channels in sums]


def importance_scores(model: Transformer, importance: str = "magnitude",
                      calibration: torch.Tensor | None = None):
    if importance == "magnitude":
        return magnitude_scores(model)
    if importance == "activation":
        if calibration is None or len(calibration) == 0:
            raise ConfigError("activation importance needs calibration text (token ids)")
        return activation_scores(model, calibration)
    raise ConfigError(f"importance must be one of {', '.join(IMPORTANCE)}, got {importance!r}")


def kept_heads(head_scores: torch.Tensor, n_kv: int, width: Width) -> tuple[torch.Tensor,
                                                                            torch.Tensor]:
    """(kept kv groups, kept query heads), both in their original order."""
    per_group = len(head_scores) // n_kv
    grouped = head_scores.view(n_kv, per_group)
    groups = grouped.sum(dim=1).topk(width.kv_groups).indices.sort().values
    best = grouped[groups].topk(width.heads_per_group, dim=1).indices.sort(dim=1).values
    heads = (best + groups[:, None] * per_group).flatten()
    return groups, heads


def prune_width(model: Transformer, width: Width, importance: str = "magnitude",
                calibration: torch.Tensor | None = None) -> Transformer:
    """A smaller copy of `model` keeping `width` in every layer, chosen by `importance`."""
    config = model.config
    scores = importance_scores(model, importance, calibration)
    D = config.head_dim
    pruned = copy.deepcopy(model)
    with torch.no_grad():
        for block, (head_scores, channel_scores) in zip(blocks(pruned), scores, strict=True):
            groups, heads = kept_heads(head_scores, config.num_key_value_heads, width)
            attn = block.attn
            q_rows, kv_rows = _rows(heads, D), _rows(groups, D)
            take_rows(attn.q_proj, q_rows)
            take_rows(attn.k_proj, kv_rows)
            take_rows(attn.v_proj, kv_rows)
            take_columns(attn.o_proj, q_rows)
            attn.n_head, attn.n_kv_head = len(heads), len(groups)
            attn.q_dim, attn.kv_dim = len(heads) * D, len(groups) * D
            channels = channel_scores.topk(width.channels).indices.sort().values
            for linear in (block.mlp.up_proj, getattr(block.mlp, "gate_proj", None)):
                if linear is not None:
                    take_rows(linear, channels)
            take_columns(block.mlp.down_proj, channels)
    pruned.config = replace(config, num_key_value_heads=width.kv_groups,
                            num_attention_heads=width.kv_groups * width.heads_per_group,
                            intermediate_size=width.channels, head_dim=D,
                            moe_intermediate_size=None)  # None: follows intermediate_size
    check_rebuilds(pruned)
    return pruned


def _rows(heads: torch.Tensor, head_dim: int) -> torch.Tensor:
    """The projection rows of `heads` (each head owns head_dim consecutive rows)."""
    return (heads[:, None] * head_dim + torch.arange(head_dim)).flatten()


def take_rows(linear: nn.Linear, index: torch.Tensor) -> None:
    linear.weight = nn.Parameter(linear.weight[index].clone())
    if linear.bias is not None:
        linear.bias = nn.Parameter(linear.bias[index].clone())
    linear.out_features = len(index)


def take_columns(linear: nn.Linear, index: torch.Tensor) -> None:
    linear.weight = nn.Parameter(linear.weight[:, index].clone())
    linear.in_features = len(index)


def check_rebuilds(pruned: Transformer) -> None:
    """The pruned weights must fit a model built from the new config (what loading does)."""
    fresh = {k: v.shape for k, v in Transformer(pruned.config).state_dict().items()}
    ours = {k: v.shape for k, v in pruned.state_dict().items()}
    if fresh != ours:
        wrong = sorted(k for k in fresh if fresh[k] != ours.get(k))[:3]
        raise ConfigError(f"pruned shapes do not match the new config at {wrong}")
