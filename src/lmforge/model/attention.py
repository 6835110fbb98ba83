"""Multi-head attention, with grouped-query attention and two equivalent paths.

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + bias) V        (Vaswani et al., 2017)

Each of `n_head` query heads looks at the sequence through its own d_k = head_dim slice.
Grouped-query attention (Ainslie et al., 2023) lets several query heads share one key/value
head, shrinking the KV cache by n_head / n_kv_head:

    MHA  n_kv_head == n_head      GQA  1 < n_kv_head < n_head      MQA  n_kv_head == 1
    q: | | | |                    q: | | | |                       q: | | | |
    k: | | | |                    k: |   |                         k: |
    v: | | | |                    v: |   |                         v: |

Qwen3 normalises each head's queries and keys (RMSNorm over head_dim, before RoPE), which
bounds the logits q.k and keeps the softmax from saturating as training goes on.

Two paths compute the same thing:
- fused: `F.scaled_dot_product_attention` (FlashAttention / memory-efficient kernels on GPU)
- explicit: the formula above written out, returning the attention weights for inspection.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model import joint_linear
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig
from lmforge.model.kv_cache import CacheView
from lmforge.model.norm import RMSNorm
from lmforge.model.positions import apply_rope


class Attention(nn.Module):
    """Self-attention (optionally causal, cached, rotary) or cross-attention."""

    def __init__(self, config: ModelConfig, is_cross: bool = False) -> None:
        super().__init__()
        self.n_head = config.num_attention_heads
        self.n_kv_head = config.num_key_value_heads
        self.head_dim = config.head_dim
        self.is_cross = is_cross
        self.use_rope = config.position == "rope" and not is_cross
        # scale by 1/sqrt(d_k) so dot products of random vectors keep unit variance and the
        # softmax does not saturate (T5 folds this into its initialisation: scale 1.0)
        self.scale = config.attention_scale or 1.0 / math.sqrt(self.head_dim)
        self.dropout = config.dropout
        self.q_dim, self.kv_dim = self.n_head * self.head_dim, self.n_kv_head * self.head_dim
        bias, C = config.attention_bias, config.hidden_size
        self.q_proj = nn.Linear(C, self.q_dim, bias=bias)
        self.k_proj = nn.Linear(C, self.kv_dim, bias=bias)
        self.v_proj = nn.Linear(C, self.kv_dim, bias=bias)
        self.qkv_proj: nn.Module | None = None  # q, k, v in one linear, set by fuse_projections
        self.o_proj = nn.Linear(self.q_dim, C, bias=config.attention_out_bias)
        # Qwen3: one RMSNorm over head_dim, shared by every query head (and every key head)
        self.q_norm = RMSNorm(self.head_dim, config.norm_eps) if config.qk_norm else None
        self.k_norm = RMSNorm(self.head_dim, config.norm_eps) if config.qk_norm else None

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None,
        *,
        rope: tuple[torch.Tensor, torch.Tensor] | None = None,
        cache: CacheView | None = None,
        layer: int = 0,
        memory: torch.Tensor | None = None,
        is_causal: bool = False,
        attention_maps: list | None = None,
    ) -> torch.Tensor:
        """x (B, T, C) -> (B, T, C).

        mask: bool (B, 1, T, S) True where a query may attend, or a float bias (B, H, T, S)
        with -inf where it may not; None with is_causal=True is plain causal attention.
        cache: a KV-cache view (kv_cache.py); it supplies the keys, values and mask instead.
        memory: the encoder output that cross-attention reads keys and values from.
        """
        B, T, _ = x.shape
        q, k, v = self.project(x, memory if self.is_cross else x)
        if self.q_norm is not None:  # per head, before RoPE rotates the pairs
            q, k = self.q_norm(q), self.k_norm(k)
        if self.use_rope:
            q, k = apply_rope(q, *rope), apply_rope(k, *rope)
        if cache is not None and not self.is_cross:  # generation: keys/values live in a cache
            cache.write(layer, k, v)  # this forward's new tokens
            # a paged cache may run one kernel over its own blocks (decode on the CPU)
            y = cache.attend(layer, q, self.scale) if attention_maps is None else None
            if y is None:
                k, v = cache.read(layer)  # (n_seq, n_kv, S, D): all each sequence may see
                q = cache.queries(q)  # (n_seq, H, Tq, D): the new queries of each sequence
                y = self.attend(q, k, v, cache.mask, cache.is_causal, attention_maps)
                y = cache.outputs(y)  # (B, H, T, D) in the input's token order
        else:
            y = self.attend(q, k, v, mask, is_causal, attention_maps)
        y = y.transpose(1, 2).reshape(B, T, self.n_head * self.head_dim)  # re-join the heads
        return self.o_proj(y)

    def attend(self, q, k, v, mask, is_causal: bool, attention_maps: list | None):
        """softmax(QK^T * scale + mask) V, keeping the weights when maps are asked for."""
        if attention_maps is None:
            return self.fused_attention(q, k, v, mask, is_causal)
        y, weights = self.explicit_attention(q, k, v, mask, is_causal)
        attention_maps.append(weights)
        return y

    def project(self, x: torch.Tensor, source: torch.Tensor):
        """Queries from x (B, T, C), keys and values from source: (B, heads, tokens, D) each."""
        B, T, _ = x.shape
        widths = [self.q_dim, self.kv_dim, self.kv_dim]
        if self.qkv_proj is not None:  # fused for inference (fused.py): one matmul, not three
            q, k, v = self.qkv_proj(x).split(widths, dim=-1)
        elif source is x and backend.joint_linear_applies(x, (self.q_proj, self.k_proj,
                                                               self.v_proj)):
            # training under autocast: the same single matmul (joint_linear.py)
            linears = (self.q_proj, self.k_proj, self.v_proj)
            q, k, v = joint_linear.joint_linear(x, linears).split(widths, dim=-1)
        else:
            q, k, v = self.q_proj(x), self.k_proj(source), self.v_proj(source)
        q = q.view(B, T, self.n_head, self.head_dim).transpose(1, 2)  # (B, H, T, D)
        k = k.view(B, -1, self.n_kv_head, self.head_dim).transpose(1, 2)  # (B, n_kv, S, D)
        v = v.view(B, -1, self.n_kv_head, self.head_dim).transpose(1, 2)
        return q, k, v

    def fused_attention(self, q, k, v, mask, is_causal: bool) -> torch.Tensor:
        """softmax(QK^T * scale + mask) V in one kernel (FlashAttention when it applies)."""
        if q.is_cpu and torch.is_autocast_enabled("cpu"):
            # PyTorch's CPU flash attention runs its bf16 backward ~8x slower than its fp32
            # one (torch 2.13, AMX): under CPU autocast attend in fp32, the matmuls stay bf16
            with torch.autocast("cpu", enabled=False):
                mask = mask.float() if mask is not None and mask.is_floating_point() else mask
                return self.fused_attention(q.float(), k.float(), v.float(), mask, is_causal)
        return F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=mask,
            dropout_p=self.dropout if self.training else 0.0,
            is_causal=is_causal and mask is None,
            scale=self.scale,
            enable_gqa=self.n_kv_head != self.n_head,
        )

    def explicit_attention(self, q, k, v, mask, is_causal: bool):
        """The same computation written out; also returns the weights (B, H, T, S)."""
        k, v = self.repeat_kv(k), self.repeat_kv(v)  # each query head gets its kv group
        scores = (q @ k.transpose(-2, -1)) * self.scale  # (B, H, T, S)
        if mask is None and is_causal:
            T, S = scores.shape[-2:]
            mask = torch.ones(T, S, dtype=torch.bool, device=q.device).tril(S - T)
        if mask is not None and mask.dtype == torch.bool:
            scores = scores.masked_fill(~mask, float("-inf"))
        elif mask is not None:
            scores = scores + mask
        weights = F.softmax(scores.float(), dim=-1).to(q.dtype)
        weights = F.dropout(weights, self.dropout, self.training)
        return weights @ v, weights

    def repeat_kv(self, x: torch.Tensor) -> torch.Tensor:
        """(B, n_kv, S, D) -> (B, n_head, S, D): key/value head g serves query heads of group g."""
        return x.repeat_interleave(self.n_head // self.n_kv_head, dim=1)
