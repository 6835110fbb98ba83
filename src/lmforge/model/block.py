"""One Transformer block: the residual stream with attention and a feed-forward network.

    pre-norm  (GPT-2, Llama, T5)        post-norm  (BERT, the original Transformer)

    x = x + attn(norm(x))               x = norm(x + attn(x))
    x = x + cross(norm(x), memory)      x = norm(x + cross(x, memory))
    x = x + mlp(norm(x))                x = norm(x + mlp(x))

The cross-attention line exists only in the decoder of an encoder-decoder model. Pre-norm
keeps an unnormalised path from input to output, which makes deep stacks train stably.
"""

import torch
from torch import nn

from lmforge.model.attention import Attention
from lmforge.model.config import ModelConfig
from lmforge.model.mlp import MLP
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
        self.mlp = MLP(config)
        self.dropout = nn.Dropout(config.dropout)

    def forward(
        self,
        x: torch.Tensor,
        mask: torch.Tensor | None,
        memory: torch.Tensor | None = None,
        memory_mask: torch.Tensor | None = None,
        **attn_kwargs,
    ) -> torch.Tensor:
        maps = attn_kwargs.get("attention_maps")
        x = self.residual(x, self.attn_norm, lambda h: self.attn(h, mask, **attn_kwargs))
        if memory is not None:
            x = self.residual(x, self.cross_norm, lambda h: self.cross_attn(
                h, memory_mask, memory=memory, attention_maps=maps))
        return self.residual(x, self.mlp_norm, self.mlp)

    def residual(self, x: torch.Tensor, norm: nn.Module, sublayer) -> torch.Tensor:
        """Add one sublayer to the residual stream, normalising before or after."""
        if self.pre_norm:
            return x + self.dropout(sublayer(norm(x)))
        return norm(x + self.dropout(sublayer(x)))
