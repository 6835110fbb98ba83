"""Positional information: how a permutation-invariant attention layer learns token order.

Four schemes, chosen by `ModelConfig.position`:
- learned     a trainable table of position vectors added to the embeddings (GPT-2, BERT)
- sinusoidal  fixed sin/cos waves of geometric wavelengths added to the embeddings
              (Vaswani et al., 2017, "Attention Is All You Need", section 3.5)
- rope        rotate each (q, k) pair of channels by an angle proportional to the position, so
              q.k depends only on the distance (Su et al., 2021, "RoFormer")
- relative    a learned scalar bias per head for each bucketed distance, added to the attention
              scores (Raffel et al., 2020, T5)
"""

import math

import torch
from torch import nn

from lmforge.model import cpu_kernels
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig


def sinusoidal_table(n_positions: int, dim: int) -> torch.Tensor:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)), PE[pos, 2i+1] = cos(same angle)."""
    position = torch.arange(n_positions, dtype=torch.float32)[:, None]
    inv_freq = torch.exp(torch.arange(0, dim, 2, dtype=torch.float32) * (-math.log(10000.0) / dim))
    table = torch.zeros(n_positions, dim)
    table[:, 0::2] = torch.sin(position * inv_freq)
    table[:, 1::2] = torch.cos(position * inv_freq)[:, : dim // 2]
    return table


# ---------------------------------------------------------------------------------------------
# RoPE


def rope_inv_freq(config: ModelConfig) -> torch.Tensor:
    """Rotation speed of each channel pair: theta^(-2i/d), optionally rescaled for long context."""
    d = config.head_dim
    inv_freq = 1.0 / (config.rope_theta ** (torch.arange(0, d, 2, dtype=torch.float32) / d))
    scaling = config.rope_scaling or {}
    kind = scaling.get("rope_type", scaling.get("type", "default"))
    if kind == "linear":  # position interpolation (Chen et al., 2023): slow every channel down
        inv_freq = inv_freq / scaling["factor"]
    elif kind == "llama3":
        inv_freq = _llama3_scaled(inv_freq, scaling)
    elif kind != "default":
        raise ValueError(f"unsupported rope_scaling type {kind!r}")
    return inv_freq


def _llama3_scaled(inv_freq: torch.Tensor, s: dict) -> torch.Tensor:
    """Llama 3.1: slow down only the low-frequency channels, blend in between."""
    factor, low, high = s["factor"], s["low_freq_factor"], s["high_freq_factor"]
    old_len = s["original_max_position_embeddings"]
    wavelen = 2 * math.pi / inv_freq
    smooth = (old_len / wavelen - low) / (high - low)
    blended = (1 - smooth) * inv_freq / factor + smooth * inv_freq
    out = torch.where(wavelen > old_len / low, inv_freq / factor, inv_freq)
    is_medium = (wavelen <= old_len / low) & (wavelen >= old_len / high)
    return torch.where(is_medium, blended, out)


class RotaryEmbedding(nn.Module):
    """Turns positions (B, T) into the cos and signed-sin tables that `apply_rope` uses."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.register_buffer("inv_freq", rope_inv_freq(config), persistent=False)

    def forward(self, positions: torch.Tensor, dtype: torch.dtype = torch.float32
                ) -> tuple[torch.Tensor, torch.Tensor]:
        """positions (B, T) -> cos and signed sin (B, 1, T, head_dim) in `dtype`, computed
        once per forward and broadcast over the heads of every layer."""
        angles = positions[..., None].float() * self.inv_freq  # (B, T, head_dim/2)
        cos, sin = angles.cos(), angles.sin()
        # HF's half-split layout pairs channel i with channel i + d/2
        cos, signed_sin = torch.cat([cos, cos], dim=-1), torch.cat([-sin, sin], dim=-1)
        return cos[:, None].to(dtype), signed_sin[:, None].to(dtype)  # (B, 1, T, head_dim)


def apply_rope(x: torch.Tensor, cos: torch.Tensor, signed_sin: torch.Tensor) -> torch.Tensor:
    """Rotate channel pairs (a, b) = (x_i, x_{i+d/2}) of x (B, H, T, D) by the angle t:

        (a, b) -> (a cos t - b sin t,  b cos t + a sin t)

    Rolling x by d/2 puts b where a was (and a where b was), so the rotation is
    x * [cos, cos] + roll(x) * [-sin, sin]: two multiplies, no slicing.
    cos, signed_sin: (B, 1, T, D) from RotaryEmbedding. On the CPU the same arithmetic runs
    as one C pass (model/cpu_kernels.py: `rope`), in training as well (`_Rope`).
    """
    if backend.rope_applies(x, cos, signed_sin):
        if torch.is_grad_enabled() and x.requires_grad:
            return _Rope.apply(x.float(), cos, signed_sin)  # training; bf16 x under autocast
        return cpu_kernels.rope(x, cos, signed_sin)
    return x * cos + x.roll(x.shape[-1] // 2, dims=-1) * signed_sin


class _Rope(torch.autograd.Function):
    """The C pass in training too. y = x * cos + roll(x) * s is linear in x, and roll by D/2
    is its own transpose, so grad_x = g * cos + roll(g * s) = g * cos + roll(g) * roll(s):
    the same pass with the sine table rolled (for RoPE's [-sin, sin] that is -s, the
    rotation back by -t)."""

    @staticmethod
    def forward(ctx, x, cos, signed_sin):
        ctx.save_for_backward(cos, signed_sin)
        return cpu_kernels.rope(x, cos, signed_sin)

    @staticmethod
    def backward(ctx, grad):
        cos, signed_sin = ctx.saved_tensors
        grad = grad if grad.stride(-1) == 1 else grad.contiguous()
        rolled_sin = signed_sin.roll(signed_sin.shape[-1] // 2, dims=-1)
        return cpu_kernels.rope(grad, cos, rolled_sin), None, None


# ---------------------------------------------------------------------------------------------
# T5 relative position bias


def relative_position_bucket(
    relative_position: torch.Tensor, bidirectional: bool, num_buckets: int, max_distance: int
) -> torch.Tensor:
    """Map key-minus-query distances to buckets: exact for small ones, log-spaced beyond."""
    buckets = torch.zeros_like(relative_position)
    if bidirectional:  # half the buckets for keys after the query, half for keys before
        num_buckets //= 2
        buckets += (relative_position > 0).long() * num_buckets
        distance = relative_position.abs()
    else:  # a causal decoder only ever sees keys at or before the query
        distance = (-relative_position).clamp(min=0)
    max_exact = num_buckets // 2
    log_ratio = torch.log(distance.float() / max_exact + 1e-12) / math.log(max_distance / max_exact)
    far = max_exact + (log_ratio * (num_buckets - max_exact)).long()
    far = far.clamp(max=num_buckets - 1)
    return buckets + torch.where(distance < max_exact, distance, far)


class RelativePositionBias(nn.Module):
    """A learned bias per (bucketed distance, head), added to the attention logits."""

    def __init__(self, config: ModelConfig, bidirectional: bool) -> None:
        super().__init__()
        self.bidirectional = bidirectional
        self.num_buckets = config.relative_attention_num_buckets
        self.max_distance = config.relative_attention_max_distance
        self.weight = nn.Parameter(torch.zeros(self.num_buckets, config.num_attention_heads))

    def forward(self, query_pos: torch.Tensor, key_pos: torch.Tensor) -> torch.Tensor:
        """query_pos (B, T), key_pos (B, S) -> bias (B, n_head, T, S)."""
        relative = key_pos[:, None, :] - query_pos[:, :, None]  # (B, T, S)
        bucket = relative_position_bucket(
            relative, self.bidirectional, self.num_buckets, self.max_distance
        )
        return self.weight[bucket].permute(0, 3, 1, 2)
