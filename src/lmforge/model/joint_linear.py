"""Linears that read the same input, run as one matmul over their concatenated weights, in
training under autocast.

Under bf16 autocast every linear casts its input and its weight and runs its own matmul,
forward and backward; q/k/v as one matmul (and gate/up as one) casts once and multiplies
bigger, better-shaped blocks: the char-shakespeare recipe's step on a CPU with AMX went from
24.9 to 23.3 ms (A/B in one process, 2026-12-01). In fp32 the concatenation cost more than
it saved (+1.3 ms), so it applies under autocast only. Unlike fused.py (inference: fused
once, in place), the weights are concatenated anew each step and autograd hands each one its
slice of the gradient, so parameters, optimizers and checkpoints keep their names.
When it applies: model/backend.py `joint_linear_applies`.
Test: pytest tests/model/test_model.py -k joint
"""

import torch
import torch.nn.functional as F


def joint_linear(x: torch.Tensor, linears: tuple) -> torch.Tensor:
    """x @ [W_1; W_2; ...]^T: the linears' outputs side by side on the last dimension."""
    return F.linear(x, torch.cat([m.weight for m in linears]))
