"""Pruning: magnitude sparsity that survives fine-tuning; structured pruning that really
shrinks the model and loads back from disk with the smaller shapes."""

import pytest
import torch
from finetune_helpers import tiny_llama

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.train.prune import (
    keep_zeros,
    magnitude_prune,
    parameter_count,
    prune_structured,
    sparsity_of,
)


def gqa_model(seed: int = 0) -> Transformer:
    config = ModelConfig(arch="llama", kind="decoder", vocab_size=97, hidden_size=48,
                         num_hidden_layers=2, num_attention_heads=6, num_key_value_heads=2,
                         intermediate_size=64, max_position_embeddings=64)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights()
    return model.eval()


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


def test_structured_pruning_keeps_the_important_heads_and_channels():
    model = gqa_model()
    attn = model.decoder.layers[0].attn
    with torch.no_grad():  # make head 4 (group 1) and channel 7 clearly unimportant
        attn.q_proj.weight[4 * 8:5 * 8] *= 1e-3
        model.decoder.layers[0].mlp.down_proj.weight[:, 7] = 0
    pruned = prune_structured(model, heads_per_group=2, mlp_keep=0.5)
    assert pruned.config.num_attention_heads == 4 and pruned.config.intermediate_size == 32
    assert pruned.config.num_key_value_heads == 2 and pruned.config.head_dim == 8
    kept = pruned.decoder.layers[0].attn.q_proj.weight.view(4, 8, 48)
    original = attn.q_proj.weight.view(6, 8, 48)
    # head 4 dropped from group (3, 4, 5); the kept heads are the originals, in order
    assert not any(torch.equal(k, original[4]) for k in kept)
    assert sum(any(torch.equal(k, original[h]) for k in kept) for h in range(6)) == 4
    assert parameter_count(pruned) < parameter_count(model)
    ids = torch.randint(0, 97, (1, 10))
    assert pruned.logits(pruned(ids)).shape == (1, 10, 97)


def test_pruned_model_equals_the_original_with_those_heads_and_channels_silenced():
    model = gqa_model(seed=2)
    pruned = prune_structured(model, heads_per_group=2, mlp_keep=0.5)
    silenced = gqa_model(seed=2)
    with torch.no_grad():
        for ours, theirs in zip(silenced.decoder.layers, pruned.decoder.layers, strict=True):
            q_kept = theirs.attn.q_proj.weight.view(4, 8, 48)
            q_all = ours.attn.q_proj.weight.view(6, 8, 48)
            for h in range(6):  # a head whose weights were dropped writes nothing
                if not any(torch.equal(k, q_all[h]) for k in q_kept):
                    ours.attn.o_proj.weight[:, h * 8:(h + 1) * 8] = 0
            kept = theirs.mlp.up_proj.weight
            for j in range(64):
                if not any(torch.equal(k, ours.mlp.up_proj.weight[j]) for k in kept):
                    ours.mlp.down_proj.weight[:, j] = 0
    ids = torch.randint(0, 97, (2, 9))
    assert torch.allclose(pruned.logits(pruned(ids)), silenced.logits(silenced(ids)),
                          atol=1e-5)


def test_pruning_nothing_changes_nothing():
    model = gqa_model(seed=1)
    same = prune_structured(model, heads_per_group=3, mlp_keep=1.0)
    ids = torch.randint(0, 97, (2, 9))
    assert torch.allclose(same.logits(same(ids)), model.logits(model(ids)), atol=1e-5)


def test_pruned_model_loads_back_with_smaller_shapes(tmp_path):
    from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder

    pruned = prune_structured(gqa_model(), heads_per_group=1, mlp_keep=0.25)
    save_hf_folder(pruned, tmp_path)
    loaded = load_hf_folder(tmp_path)
    assert loaded.config.num_attention_heads == 2 and loaded.config.intermediate_size == 16
    assert loaded.decoder.layers[1].attn.q_proj.weight.shape == (16, 48)
    ids = torch.randint(0, 97, (1, 7))
    assert torch.allclose(loaded.logits(loaded(ids)), pruned.logits(pruned(ids)), atol=1e-5)


def test_bad_pruning_settings_are_clear_errors():
    with pytest.raises(ConfigError, match="heads_per_group must be in 1..3"):
        prune_structured(gqa_model(), heads_per_group=4)
    with pytest.raises(ConfigError, match="sparsity must be in"):
        magnitude_prune(gqa_model(), 1.0)
