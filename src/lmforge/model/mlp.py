"""The position-wise feed-forward network: each token's vector is transformed on its own.

    plain (GPT-2, BERT, T5):   down(act(up(x)))
    gated (Llama, T5 v1.1):    down(act(gate(x)) * up(x))     (Shazeer, 2020, "GLU Variants")

SwiGLU is the gated form with SiLU; GEGLU with GELU. The gate lets the network switch
channels off per token, which trains better for the same parameter count.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model import joint_linear
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig

ACTIVATIONS = {
    "gelu": F.gelu,  # exact, erf-based (BERT)
    "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),  # GPT-2's "gelu_new"
    "relu": F.relu,
    "silu": F.silu,
    "quick_gelu": lambda x: x * torch.sigmoid(1.702 * x),  # OpenAI CLIP's sigmoid estimate
}


def activation(name: str):
    if name not in ACTIVATIONS:
        raise ValueError(f"unknown activation {name!r}; known: {', '.join(ACTIVATIONS)}")
    return ACTIVATIONS[name]


class MLP(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        C, H, bias = config.hidden_size, config.intermediate_size, config.mlp_bias
        self.is_gated = config.mlp in ("swiglu", "geglu")
        if self.is_gated:
            self.gate_proj = nn.Linear(C, H, bias=bias)
        self.up_proj = nn.Linear(C, H, bias=bias)
        self.gate_up_proj: nn.Module | None = None  # gate and up in one linear (fused.py)
        self.down_proj = nn.Linear(H, C, bias=bias)
        self.act = activation(config.activation)
        # no module call per token for a dropout that is off (inference, most fine-tunes)
        self.dropout = nn.Dropout(config.dropout) if config.dropout > 0 else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.gate_up_proj is not None:  # fused for inference: one matmul, then split
            gate, up = self.gate_up_proj(x).chunk(2, dim=-1)  # (B, T, intermediate) each
            h = self.act(gate) * up
        elif self.is_gated and backend.joint_linear_applies(x, (self.gate_proj, self.up_proj)):
            gate, up = joint_linear.joint_linear(x, (self.gate_proj, self.up_proj)).chunk(2, -1)
            h = self.act(gate) * up  # training under autocast: one matmul, as above
        else:
            h = self.up_proj(x)  # (B, T, intermediate)
            h = self.act(self.gate_proj(x)) * h if self.is_gated else self.act(h)
        return self.down_proj(self.dropout(h))  # (B, T, C)
