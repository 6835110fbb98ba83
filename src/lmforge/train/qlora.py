"""QLoRA's frozen base: the target linears stored in 4 bits, group-wise (Dettmers et al. 2023).

Each run of `group_size` weights along the input dimension shares one scale:

    scale = max|w| / 7          q = round(w / scale) in [-8, 7]          w ~ q * scale

Two 4-bit values pack into one byte, so a weight costs 4 bits plus one fp32 scale per group
(4.5 bits at group 64) instead of 32. The forward dequantizes the weight and multiplies
(readable, not fast: helper B's `lmforge.model.quant` kernels are used instead when that
module is installed). The base never trains; LoRA adapters on top of it do, in fp32.

Test: `pytest tests/train/test_lora.py -k qlora`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError


class Int4Linear(nn.Module):
    """A frozen linear whose weight is int4 group-wise: packed (out, in/2) bytes + scales."""

    def __init__(self, linear: nn.Linear, group_size: int = 64) -> None:
        super().__init__()
        out_f, in_f = linear.weight.shape
        if in_f % group_size or group_size % 2:
            raise ConfigError(f"int4 group size {group_size} must be even and divide the "
                              f"input size {in_f}")
        self.in_features, self.out_features, self.group_size = in_f, out_f, group_size
        w = linear.weight.detach().float().reshape(out_f, in_f // group_size, group_size)
        scale = w.abs().amax(-1, keepdim=True).clamp(min=1e-8) / 7  # (out, groups, 1)
        q = torch.clamp(torch.round(w / scale), -8, 7).to(torch.int8) + 8  # 0..15
        q = q.reshape(out_f, in_f).to(torch.uint8)
        self.register_buffer("packed", q[:, 0::2] | (q[:, 1::2] << 4))  # (out, in/2) uint8
        self.register_buffer("scales", scale.squeeze(-1))  # (out, groups) fp32
        bias = linear.bias.detach().clone() if linear.bias is not None else None
        self.register_buffer("bias", bias)
        self.compute_dtype = linear.weight.dtype

    def dequantize(self) -> torch.Tensor:
        """The (out, in) weight the 4-bit codes stand for."""
        low = (self.packed & 0x0F).to(torch.int8) - 8
        high = (self.packed >> 4).to(torch.int8) - 8
        q = torch.stack([low, high], dim=-1).reshape(self.out_features, self.in_features)
        groups = q.reshape(self.out_features, -1, self.group_size).float()
        return (groups * self.scales[..., None]).reshape(self.out_features, self.in_features)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        w = self.dequantize().to(x.dtype)
        return F.linear(x, w, None if self.bias is None else self.bias.to(x.dtype))


def quantize_base(model: nn.Module, targets: str, group_size: int = 64) -> list[str]:
    """Replace the target linears (the ones LoRA will adapt) by frozen int4 linears."""
    from lmforge.train.lora import linear_names, matching

    names = matching(linear_names(model), targets)
    if not names:
        raise ConfigError(f"QLoRA target pattern {targets!r} matches no linear module")
    quantizer = _external_quantizer()
    for name in names:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name)
        linear = getattr(parent, child)
        setattr(parent, child, quantizer(linear, group_size) if quantizer
                else Int4Linear(linear, group_size))
    for p in model.parameters():
        p.requires_grad_(False)
    return names


def _external_quantizer():
    """helper B's int4 linear (lmforge.model.quant) when it is there, else None."""
    try:
        from lmforge.model import quant
    except ImportError:
        return None
    return getattr(quant, "int4_linear", None)
