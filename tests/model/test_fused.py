"""fuse_projections: same outputs, same state_dict names and values, loads back."""

import pytest
import torch

from lmforge.model.config import ModelConfig
from lmforge.model.fused import fuse_projections
from lmforge.model.quant import QuantizedLinear, quantize_model
from lmforge.model.transformer import Transformer


def tiny(**overrides) -> Transformer:
    settings = dict(vocab_size=64, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                    num_key_value_heads=2, intermediate_size=48, max_position_embeddings=64)
    config = ModelConfig(**{**settings, **overrides})
    torch.manual_seed(0)
    model = Transformer(config)
    model.init_weights(std=0.2)
    return model.eval()


def test_fused_model_computes_the_same_and_keeps_its_checkpoint_names():
    model = tiny(attention_bias=True)
    ids = torch.randint(0, 64, (2, 10))
    before, state = model(ids), {k: v.clone() for k, v in model.state_dict().items()}
    assert fuse_projections(model) == 4  # 2 layers x (qkv + gate/up)
    assert fuse_projections(model) == 0  # idempotent
    layer = model.decoder.layers[0]
    assert layer.attn.qkv_proj.weight.shape == (32 + 2 * 16, 32)
    assert layer.attn.qkv_proj.bias.shape == (64,)
    assert not hasattr(layer.attn, "q_proj") and layer.mlp.gate_up_proj is not None
    torch.testing.assert_close(model(ids), before, atol=1e-6, rtol=1e-6)
    fused_state = model.state_dict()
    assert fused_state.keys() == state.keys()
    for key, value in state.items():
        assert torch.equal(fused_state[key], value), key


def test_a_fused_model_loads_a_standard_checkpoint():
    source, target = tiny(), tiny()
    torch.manual_seed(1)
    source.init_weights(std=0.3)  # different weights from target's
    fuse_projections(target)
    target.load_state_dict(source.state_dict())
    ids = torch.randint(0, 64, (1, 8))
    torch.testing.assert_close(target(ids), source(ids), atol=1e-6, rtol=1e-6)


def test_plain_gelu_mlp_and_replaced_linears_are_left_alone():
    model = tiny(mlp="gelu", activation="gelu_tanh")
    model.decoder.layers[1].attn.k_proj = torch.nn.Sequential(model.decoder.layers[1].attn.k_proj)
    assert fuse_projections(model) == 1  # layer 0's qkv only


@pytest.mark.parametrize("bits", [4, 8])
def test_quantized_projections_fuse_and_keep_their_outputs_and_names(bits):
    """int4/int8 q/k/v and gate/up stack into one quantized linear (codes, scales and mins
    by output row): the same outputs through the kernels and the same state_dict."""
    model = tiny(intermediate_size=64)
    quantize_model(model, bits=bits, group_size=32)
    ids = torch.randint(0, 64, (2, 10))
    with torch.no_grad():  # the packed kernels' path
        kernel_before = model(ids)
    before, state = model(ids), {k: v.clone() for k, v in model.state_dict().items()}
    assert fuse_projections(model) == 4
    with torch.no_grad():
        torch.testing.assert_close(model(ids), kernel_before, atol=1e-5, rtol=1e-5)
    fused = model.decoder.layers[0].attn.qkv_proj
    assert isinstance(fused, QuantizedLinear) and fused.out_features == 32 + 2 * 16
    torch.testing.assert_close(model(ids), before, atol=1e-6, rtol=1e-6)
    fused_state = model.state_dict()
    assert fused_state.keys() == state.keys()
    for key, value in state.items():
        assert torch.equal(fused_state[key], value), key
    reloaded = tiny(intermediate_size=64)
    torch.manual_seed(5)
    reloaded.init_weights(std=0.3)  # other weights, replaced by the checkpoint's
    quantize_model(reloaded, bits=bits, group_size=32)
    fuse_projections(reloaded)
    reloaded.load_state_dict(state)
    torch.testing.assert_close(reloaded(ids), before, atol=1e-6, rtol=1e-6)
