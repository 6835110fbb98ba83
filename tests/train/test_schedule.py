"""Warmup + cosine values, and the optimizer's parameter groups."""

import math

import pytest
import torch

from lmforge.train.optim import make_optimizer, param_groups
from lmforge.train.schedule import learning_rate


def test_warmup_is_linear_and_never_zero():
    lrs = [learning_rate(s, 1e-3, 1e-4, warmup_steps=4, decay_steps=20) for s in range(4)]
    assert lrs == pytest.approx([2e-4, 4e-4, 6e-4, 8e-4])


def test_cosine_reaches_half_way_and_floor():
    lr, min_lr = 1e-3, 1e-4
    assert learning_rate(10, lr, min_lr, 10, 110) == pytest.approx(lr)
    assert learning_rate(60, lr, min_lr, 10, 110) == pytest.approx((lr + min_lr) / 2)
    expected = min_lr + 0.5 * (1 + math.cos(math.pi * 0.25)) * (lr - min_lr)
    assert learning_rate(35, lr, min_lr, 10, 110) == pytest.approx(expected)
    assert learning_rate(110, lr, min_lr, 10, 110) == pytest.approx(min_lr)
    assert learning_rate(500, lr, min_lr, 10, 110) == min_lr


def test_no_weight_decay_on_norms_biases_embeddings():
    from train_helpers import tiny_config

    from lmforge.model.transformer import Transformer

    model = Transformer(tiny_config("decoder"))
    decay, no_decay = param_groups(model, 0.1)
    names = {id(p): n for n, p in model.named_parameters()}
    decayed = sorted(names[id(p)] for p in decay["params"])
    skipped = sorted(names[id(p)] for p in no_decay["params"])
    assert decay["weight_decay"] == 0.1 and no_decay["weight_decay"] == 0.0
    assert all(n.endswith("proj.weight") for n in decayed), decayed
    assert "embed.tokens.weight" in skipped and "embed.positions.weight" in skipped
    assert any(n.endswith("norm.weight") for n in skipped)
    assert any(n.endswith("bias") for n in skipped)
    assert not any(n.endswith(("bias", "norm.weight")) or "embed" in n for n in decayed)
    # every parameter is in exactly one group; the tied lm_head is not counted twice
    assert len(decayed) + len(skipped) == len(list(model.parameters()))


def test_fused_adamw_matches_reference_adamw():
    torch.manual_seed(0)
    a, b = torch.nn.Linear(8, 8), torch.nn.Linear(8, 8)
    b.load_state_dict(a.state_dict())
    ours = make_optimizer(a, 1e-2, 0.1, (0.9, 0.95), "cpu")
    reference = torch.optim.AdamW(param_groups(b, 0.1), lr=1e-2, betas=(0.9, 0.95))
    for _ in range(3):
        x = torch.randn(4, 8)
        for model, opt in ((a, ours), (b, reference)):
            opt.zero_grad()
            model(x).square().mean().backward()
            opt.step()
    torch.testing.assert_close(a.weight, b.weight, rtol=1e-5, atol=1e-6)
