"""GGUF blocks as quantized linears (io/gguf_quant.py): the codes, scales and mins read from
Q4_0/Q4_1/Q4_K/Q8_0 blocks give exactly gguf's own dequantization, the 5/6-bit formats land
within half an int8 step, the bundled SmolLM2's Q4_1 tensors give the reference matmul, and an
unsupported type is an error naming it."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

from lmforge.errors import ModelFileError
from lmforge.io.gguf_header import read_header
from lmforge.io.gguf_quant import dequantize_blocks, quantized_linear
from lmforge.model.backend import backend
from lmforge.model.quant import Int4Linear, Int8Linear


def _tensor(kind: T, blocks: np.ndarray, out_features: int, in_features: int, name="w"):
    """What gguf's reader gives: raw (rows, bytes) and the shape fastest dimension first."""
    return SimpleNamespace(name=name, tensor_type=kind, data=blocks,
                           shape=np.array([in_features, out_features]))


def _random_k_blocks(kind: T, rows: int, n_blocks: int, block_bytes: int, d_at: list[int]):
    """Random K-quant blocks with sane fp16 scale fields at byte offsets `d_at`."""
    rng = np.random.default_rng(0)
    b = rng.integers(0, 256, (rows, n_blocks, block_bytes), dtype=np.uint8)
    for at in d_at:
        d = rng.uniform(1e-3, 2e-2, (rows, n_blocks)).astype(np.float16)
        b[..., at:at + 2] = d.view(np.uint8).reshape(rows, n_blocks, 2)
    return b.reshape(rows, -1)


@pytest.mark.parametrize("kind", [T.Q4_0, T.Q4_1])
def test_q4_blocks_are_exactly_int4_group_32(kind):
    w = np.random.default_rng(1).normal(0, 0.05, (32, 128)).astype(np.float32)
    blocks = quantize(w, kind)
    layer = quantized_linear("w", _tensor(kind, blocks, 32, 128))
    assert isinstance(layer, Int4Linear) and layer.group_size == 32
    expected = torch.from_numpy(dequantize(blocks, kind))
    torch.testing.assert_close(layer.dequantize(), expected, rtol=0, atol=1e-6)


def test_q4_k_blocks_are_exactly_int4_group_32():
    blocks = _random_k_blocks(T.Q4_K, rows=16, n_blocks=2, block_bytes=144, d_at=[0, 2])
    layer = quantized_linear("w", _tensor(T.Q4_K, blocks, 16, 512))
    assert isinstance(layer, Int4Linear) and layer.scales.shape == (16, 16)
    expected = torch.from_numpy(dequantize(blocks, T.Q4_K))
    torch.testing.assert_close(layer.dequantize(), expected, rtol=0, atol=1e-5)


@pytest.mark.parametrize("kind", [T.Q4_0, T.Q4_1, T.Q8_0, T.Q4_K, T.Q6_K])
def test_fast_dequantization_is_bit_identical_to_gguf(kind):
    """The loader's whole-tensor dequantization (float weights from a quantized GGUF) gives
    gguf's numbers exactly, not merely close: same products, same rounding."""
    if kind in (T.Q4_K, T.Q6_K):
        size, d_at = {T.Q4_K: (144, [0, 2]), T.Q6_K: (210, [208])}[kind]
        blocks = _random_k_blocks(kind, rows=8, n_blocks=2, block_bytes=size, d_at=d_at)
    else:
        w = np.random.default_rng(3).normal(0, 0.05, (8, 512)).astype(np.float32)
        blocks = quantize(w, kind)
    fast = dequantize_blocks(blocks, kind, 512)
    assert fast.shape == (8, 512) and fast.dtype == np.float32
    assert np.array_equal(fast, dequantize(blocks, kind).reshape(8, 512))


@pytest.mark.parametrize("kind", [T.Q8_0, T.Q5_0])
def test_q8_0_and_q5_0_blocks_are_exactly_int8_group_32(kind):
    """The codes and fp16 scales as stored: the weights llama.cpp multiplies, bit for bit
    (Q5_0's 5-bit codes q - 16 in [-16, 15] fit int8)."""
    w = np.random.default_rng(2).normal(0, 0.05, (16, 256)).astype(np.float32)
    w[3, :32] = 0  # a block whose scale is 0
    blocks = quantize(w, kind)
    layer = quantized_linear("w", _tensor(kind, blocks, 16, 256))
    assert isinstance(layer, Int8Linear) and layer.group_size == 32
    assert layer.scales.dtype == torch.float16 and layer.scales.shape == (16, 8)
    expected = torch.from_numpy(dequantize(blocks, kind))
    assert torch.equal(layer.dequantize(), expected)


def test_q8_0_without_the_c_kernels_is_one_int8_scale_a_row(monkeypatch):
    """PyTorch's packed int8 kernel (the fallback) takes one scale a row: re-scaled there."""
    monkeypatch.setattr(backend, "own_kernels", False)
    w = np.random.default_rng(2).normal(0, 0.05, (16, 256)).astype(np.float32)
    blocks = quantize(w, T.Q8_0)
    layer = quantized_linear("w", _tensor(T.Q8_0, blocks, 16, 256))
    assert isinstance(layer, Int8Linear) and layer.scales.shape == (16, 1)
    exact = torch.from_numpy(dequantize(blocks, T.Q8_0))
    assert ((layer.dequantize() - exact).abs() <= 0.5001 * layer.scales).all()  # ties round


@pytest.mark.parametrize("kind,block_bytes,d_at", [(T.Q6_K, 210, [208]), (T.Q5_K, 176, [0, 2])])
def test_5_and_6_bit_blocks_become_int8_per_row_within_half_a_step(kind, block_bytes, d_at):
    in_features = 256
    blocks = _random_k_blocks(kind, 16, 1, block_bytes, d_at)
    layer = quantized_linear("w", _tensor(kind, blocks, 16, in_features))
    assert isinstance(layer, Int8Linear) and layer.scales.shape == (16, 1)
    exact = torch.from_numpy(dequantize(blocks, kind))
    assert ((layer.dequantize() - exact).abs() <= 0.5001 * layer.scales).all()  # ties round


def test_unsupported_type_names_the_type_and_tensor():
    blocks = np.zeros((16, 18 * 2), dtype=np.uint8)
    with pytest.raises(ModelFileError, match=r"'blk\.3\.ffn_up\.weight'.*IQ4_NL"):
        quantized_linear("x", _tensor(T.IQ4_NL, blocks, 16, 64, name="blk.3.ffn_up.weight"))


def test_smollm2_q4_1_blocks_give_the_reference_matmul(smollm2_gguf_path):
    tensors = {t.name: t for t in read_header(smollm2_gguf_path).tensors}
    tensor = tensors["blk.0.ffn_down.weight"]
    assert tensor.tensor_type == T.Q4_1
    layer = quantized_linear("mlp.down_proj", tensor)
    assert (layer.out_features, layer.in_features) == (576, 1536)
    reference = torch.from_numpy(dequantize(tensor.data, T.Q4_1)).reshape(576, 1536)
    torch.testing.assert_close(layer.dequantize(), reference, rtol=0, atol=1e-6)
    x = torch.randn(1, 1536)
    with torch.no_grad():
        out = layer(x)  # the packed bf16 kernel
    expected = x @ reference.T
    assert (out - expected).norm() / expected.norm() < 8e-3
