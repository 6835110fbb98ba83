"""Unstructured magnitude pruning: the smallest weights zeroed, and kept at zero by a
fine-tune (structured pruning, which shrinks the model: test_prune_structured.py)."""

import pytest
import torch
from finetune_helpers import tiny_llama

from lmforge.errors import ConfigError
from lmforge.train.prune import keep_zeros, magnitude_prune, sparsity_of


def test_magnitude_prune_zeroes_the_smallest_and_fine_tuning_keeps_them():
    model = tiny_llama(120, seed=0)
    q = model.decoder.layers[0].attn.q_proj.weight
    threshold = q.abs().flatten().kthvalue(int(0.5 * q.numel())).values
    small = q.abs() <= threshold
    masks = magnitude_prune(model, 0.5)
    assert sparsity_of(model) == pytest.approx(0.5, abs=0.01)
    assert (q[small] == 0).all() and (q[~small] != 0).all()
    keep_zeros(model, masks)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)
    ids = torch.randint(0, 120, (2, 12))
    for _ in range(3):
        logits = model.logits(model(ids[:, :-1]))
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), ids[:, 1:].flatten())
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    assert sparsity_of(model) == pytest.approx(0.5, abs=0.01)
    assert (q[small] == 0).all()


def test_bad_pruning_settings_are_clear_errors():
    with pytest.raises(ConfigError, match="sparsity must be in"):
        magnitude_prune(tiny_llama(50), 1.0)
