"""Normalisation layers: LayerNorm (GPT-2, BERT) and RMSNorm (Llama, T5).

RMSNorm (Zhang & Sennrich, 2019) drops LayerNorm's mean subtraction and bias:
    y = x / sqrt(mean(x^2) + eps) * weight
It is computed in float32 because squaring bf16/fp16 activations overflows easily.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model import cpu_kernels
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig


class RMSNorm(nn.Module):
    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if backend.rms_norm_applies(x, self.weight):  # inference on the CPU: one C call
            return cpu_kernels.rms_norm(x.contiguous(), self.weight, self.eps)
        x32 = F.rms_norm(x.float(), (x.shape[-1],), eps=self.eps)
        return self.weight * x32.to(x.dtype)


def make_norm(config: ModelConfig) -> nn.Module:
    """The norm this family uses (chosen once, so every forward reads the same)."""
    if config.norm == "rmsnorm":
        return RMSNorm(config.hidden_size, config.norm_eps)
    return nn.LayerNorm(config.hidden_size, eps=config.norm_eps)
