"""Quantized linears (model/quant.py): kernels match the reference path, the reference path
matches a dequantized nn.Linear, quantization error stays within its bound, and
quantize_model swaps layers in place with clear errors for impossible group sizes."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError
from lmforge.model import quant
from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig
from lmforge.model.quant import (
    Int4Linear,
    Int8Linear,
    QuantizedLinear,
    pack_int4,
    quantize_model,
    unpack_int4,
)
from lmforge.model.transformer import Transformer


def _linear(n_out=64, n_in=128, bias=True, seed=0) -> nn.Linear:
    torch.manual_seed(seed)
    layer = nn.Linear(n_in, n_out, bias=bias)
    nn.init.normal_(layer.weight, std=0.05)
    return layer


def test_int4_codes_pack_and_unpack_exactly():
    codes = torch.randint(0, 16, (16, 64), dtype=torch.uint8)
    packed = pack_int4(codes)
    assert packed.shape == (16, 32) and packed.dtype == torch.uint8
    assert torch.equal(unpack_int4(packed), codes)
    assert packed[0, 0] == codes[0, 0] | (codes[0, 1] << 4)  # column 0 low nibble


def _assert_kernel_close(out, ref):
    """PyTorch's kernels compute in bf16 (8 significant bits): relative error ~2^-8."""
    err = (out - ref).norm() / ref.norm()
    assert err < 8e-3, err


@pytest.mark.parametrize("rows", [1, 3, 70])  # one kernel call, and chunks of 64 rows
@torch.no_grad()
def test_int8_forward_matches_reference_and_float_within_error(rows):
    layer = _linear()
    q = Int8Linear.from_float(layer.weight, layer.bias)
    x = torch.randn(rows, 128)
    ref = q.reference_forward(x)
    _assert_kernel_close(q(x), ref)
    # each weight is off by at most half a step (scale / 2): bound the output error by it
    step = q.scales.max().item()
    bound = 0.5 * step * x.abs().sum(-1, keepdim=True)
    assert ((ref - layer(x)).abs() <= bound + 1e-6).all()
    assert (q.dequantize() - layer.weight).abs().max() <= 0.5 * step + 1e-7


@pytest.mark.parametrize("group_size", [32, 64, 128])
@pytest.mark.parametrize("rows", [1, 5, 33])  # x2 leading rows: 66 > one chunk
@torch.no_grad()
def test_int4_forward_matches_reference_and_float_within_error(group_size, rows):
    layer = _linear(n_out=48, n_in=256)
    q = Int4Linear.from_float(layer.weight, layer.bias, group_size)
    assert q.qweight.shape == (48, 128) and q.scales.shape == (48, 256 // group_size)
    x = torch.randn(2, rows, 256)  # any leading dims, like nn.Linear
    ref = q.reference_forward(x)
    out = q(x)
    assert out.shape == (2, rows, 48) and out.dtype == torch.float32
    _assert_kernel_close(out, ref)
    deq = q.dequantize()
    step = q.scales.repeat_interleave(group_size, dim=1)  # (N, K) each weight's step
    assert ((deq - layer.weight).abs() <= 0.5 * step + 1e-6).all()
    # the dequantized weight in an ordinary nn.Linear gives the reference output
    torch.testing.assert_close(ref, nn.functional.linear(x, deq, layer.bias))


def test_pytorch_int4_kernel_path_is_taken_for_decode_and_equals_reference(monkeypatch):
    monkeypatch.setattr(backend, "own_kernels", False)  # as where lmforge's cannot build
    layer = _linear(n_out=32, n_in=64)
    q = Int4Linear.from_float(layer.weight, None, 32)
    calls = []
    real = torch.ops.aten._weight_int4pack_mm_for_cpu
    monkeypatch.setattr(quant.torch.ops.aten, "_weight_int4pack_mm_for_cpu",
                        lambda *a: calls.append(1) or real(*a), raising=False)
    x = torch.randn(1, 64)
    with torch.no_grad():
        _assert_kernel_close(q(x), q.reference_forward(x))
    assert calls, "the packed CPU kernel did not run for a single row"
    # exactness of the kernel's input format: bf16 codes of the reference inputs agree
    xb = x.bfloat16().float()
    with torch.no_grad():
        torch.testing.assert_close(q(xb), q.reference_forward(xb), rtol=1e-2, atol=1e-2)


@pytest.mark.parametrize("rows", [1, 16, 17, 300])  # GEMV up to 16 rows, then dequant + GEMM
@pytest.mark.parametrize("bits", [8, 4])
def test_own_kernels_run_on_cpu_and_equal_the_reference_in_fp32(monkeypatch, bits, rows):
    from lmforge.model import cpu_kernels

    assert cpu_kernels.available(), "this CPU has AVX2 or AVX-512 and a C compiler"
    monkeypatch.setattr(quant, "DEQUANT_CHUNK", 64 * 40)  # several weight slices per GEMM
    called = []
    for name in ("q4_matmul", "q8_matmul", "q4_dequantize", "q8_dequantize"):
        real = getattr(cpu_kernels, name)
        monkeypatch.setattr(cpu_kernels, name,
                            lambda *a, real=real, name=name: called.append(name) or real(*a))
    monkeypatch.setattr(backend, "int8_activations", False)  # fp32 x: the reference's result
    layer = _linear(n_out=100, n_in=64)
    q = quant.quantize_linear(layer, bits, 32)
    x = torch.randn(rows, 64)
    with torch.no_grad():
        torch.testing.assert_close(q(x), q.reference_forward(x), rtol=1e-5, atol=1e-5)
    expected = f"q{bits}_matmul" if rows <= backend.gemv_max_rows else f"q{bits}_dequantize"
    assert set(called) == {expected}


@pytest.mark.parametrize("bits", [8, 4])
def test_decode_rows_take_int8_activations_and_more_rows_fp32(monkeypatch, bits):
    """Up to gemv_max_rows rows (decode steps) x is rounded to int8 blocks, as llama.cpp
    does: the reference path applied to those rounded activations is the result. More rows
    (a prefill) multiply fp32 x with the dequantized weights."""
    from lmforge.model import cpu_kernels

    called = []
    for name in ("q4_matmul_q8", "q8_matmul_q8", "q4_dequantize", "q8_dequantize"):
        real = getattr(cpu_kernels, name)
        monkeypatch.setattr(cpu_kernels, name,
                            lambda *a, real=real, name=name: called.append(name) or real(*a))
    q = quant.quantize_linear(_linear(n_out=100, n_in=64), bits, 32)
    with torch.no_grad():
        for rows in (1, 2, backend.gemv_max_rows, backend.gemv_max_rows + 1):
            x = torch.randn(rows, 64)
            int8 = rows <= backend.gemv_max_rows
            seen = cpu_kernels.int8_activations(x) if int8 else x
            torch.testing.assert_close(q(x), q.reference_forward(seen), rtol=1e-5, atol=1e-5)
            assert called[-1] == f"q{bits}_" + ("matmul_q8" if int8 else "dequantize")


@pytest.mark.parametrize("bits", [8, 4])
def test_prefill_gemm_runs_in_bf16_where_the_cpu_has_bf16_hardware(monkeypatch, bits):
    """On a CPU with AMX / AVX-512 BF16 a prefill's GEMM takes x and the dequantized weights
    in bf16 (the C kernel writes them so, rounded as .bfloat16() rounds): the reference
    path on those bf16 operands is the result, up to the GEMM's own bf16 output rounding."""
    from lmforge import cpu_features

    monkeypatch.setattr(cpu_features, "flags", lambda: frozenset({"avx512f", "amx_bf16"}))
    monkeypatch.setattr(backend, "bf16_gemm", True)
    monkeypatch.setattr(quant, "DEQUANT_CHUNK", 64 * 40)  # several weight slices per GEMM
    q = quant.quantize_linear(_linear(n_out=100, n_in=64), bits, 32)
    x = torch.randn(backend.gemv_max_rows + 5, 64)
    with torch.no_grad():
        got = q(x)
        expected = F.linear(x.bfloat16(), q.dequantize().bfloat16()).float() + q.bias
        assert got.dtype == torch.float32
        torch.testing.assert_close(got, expected, rtol=1e-2, atol=1e-2)
        fp32 = q.reference_forward(x)
        assert 0 < (got - fp32).abs().max() < 0.05  # bf16, not fp32: close, not equal
        monkeypatch.setattr(cpu_features, "flags", lambda: frozenset({"avx512f"}))
        torch.testing.assert_close(q(x), fp32, rtol=1e-5, atol=1e-5)  # no bf16 hardware


def test_dequantizers_write_bf16_as_pytorch_rounds_it():
    from lmforge.model import cpu_kernels

    scratch = torch.empty(100 * 64)
    q4 = Int4Linear.from_float(_linear(100, 64).weight, None, 32)
    w32 = cpu_kernels.q4_dequantize(q4.qweight, q4.scales, q4.mins, 32, scratch).clone()
    w16 = cpu_kernels.q4_dequantize(q4.qweight, q4.scales, q4.mins, 32,
                                    scratch.view(torch.bfloat16))
    assert torch.equal(w16, w32.bfloat16())
    q8 = Int8Linear.from_float(_linear(100, 64).weight)
    w32 = cpu_kernels.q8_dequantize(q8.qweight, q8.scales, 64, scratch).clone()
    assert torch.equal(cpu_kernels.q8_dequantize(q8.qweight, q8.scales, 64,
                                                 scratch.view(torch.bfloat16)), w32.bfloat16())


def test_gradient_flows_to_the_input_through_the_reference_path():
    q = Int4Linear.from_float(_linear(32, 64).weight, None, 32)
    x = torch.randn(1, 64, requires_grad=True)
    q(x).sum().backward()  # QLoRA's adapters below a frozen quantized layer need this
    torch.testing.assert_close(x.grad[0], q.dequantize().sum(0))


def test_kernel_cache_follows_loaded_weights():
    a = Int4Linear.from_float(_linear(32, 64, seed=1).weight, None, 32)
    b = Int4Linear.from_float(_linear(32, 64, seed=2).weight, None, 32)
    x = torch.randn(1, 64)
    with torch.no_grad():
        a(x)  # builds a's packed copy
        a.load_state_dict(b.state_dict())
        _assert_kernel_close(a(x), b.reference_forward(x))


@pytest.mark.parametrize("bits", [8, 4])
def test_quantized_embedding_reads_rows_of_the_dequantized_table(bits):
    layer = _linear(n_out=32, n_in=64)
    table = quant.quantize_linear(layer, bits, 32)
    embedding = quant.QuantizedEmbedding(table)
    ids = torch.tensor([[3, 0, 31], [7, 7, 1]])
    torch.testing.assert_close(embedding(ids), table.dequantize()[ids])


def test_int8_weight_at_an_unaligned_address_is_copied_before_the_kernel_reads_it():
    layer = _linear(n_out=64, n_in=64)
    q = Int8Linear.from_float(layer.weight)
    storage = torch.zeros(64 * 64 + 8, dtype=torch.int8)
    unaligned = storage[8:].view(64, 64)  # as safetensors can hand it over
    unaligned.copy_(q.qweight)
    assert unaligned.data_ptr() % 64 != 0
    q2 = Int8Linear(unaligned, q.scales)
    assert q2.qweight.data_ptr() % 64 == 0
    x = torch.randn(4, 64)
    with torch.no_grad():
        _assert_kernel_close(q2(x), q.reference_forward(x))


def test_quantized_modules_hold_buffers_only():
    q = Int4Linear.from_float(_linear().weight, _linear().bias, 32)
    assert list(q.parameters()) == []
    assert set(q.state_dict()) == {"qweight", "scales", "mins", "bias"}
    assert (q.in_features, q.out_features, q.bits, q.group_size) == (128, 64, 4, 32)


def test_group_size_that_does_not_divide_width_names_the_layer():
    with pytest.raises(ConfigError, match=r"'mlp.up'.*group size 128.*width 96"):
        Int4Linear.from_float(torch.randn(16, 96), None, 128, name="mlp.up")
    with pytest.raises(ConfigError, match="must be one of"):
        Int4Linear.from_float(torch.randn(16, 96), None, 48)


def _tiny_model() -> Transformer:
    config = ModelConfig(arch="llama", vocab_size=100, hidden_size=64, intermediate_size=96,
                         num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                         max_position_embeddings=64)  # llama defaults: RMSNorm, RoPE, SwiGLU
    torch.manual_seed(0)
    model = Transformer(config).eval()
    model.init_weights()
    return model


@pytest.mark.parametrize("bits,tolerance", [(8, 0.02), (4, 0.25)])
def test_quantize_model_replaces_linears_and_keeps_logits_close(bits, tolerance):
    model = _tiny_model()
    ids = torch.randint(0, 100, (1, 12))
    with torch.no_grad():
        before = model.logits(model(ids))
        quantize_model(model, bits, group_size=32)
        after = model.logits(model(ids))
    layers = quant.quantized_layers(model)
    assert len(layers) == 2 * 7  # q, k, v, o, gate, up, down in each block
    assert isinstance(model.decoder.layers[0].mlp.down_proj, QuantizedLinear)
    assert isinstance(model.lm_head, nn.Linear)  # the head stays unless asked for
    rel = (after - before).norm() / before.norm()
    assert rel < tolerance, rel


def test_quantize_model_checks_every_layer_before_changing_any():
    model = _tiny_model()  # down_proj is 96 wide: 64 does not divide it
    with pytest.raises(ConfigError, match=r"down_proj.*group size 64.*width 96"):
        quantize_model(model, 4, group_size=64)
    assert not quant.quantized_layers(model)


def test_quantize_model_include_picks_layers():
    model = quantize_model(_tiny_model(), 8, include=lambda name, m: name.endswith("q_proj"))
    assert sorted(quant.quantized_layers(model)) == [
        "decoder.layers.0.attn.q_proj", "decoder.layers.1.attn.q_proj"]
