"""Model core behaviour: the two attention paths agree, masks and positions do what they say."""

import math

import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.kv_cache import KVCache
from lmforge.model.norm import RMSNorm
from lmforge.model.positions import RotaryEmbedding, apply_rope, sinusoidal_table
from lmforge.model.transformer import Transformer


def tiny(**overrides) -> Transformer:
    torch.manual_seed(0)
    config = ModelConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=64, **overrides)
    model = Transformer(config)
    model.init_weights()
    return model.eval()


IDS = torch.randint(0, 50, (2, 12), generator=torch.Generator().manual_seed(0))


@pytest.mark.parametrize("position", ["rope", "learned", "sinusoidal"])
def test_explicit_attention_equals_sdpa_values_and_gradients(position):
    model = tiny(position=position).train()  # dropout is 0: train mode just enables grads
    fused = model.logits(model(IDS)).square().mean()
    fused.backward()
    fused_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    maps: list = []
    explicit = model.logits(model(IDS, attention_maps=maps)).square().mean()
    explicit.backward()
    assert torch.allclose(fused, explicit, atol=1e-6)
    for p, g in zip(model.parameters(), fused_grads, strict=True):
        assert torch.allclose(p.grad, g, atol=1e-6)
    assert len(maps) == 2 and maps[0].shape == (2, 4, 12, 12)
    assert torch.allclose(maps[0].sum(-1), torch.ones(2, 4, 12))  # each row is a distribution


def test_cpu_autocast_attends_in_fp32_with_gradients():
    attn = tiny().decoder.layers[0].attn
    q, k, v = (torch.randn(2, h, 12, 8).bfloat16().requires_grad_() for h in (4, 2, 2))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        y = attn.fused_attention(q, k, v, None, is_causal=True)
    reference = torch.nn.functional.scaled_dot_product_attention(
        q.float(), k.float(), v.float(), is_causal=True, scale=attn.scale, enable_gqa=True)
    assert y.dtype == torch.float32 and torch.equal(y, reference)
    y.square().sum().backward()
    assert q.grad.dtype == torch.bfloat16 and q.grad.abs().sum() > 0


def test_causal_mask_hides_the_future():
    model = tiny()
    maps: list = []
    with torch.no_grad():
        full = model(IDS, attention_maps=maps)
        changed = IDS.clone()
        changed[:, 8:] = (changed[:, 8:] + 1) % 50
        partial = model(changed)
    assert torch.allclose(full[:, :8], partial[:, :8], atol=1e-6)  # past unaffected
    assert not torch.allclose(full[:, 8:], partial[:, 8:])
    assert maps[0].triu(1).abs().max() == 0  # no weight on any later key


def test_encoder_is_bidirectional():
    model = tiny(kind="encoder", position="learned", norm="layernorm", norm_position="post")
    with torch.no_grad():
        a = model(IDS)
        changed = IDS.clone()
        changed[:, -1] = (changed[:, -1] + 1) % 50
        b = model(changed)
    assert not torch.allclose(a[:, 0], b[:, 0])  # the first token sees the last one


def test_kv_cache_equals_full_recompute():
    model = tiny()
    cache = KVCache(2, 2, 2, 8, capacity=16)
    with torch.no_grad():
        full = model(IDS)
        pos = torch.arange(12).expand(2, -1)
        prefix = model(IDS[:, :7], pos[:, :7], cache=cache.view(pos[:, :7]))
        steps = [model(IDS[:, t:t + 1], pos[:, t:t + 1], cache=cache.view(pos[:, t:t + 1]))
                 for t in range(7, 12)]
    incremental = torch.cat([prefix, *steps], dim=1)
    assert torch.allclose(full, incremental, atol=1e-5)


def test_rmsnorm_formula():
    x = torch.randn(3, 8)
    norm = RMSNorm(8, eps=1e-6)
    norm.weight.data = torch.arange(8.0)
    expected = x / torch.sqrt(x.pow(2).mean(-1, keepdim=True) + 1e-6) * torch.arange(8.0)
    assert torch.allclose(norm(x), expected, atol=1e-6)


def test_sinusoidal_table_values():
    table = sinusoidal_table(10, 8)
    assert table[0, 0::2].abs().max() == 0 and torch.all(table[0, 1::2] == 1)
    assert math.isclose(table[3, 2].item(), math.sin(3 / 10000 ** (2 / 8)), rel_tol=1e-5)


def test_rope_scores_depend_only_on_distance():
    config = ModelConfig(hidden_size=32, num_attention_heads=2, intermediate_size=8)
    rope = RotaryEmbedding(config)
    q, k = torch.randn(1, 1, 1, 16), torch.randn(1, 1, 1, 16)

    def score(i: int, j: int) -> float:
        cos_i, sin_i = rope(torch.tensor([[i]]))
        cos_j, sin_j = rope(torch.tensor([[j]]))
        return (apply_rope(q, cos_i, sin_i) * apply_rope(k, cos_j, sin_j)).sum().item()

    assert math.isclose(score(5, 2), score(13, 10), rel_tol=1e-4)
    assert not math.isclose(score(5, 2), score(5, 4), rel_tol=1e-3)


def test_gqa_shrinks_the_kv_projection():
    model = tiny()
    attn = model.decoder.layers[0].attn
    assert attn.q_proj.weight.shape == (32, 32) and attn.k_proj.weight.shape == (16, 32)


def test_tied_embeddings_share_storage():
    model = tiny()
    assert model.lm_head.weight.data_ptr() == model.embed.tokens.weight.data_ptr()
    untied = tiny(tie_word_embeddings=False)
    assert untied.lm_head.weight.data_ptr() != untied.embed.tokens.weight.data_ptr()


@pytest.mark.parametrize("bad, message", [
    (dict(hidden_size=30, num_attention_heads=4), "not divisible"),
    (dict(num_attention_heads=4, num_key_value_heads=3), "multiple"),
    (dict(kind="decoder-ish"), "unknown model kind"),
    (dict(vocab_size=0), "vocab_size"),
])
def test_impossible_configs_are_named(bad, message):
    with pytest.raises(ConfigError, match=message):
        ModelConfig(**bad)


def test_unknown_config_key_is_named():
    with pytest.raises(ConfigError, match="n_embd"):
        ModelConfig.from_dict({"n_embd": 64}, source="recipe.yaml")


def test_joint_linears_under_autocast_equal_separate_ones_values_and_gradients(monkeypatch):
    """Training under autocast runs q/k/v (and gate/up) as one matmul over the concatenated
    weights (joint_linear.py): the same loss and the same gradient for each weight."""
    from lmforge.model import joint_linear
    from lmforge.model.backend import backend

    def loss_and_grads():
        model = tiny(mlp="swiglu", activation="silu").train()
        with torch.autocast("cpu", dtype=torch.bfloat16):
            loss = model.logits(model(IDS)).float().square().mean()
        loss.backward()
        return loss.detach(), [p.grad for p in model.parameters()]

    calls, real = [], joint_linear.joint_linear
    monkeypatch.setattr(joint_linear, "joint_linear",
                        lambda x, linears: calls.append(len(linears)) or real(x, linears))
    joint_loss, joint_grads = loss_and_grads()
    assert sorted(set(calls)) == [2, 3]  # gate/up and q/k/v
    monkeypatch.setattr(backend, "joint_linear_applies", lambda x, linears: False)
    loss, grads = loss_and_grads()
    torch.testing.assert_close(joint_loss, loss, rtol=1e-2, atol=1e-2)
    for a, b in zip(joint_grads, grads, strict=True):
        torch.testing.assert_close(a, b, rtol=5e-2, atol=5e-3)
