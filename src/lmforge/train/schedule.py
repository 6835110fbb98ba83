"""Learning-rate schedule: linear warmup, then cosine decay to a floor (nanoGPT's `get_lr`).

    lr
    ^     ____
    |    /    ``--.__
    |   /            ``-.__
    |  /                   ``--.______ min_lr
    | /
    +--warmup----------decay_steps------> step

Warmup keeps the first updates small while Adam's second-moment estimates are still
noise; the cosine (Loshchilov & Hutter 2017, "SGDR") spends most steps at a high rate
and anneals smoothly at the end. The schedule is a pure function of the step, so a
resumed run needs no scheduler state beyond the step itself.

Test: `pytest tests/train/test_schedule.py`.
"""

import math


def learning_rate(
    step: int, lr: float, min_lr: float, warmup_steps: int, decay_steps: int
) -> float:
    """The learning rate for optimizer step `step` (0-based)."""
    if step < warmup_steps:
        return lr * (step + 1) / (warmup_steps + 1)  # never exactly 0, as in nanoGPT
    if step >= decay_steps:
        return min_lr
    progress = (step - warmup_steps) / max(decay_steps - warmup_steps, 1)
    coeff = 0.5 * (1.0 + math.cos(math.pi * progress))  # 1 -> 0 over the decay
    return min_lr + coeff * (lr - min_lr)


def set_learning_rate(optimizer, value: float) -> None:
    """Set every group's lr; a group with `lr_scale` (an objective's head) gets value * scale."""
    for group in optimizer.param_groups:
        group["lr"] = value * group.get("lr_scale", 1.0)
