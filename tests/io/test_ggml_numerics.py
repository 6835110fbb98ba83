"""ggml's non-matmul numerics (io/ggml_numerics.py): its vector exp, the order its SIMD sums
run in (checked by hand where the order changes the fp32 result), softmax, RoPE and
RMSNorm against the plain formulas, and the load hook's errors. The whole model against
llama.cpp: tests/io/test_gguf_writer_smollm2.py."""

import math

import pytest
import torch
import torch.nn.functional as F

import lmforge
from lmforge.errors import ConfigError
from lmforge.io.ggml_numerics import (
    GgmlRMSNorm,
    GgmlRotaryEmbedding,
    dot_f16,
    expf,
    interleaved,
    reduce16,
    rotate,
    softmax,
)


def test_expf_is_within_two_ulps_of_exp_and_flushes_to_zero():
    x = torch.linspace(-80, 80, 20001)
    relative = (expf(x).double() / torch.exp(x.double()) - 1).abs()
    assert relative.max() < 2 * 2**-23
    assert expf(torch.tensor([-200.0, float("-inf")])).tolist() == [0.0, 0.0]


def test_reduce16_adds_halves_first():
    v = torch.zeros(16)
    v[0], v[8], v[1] = 2.0**24, 1.0, 1.0  # (2^24 + 1) rounds to 2^24 unless the 1s meet first
    assert reduce16(v).item() == 2.0**24  # lane 0 + lane 8 first: each 1 is lost
    v[8], v[9] = 0.0, 1.0
    assert reduce16(v).item() == 2.0**24 + 2  # lane 1 + lane 9 = 2 first, then kept


def test_dot_f16_pairs_accumulators_0_2_and_1_3():
    x, y = torch.zeros(64), torch.ones(64)
    x[0], x[16], x[32], x[48] = 2.0**24, 1.0, -(2.0**24), 1.0  # accumulators 0, 1, 2, 3
    # (a0 + a2) + (a1 + a3) = 0 + 2 exactly; a left-to-right sum would lose a 1
    assert dot_f16(x, y).item() == 2.0
    values = torch.arange(128.0).reshape(2, 64) - 60
    assert torch.equal(dot_f16(values, values.flip(-1)),
                       (values.double() * values.flip(-1).double()).sum(-1).float())


def test_softmax_matches_torch_and_zeroes_masked_keys():
    scores = torch.randn(3, 5, 32) * 4
    scores[..., 20:] = float("-inf")
    probs = softmax(scores)
    torch.testing.assert_close(probs, torch.softmax(scores, -1), rtol=1e-6, atol=1e-7)
    assert (probs[..., 20:] == 0).all()


def test_rope_rotates_each_pair_by_ggml_angles():
    rope = GgmlRotaryEmbedding(10000.0, 64)
    positions = torch.arange(5)[None]
    cos, sin = rope(positions)
    angles = positions[0, :, None].double() * 10000.0 ** (-torch.arange(32).double() / 32)
    torch.testing.assert_close(cos[0, 0].double(), angles.cos(), rtol=0, atol=2e-6)
    x = torch.randn(1, 2, 5, 64)
    a, b = x.double().chunk(2, -1)
    expected = torch.cat([a * angles.cos() - b * angles.sin(),
                          a * angles.sin() + b * angles.cos()], -1)
    torch.testing.assert_close(rotate(x, cos, sin).double(), expected, rtol=0, atol=1e-5)
    assert interleaved(torch.arange(8.0)).tolist() == [0, 4, 1, 5, 2, 6, 3, 7]


def test_rms_norm_matches_the_formula():
    weight, x = torch.randn(576), torch.randn(4, 576) * 30
    expected = x.double() / (x.double().pow(2).mean(-1, keepdim=True) + 1e-5).sqrt() * weight
    torch.testing.assert_close(GgmlRMSNorm(weight, 1e-5)(x).double(), expected, rtol=1e-6,
                               atol=1e-6)
    assert math.isclose(F.rms_norm(x, (576,), eps=1e-5)[0, 0].item() * weight[0].item(),
                        GgmlRMSNorm(weight, 1e-5)(x)[0, 0].item(), rel_tol=1e-5)


def test_load_names_a_bad_numerics_setting():
    with pytest.raises(ConfigError, match="unknown numerics 'fast'"):
        lmforge.load("smollm2-135m-instruct", numerics="fast")
