"""QLoRA's frozen base: the target linears stored in 4 bits, group-wise (Dettmers et al. 2023).

Each run of `group_size` weights along the input dimension shares a scale and a minimum
(lmforge's int4 format, `lmforge.model.quant.Int4Linear`):

    w ~ scale * q + min          q in 0..15, two codes a byte

so a weight costs 4 bits plus two floats per group (5 bits at group 64) instead of 32. The
quantized modules hold buffers only, so the base is frozen by construction; LoRA adapters
(train/lora.py) wrap them and train in fp32. Gradients still flow through the 4-bit base to
the adapters of earlier layers (the input gradient uses the dequantized weight).

Test: `pytest tests/train/test_lora.py -k qlora`.
"""

from torch import nn

from lmforge.errors import ConfigError


def quantize_base(model: nn.Module, targets: str, group_size: int = 64) -> list[str]:
    """Replace the target linears (the ones LoRA will adapt) by frozen int4 linears."""
    from lmforge.model.quant import quantize_model
    from lmforge.train.lora import linear_names, matching

    names = set(matching(linear_names(model), targets))
    if not names:
        raise ConfigError(f"QLoRA target pattern {targets!r} matches no linear module")
    quantize_model(model, bits=4, group_size=group_size, include=lambda name, _: name in names)
    for p in model.parameters():
        p.requires_grad_(False)
    return sorted(names)
