"""ggml's activation quantizers and block dot products (io/ggml_linear.py): codes and scales
bit-identical to the `gguf` package's reference quantizer, ggml's x86 and K-quant rules by
hand, the weight readers against gguf's dequantizer, and exact integer dots."""

import numpy as np
import pytest
import torch
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize, quantize

from lmforge.io.ggml_linear import (
    READERS,
    GgmlLinear,
    quantize_q8_0,
    quantize_q8_1,
    quantize_q8_k,
)

BLOCK_BYTES = {T.Q8_0: 34, T.Q5_0: 22, T.Q4_0: 18, T.Q4_1: 20, T.Q4_K: 144, T.Q6_K: 210}
BLOCK_SIZE = {T.Q8_0: 32, T.Q5_0: 32, T.Q4_0: 32, T.Q4_1: 32, T.Q4_K: 256, T.Q6_K: 256}
FP16_FIELDS = {T.Q8_0: [0], T.Q5_0: [0], T.Q4_0: [0], T.Q4_1: [0, 2], T.Q4_K: [0, 2],
               T.Q6_K: [208]}  # byte offsets of each block's fp16 scales


def test_q8_0_reference_rule_is_bit_identical_to_gguf():
    x = torch.randn(6, 256) * torch.logspace(-3, 2, 6)[:, None]
    x[0, :32] = 0  # an all-zero block: d = 0, codes 0
    x[1, 5] = 0.5 * x[1, :32].abs().max()  # exactly half a step: a rounding tie
    packed = quantize(x.numpy(), T.Q8_0).reshape(6, -1, 34)
    codes, d = quantize_q8_0(x, x86=False)
    assert torch.equal(codes, torch.from_numpy(packed[..., 2:].view(np.int8).astype(np.float32)))
    assert torch.equal(d, torch.from_numpy(packed[..., :2].copy().view(np.float16)[..., 0]
                                           .astype(np.float32)))


def test_q8_0_x86_rule_scales_by_127_over_amax_and_rounds_halves_to_even():
    x = torch.zeros(1, 32)
    x[0, :3] = torch.tensor([127.0, 2.5, -8.5])  # amax 127: 127/amax = 1/d = 1, ties stay ties
    x86, _ = quantize_q8_0(x, x86=True)
    reference, _ = quantize_q8_0(x, x86=False)
    assert x86[0, 0, :3].tolist() == [127, 2, -8]  # halves to even
    assert reference[0, 0, :3].tolist() == [127, 3, -9]  # halves away from zero
    # amax 0.081377834: 127/amax and 1/(amax/127) differ by 1 ulp, and 0.040688917 lands
    # on either side of 63.5 (measured on a llama.cpp activation; its code there is 64)
    y = torch.zeros(1, 32)
    y[0, :2] = torch.tensor([0.081377834, 0.040688917])
    assert quantize_q8_0(y, x86=True)[0][0, 0, 1] == 64
    assert quantize_q8_0(y, x86=False)[0][0, 0, 1] == 63


def test_q8_1_keeps_d_times_the_sum_of_codes():
    x = torch.zeros(1, 32)
    x[0, :4] = torch.tensor([1.27, -0.635, 0.3175, 0.01])  # amax 1.27: d = 0.01
    codes, d, s = quantize_q8_1(x)
    assert codes[0, 0, :4].tolist() == [127, -64, 32, 1]  # -63.5 -> -64, 31.75 -> 32
    assert s.item() == np.float16(np.float32(1.27) / 127 * 96)


def test_q8_k_maps_the_signed_largest_value_to_minus_127():
    x = torch.zeros(1, 256)
    x[0, :4] = torch.tensor([1.0, -2.0, 0.5, 2.0])  # |-2| first: max = -2, iscale 63.5
    codes, d = quantize_q8_k(x)
    assert codes[0, 0, :4].tolist() == [64, -127, 32, 127]  # 63.5 -> 64 (even), 31.75 -> 32
    assert d.item() == np.float32(1) / np.float32(63.5)  # 1 / iscale, fp32
    assert torch.equal(quantize_q8_k(torch.zeros(1, 256))[0], torch.zeros(1, 1, 256))


def random_blocks(kind: T, rows: int, n_blocks: int, seed: int = 0) -> np.ndarray:
    """Random bytes, a valid block of `kind` each, with small finite fp16 scales."""
    rng = np.random.default_rng(seed)
    blocks = rng.integers(0, 256, (rows, n_blocks, BLOCK_BYTES[kind]), dtype=np.uint8)
    for offset in FP16_FIELDS[kind]:
        scale = rng.uniform(0.001, 0.02, (rows, n_blocks)).astype(np.float16)
        blocks[..., offset:offset + 2] = scale.view(np.uint8).reshape(rows, n_blocks, 2)
    return blocks.reshape(rows, -1)


def dequantized_by_reader(kind: T, blocks: np.ndarray) -> np.ndarray:
    w = {k: v.double() for k, v in READERS[kind](blocks).items()}
    rows = len(blocks)
    if kind == T.Q4_1:
        return (w["d"][..., None] * w["codes"] + w["m"][..., None]).reshape(rows, -1).numpy()
    if kind == T.Q4_K:
        weight = (w["d"][..., None] * w["sc"])[..., None] * w["codes"] \
            - (w["dmin"][..., None] * w["m"])[..., None]
        return weight.reshape(rows, -1).numpy()
    if kind == T.Q6_K:
        return ((w["d"][..., None] * w["sc"])[..., None] * w["codes"]).reshape(rows, -1).numpy()
    return (w["d"][..., None] * w["codes"]).reshape(rows, -1).numpy()


@pytest.mark.parametrize("kind", list(BLOCK_BYTES))
def test_readers_give_the_weights_gguf_dequantizes(kind):
    blocks = random_blocks(kind, rows=4, n_blocks=2)
    expected = dequantize(blocks, kind).reshape(4, -1)
    np.testing.assert_allclose(dequantized_by_reader(kind, blocks), expected, rtol=1e-6,
                               atol=1e-7)


def test_q8_0_dot_is_the_exact_integer_dot_times_the_scales():
    """One weight row of codes 1..32 with d_w = 0.5 against x = 0..31 scaled so amax = 127
    rounds to codes 4k: y = 0.5 * fp16(31/127 ... ) by hand."""
    codes = np.arange(1, 33, dtype=np.int8)
    block = np.concatenate([np.array([0.5], np.float16).view(np.uint8), codes.view(np.uint8)])
    linear = GgmlLinear(T.Q8_0, block[None], in_features=32, out_features=1)
    x = torch.arange(32, dtype=torch.float32)[None] * (127 / 31)  # codes round(127k/31)
    x_codes = torch.round(torch.arange(32) * (127 / 31)).to(torch.int64)
    d_x = np.float32(np.float16(np.float32(x.max()) / 127))
    integer_dot = int((x_codes * torch.arange(1, 33)).sum())  # exact, by hand
    assert linear(x).item() == np.float32(np.float32(0.5) * d_x) * integer_dot


@pytest.mark.parametrize("kind", list(BLOCK_BYTES))
def test_block_matmul_equals_the_float_product_of_the_rounded_operands(kind):
    """Whatever the lane order, y = W x_rounded up to fp32 summation (here in float64)."""
    in_features = 512
    blocks = random_blocks(kind, rows=8, n_blocks=in_features // BLOCK_SIZE[kind], seed=1)
    linear = GgmlLinear(kind, blocks, in_features, 8)
    x = torch.randn(3, in_features)
    weight = torch.from_numpy(dequantized_by_reader(kind, blocks))
    if kind in (T.Q4_K, T.Q6_K):
        codes, d = quantize_q8_k(x)
        x_rounded = (codes * d[..., None]).reshape(3, -1)
    else:
        codes, d = quantize_q8_0(x)
        x_rounded = (codes * d[..., None]).reshape(3, -1)
    expected = x_rounded.double() @ weight.T
    if kind == T.Q4_1:  # the mins meet s = fp16(d * sum(codes)), not fp16(d) * sum(codes)
        _, _, s = quantize_q8_1(x)
        w = READERS[kind](blocks)
        expected = (x_rounded.double() @ (weight - w["m"].double().repeat_interleave(32, 1)).T
                    + s.double() @ w["m"].double().T)
    torch.testing.assert_close(linear(x).double(), expected, rtol=1e-5, atol=1e-5)


def test_f16_weights_meet_an_fp16_rounded_input():
    weight = np.random.default_rng(2).standard_normal((4, 64)).astype(np.float16)
    linear = GgmlLinear(T.F16, weight, 64, 4)
    x = torch.randn(2, 64)
    expected = x.half().double() @ torch.from_numpy(weight).double().T
    torch.testing.assert_close(linear(x).double(), expected, rtol=1e-6, atol=1e-6)


def test_unsupported_type_is_one_clear_error():
    from lmforge.errors import ModelFileError

    with pytest.raises(ModelFileError, match="Q2_K.*ggml numerics cannot run"):
        GgmlLinear(T.Q2_K, np.zeros((1, 84), np.uint8), 256, 1, name="blk.0.ffn_up.weight")
