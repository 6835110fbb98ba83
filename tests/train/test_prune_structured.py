"""Structured pruning: whole kv groups (with their query heads), query heads and MLP channels
removed; the smaller model equals the original with those parts silenced, transformers
runs the saved folder to the same logits, and the importance scores are the quantities
they claim to be."""

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.train.prune import parameter_count
from lmforge.train.prune_structured import (
    Width,
    activation_scores,
    magnitude_scores,
    plan_width,
    prune_width,
    width_for_ratios,
)

H, KV, D, C, I = 6, 2, 8, 48, 64  # noqa: E741 (the paper's letters)


def gqa_model(seed: int = 0, kv: int = KV) -> Transformer:
    config = ModelConfig(arch="llama", kind="decoder", vocab_size=97, hidden_size=C,
                         num_hidden_layers=2, num_attention_heads=H, num_key_value_heads=kv,
                         intermediate_size=I, max_position_embeddings=64)
    torch.manual_seed(seed)
    model = Transformer(config)
    model.init_weights()
    return model.eval()


def kept_rows(small: torch.Tensor, big: torch.Tensor, size: int) -> list[int]:
    """Which of big's row blocks of `size` rows survive (in order) as small's blocks."""
    blocks = big.view(-1, size, big.shape[-1])
    return [next(i for i, b in enumerate(blocks) if torch.equal(b, s))
            for s in small.view(-1, size, small.shape[-1])]


def silenced_copy(model: Transformer, pruned: Transformer) -> Transformer:
    """The original with every head and channel that `pruned` dropped writing zero."""
    silenced = gqa_model(seed=0)
    silenced.load_state_dict(model.state_dict())
    with torch.no_grad():
        for ours, theirs in zip(silenced.decoder.layers, pruned.decoder.layers, strict=True):
            heads = kept_rows(theirs.attn.q_proj.weight, ours.attn.q_proj.weight, D)
            for h in set(range(H)) - set(heads):
                ours.attn.o_proj.weight[:, h * D:(h + 1) * D] = 0
            channels = kept_rows(theirs.mlp.up_proj.weight, ours.mlp.up_proj.weight, 1)
            for j in set(range(I)) - set(channels):
                ours.mlp.down_proj.weight[:, j] = 0
    return silenced


def test_dropping_a_kv_group_takes_its_query_heads_and_keys_with_it():
    model = gqa_model()
    attn = model.decoder.layers[0].attn
    with torch.no_grad():  # group 0 (heads 0-2) clearly the least important in layer 0
        attn.q_proj.weight[:3 * D] *= 1e-3
    pruned = prune_width(model, Width(kv_groups=1, heads_per_group=3, channels=I))
    c = pruned.config
    assert (c.num_key_value_heads, c.num_attention_heads, c.head_dim) == (1, 3, D)
    small = pruned.decoder.layers[0].attn
    assert kept_rows(small.q_proj.weight, attn.q_proj.weight, D) == [3, 4, 5]
    assert kept_rows(small.k_proj.weight, attn.k_proj.weight, D) == [1]
    assert kept_rows(small.v_proj.weight, attn.v_proj.weight, D) == [1]
    assert small.o_proj.weight.shape == (C, 3 * D)
    before, after = parameter_count(model), parameter_count(pruned)
    per_layer = 3 * D * C * 2 + D * C * 2  # q rows + o columns, k rows + v rows
    assert before - after == 2 * per_layer


@pytest.mark.parametrize("width", [Width(1, 3, I), Width(2, 2, 32), Width(1, 1, 16)])
def test_pruned_model_equals_the_original_with_those_parts_silenced(width):
    """A dropped kv group's keys and values serve only its own query heads, so silencing
    those heads (o_proj columns 0) computes exactly what removing the group does."""
    model = gqa_model()
    pruned = prune_width(model, width)
    ids = torch.randint(0, 97, (2, 11))
    expected = silenced_copy(model, pruned)
    assert torch.allclose(pruned.logits(pruned(ids)), expected.logits(expected(ids)),
                          atol=1e-5)


def test_pruning_nothing_changes_nothing():
    model = gqa_model(seed=1)
    same = prune_width(model, plan_width(model.config))
    ids = torch.randint(0, 97, (2, 9))
    assert torch.allclose(same.logits(same(ids)), model.logits(model(ids)), atol=1e-6)


def test_transformers_runs_the_saved_pruned_folder_to_the_same_logits(tmp_path):
    from transformers import LlamaForCausalLM

    from lmforge.io.hf_checkpoint import load_hf_folder, save_hf_folder

    pruned = prune_width(gqa_model(), Width(kv_groups=1, heads_per_group=2, channels=40))
    save_hf_folder(pruned, tmp_path)
    reference = LlamaForCausalLM.from_pretrained(tmp_path).eval()
    assert reference.config.num_key_value_heads == 1 and reference.config.head_dim == D
    loaded = load_hf_folder(tmp_path)
    ids = torch.randint(0, 97, (1, 13))
    with torch.no_grad():
        theirs = reference(ids).logits
    assert torch.allclose(loaded.logits(loaded(ids)), theirs, atol=1e-4)
    assert torch.allclose(pruned.logits(pruned(ids)), theirs, atol=1e-4)


def test_magnitude_scores_are_the_weight_norm_products():
    model = gqa_model()
    heads, channels = magnitude_scores(model)[1]
    attn, mlp = model.decoder.layers[1].attn, model.decoder.layers[1].mlp
    h, j = 4, 17
    q = attn.q_proj.weight[h * D:(h + 1) * D].norm()
    o = attn.o_proj.weight[:, h * D:(h + 1) * D].norm()
    assert heads[h].item() == pytest.approx((q * o).item(), rel=1e-5)
    want = (mlp.up_proj.weight[j].norm() * mlp.gate_proj.weight[j].norm()
            * mlp.down_proj.weight[:, j].norm())
    assert channels[j].item() == pytest.approx(want.item(), rel=1e-5)


def test_activation_scores_are_norms_of_what_each_head_and_channel_outputs():
    model = gqa_model()
    ids = torch.randint(0, 97, (3, 10))
    mlp_inputs, attn_outputs = [], []
    block = model.decoder.layers[1]
    block.mlp.register_forward_hook(lambda m, i, o: mlp_inputs.append(i[0]))
    block.attn.register_forward_hook(lambda m, i, o: attn_outputs.append(o))
    model(ids)
    heads, channels = activation_scores(model, ids, batch_size=2)[1]
    x = mlp_inputs[0].flatten(0, 1)  # every token, recomputed from the weights
    act = F.silu(x @ block.mlp.gate_proj.weight.T) * (x @ block.mlp.up_proj.weight.T)
    assert torch.allclose(channels, act.norm(dim=0), rtol=1e-4)
    # the heads' outputs joined are what o_proj maps to the block's attention output
    out = attn_outputs[0].flatten(0, 1).double().T  # (C, tokens)
    y = torch.linalg.solve(block.attn.o_proj.weight.double(), out)  # o_proj: 48 x 48
    assert torch.allclose(heads.double(), y.T.reshape(30, H, D).norm(dim=(0, 2)), rtol=1e-3)


def test_activation_importance_drops_a_head_that_reads_nothing():
    """Magnitude keeps a head with large q/o weights whose values are all zero; the
    activations show it writes nothing, so activation importance drops it."""
    model = gqa_model(kv=H)  # one head per kv group
    with torch.no_grad():
        for block in model.decoder.layers:
            block.attn.q_proj.weight[:D] *= 50
            block.attn.v_proj.weight[:D] = 0
    ids = torch.randint(0, 97, (4, 12))
    width = Width(kv_groups=H - 1, heads_per_group=1, channels=I)
    by_weights = prune_width(model, width, "magnitude")
    by_activations = prune_width(model, width, "activation", calibration=ids)
    q = model.decoder.layers[0].attn.q_proj.weight
    assert 0 in kept_rows(by_weights.decoder.layers[0].attn.q_proj.weight, q, D)
    assert 0 not in kept_rows(by_activations.decoder.layers[0].attn.q_proj.weight, q, D)
    # and dropping it changes nothing: it wrote zeros
    assert torch.allclose(by_activations.logits(by_activations(ids)),
                          model.logits(model(ids)), atol=1e-5)


def test_ratios_round_to_whole_groups():
    config = gqa_model().config
    assert width_for_ratios(config, 0.5, 0.25) == Width(1, 3, 48)
    assert width_for_ratios(config, 0.0, 0.5) == Width(2, 3, 32)
    three_groups = gqa_model(kv=3).config
    assert width_for_ratios(three_groups, 0.25, 0.25) == Width(2, 2, 48)  # 0.75 -> 1 group


@pytest.mark.parametrize("call, message", [
    (lambda c: plan_width(c, kv_groups=3), "kv_groups (kept) must be in 1..2 (this model has 6 "
                                           "query heads in 2 kv groups of 3), got 3"),
    (lambda c: plan_width(c, kv_groups=0), "kv_groups (kept) must be in 1..2"),
    (lambda c: plan_width(c, heads_per_group=4), "heads_per_group must be in 1..3"),
    (lambda c: plan_width(c, mlp_keep=1.5), "must be in (0, 1], got 1.5"),
    (lambda c: plan_width(c, mlp_keep=0), "must be in (0, 1], got 0"),
    (lambda c: width_for_ratios(c, attention_prune=1.0), "must be in [0, 1), got 1.0"),
    (lambda c: width_for_ratios(c, mlp_prune=-0.1), "mlp_prune is a share of the width"),
])
def test_bad_widths_are_one_clear_error(call, message):
    with pytest.raises(ConfigError) as error:
        call(gqa_model().config)
    assert message in str(error.value) and "\n" not in str(error.value)


def test_bad_importance_and_fused_models_are_clear_errors():
    model = gqa_model()
    with pytest.raises(ConfigError, match="importance must be one of magnitude, activation"):
        prune_width(model, plan_width(model.config), "taylor")
    with pytest.raises(ConfigError, match="needs calibration text"):
        prune_width(model, plan_width(model.config), "activation")
    from lmforge.model.fused import fuse_projections

    fuse_projections(model)
    with pytest.raises(ConfigError, match="fused for inference"):
        prune_width(model, plan_width(model.config))
