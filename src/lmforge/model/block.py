"""One Transformer block: the residual stream with attention and a feed-forward network.

    pre-norm  (GPT-2, Llama, T5)        post-norm  (BERT, the original Transformer)

    x = x + attn(norm(x))               x = norm(x + attn(x))
    x = x + cross(norm(x), memory)      x = norm(x + cross(x, memory))
    x = x + mlp(norm(x))                x = norm(x + mlp(x))

The cross-attention line exists only in the decoder of an encoder-decoder model. Pre-norm
keeps an unnormalised path from input to output, which makes deep stacks train stably.
The feed-forward `mlp` is one MLP (mlp.py), or with config.num_experts > 0 a mixture of
experts (moe.py): the residual stream reads the same either way.
"""

import torch
from torch import nn

from lmforge.model.attention import Attention
from lmforge.model.config import ModelConfig
from lmforge.model.kv_cache import CacheView
from lmforge.model.mlp import MLP
from lmforge.model.moe import MoE
from lmforge.model.norm import make_norm


class Block(nn.Module):
    def __init__(self, config: ModelConfig, has_cross_attention: bool = False) -> None:
        super().__init__()
        self.pre_norm = config.norm_position == "pre"
        self.attn_norm = make_norm(config)
        self.attn = Attention(config)
        if has_cross_attention:
            self.cross_norm = make_norm(config)
            self.cross_attn = Attention(config, is_cross=True)
        self.mlp_norm = make_norm(config)
        self.mlp = MoE(config) if config.num_experts else MLP(config)
        # no module call per token for a dropout that is off (inference, most fine-tunes)
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity()

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        *,
        rope: tuple[torch.Tensor, torch.Tensor] | None = None,
        cache: CacheView | None = None,
        layer: int = 0,
        is_causal: bool = False,
        attention_maps: list | None = None,
    ) -> torch.Tensor:
        """x (B, T, C) -> (B, T, C); the arguments after `*` are Attention's (attention.py)."""
        def attend(h):
            return self.attn(h, mask, rope=rope, cache=cache, layer=layer, is_causal=is_causal,
                             attention_maps=attention_maps)

        def cross(h):
            return self.cross_attn(h, memory_mask, memory=memory, attention_maps=attention_maps)

        if self.pre_norm:
            x = x + self.dropout(attend(self.attn_norm(x)))
            if memory is not None:
                x = x + self.dropout(cross(self.cross_norm(x)))
            return x + self.dropout(self.mlp(self.mlp_norm(x)))
        x = self.attn_norm(x + self.dropout(attend(x)))
        if memory is not None:
            x = self.cross_norm(x + self.dropout(cross(x)))
        return self.mlp_norm(x + self.dropout(self.mlp(x)))
