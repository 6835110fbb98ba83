"""lmforge's C kernels (model/cpu_kernels.py, kernels/q_matmul.c): GEMV and dequantization
equal the readable reference path in fp32 for every row count the tiling distinguishes, every
int4 group size and grouped int8; with int8 activations they equal that formula evaluated in
float64; the library is built once into its cache folder; without
it (LMFORGE_CPU_KERNELS=0) the quantized linears fall back to PyTorch's kernels."""

import os
import subprocess
import sys

import pytest
import torch

from lmforge.model import cpu_kernels
from lmforge.model.quant import Int4Linear, Int8Linear


def _weight(n_out: int, n_in: int, seed: int = 0) -> torch.Tensor:
    return torch.randn(n_out, n_in, generator=torch.Generator().manual_seed(seed)) * 0.05


@pytest.mark.parametrize("rows", [1, 2, 3, 4, 5, 7, 8, 9, 13, 16])  # every ROW_TILE remainder
@pytest.mark.parametrize("group_size", [32, 64, 128])
def test_int4_gemv_equals_the_dequantized_matmul(rows, group_size):
    q = Int4Linear.from_float(_weight(41, 256), group_size=group_size)  # odd: a last column
    x = torch.randn(rows, 256)
    y = cpu_kernels.q4_matmul(x, q.qweight, q.scales, q.mins, group_size)
    torch.testing.assert_close(y, x @ q.dequantize().T, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("rows", [1, 6, 11])
@pytest.mark.parametrize("group_size", [None, 32, 64])  # None: one scale a row (per channel)
def test_int8_gemv_equals_the_dequantized_matmul(rows, group_size):
    q = Int8Linear.from_float(_weight(33, 192), group_size=group_size)
    x = torch.randn(rows, 192)
    y = cpu_kernels.q8_matmul(x, q.qweight, q.scales, q.group_size)
    torch.testing.assert_close(y, x @ q.dequantize().T, rtol=1e-5, atol=1e-5)


def _int8_activation_oracle(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """The int8-activation GEMV's formula in float64: x rounded per 32-block, times w^T."""
    return (cpu_kernels.int8_activations(x).double() @ w.double().T).float()


# K = 96 and 160: block counts 3 and 5 end on a partial step (4 blocks int4, 2 int8)
@pytest.mark.parametrize("rows", [1, 2, 3, 8, 9, 16])
@pytest.mark.parametrize("group_size,n_in", [(32, 96), (32, 160), (64, 192), (64, 320),
                                             (128, 384), (128, 640)])
def test_int4_gemv_with_int8_activations_equals_its_formula(rows, group_size, n_in):
    q = Int4Linear.from_float(_weight(37, n_in), group_size=group_size)
    x = torch.randn(rows, n_in)
    x[:, 5] = 30.0  # an outlier channel: its block's scale is 30/127, the others' stay fine
    y = cpu_kernels.q4_matmul_q8(x, q.qweight, q.scales, q.mins, group_size)
    torch.testing.assert_close(y, _int8_activation_oracle(x, q.dequantize()), rtol=1e-5,
                               atol=1e-5)
    # without outliers, fp32 activations give nearly the same: only x's rounding differs
    x = torch.randn(rows, n_in)
    exact = x @ q.dequantize().T
    y = cpu_kernels.q4_matmul_q8(x, q.qweight, q.scales, q.mins, group_size)
    assert (y - exact).norm() / exact.norm() < 1e-2


@pytest.mark.parametrize("rows", [1, 2, 9])
@pytest.mark.parametrize("group_size,n_in", [(32, 96), (32, 192), (64, 192), (None, 96),
                                             (None, 192), (128, 256)])
def test_int8_gemv_with_int8_activations_equals_its_formula(rows, group_size, n_in):
    q = Int8Linear.from_float(_weight(35, n_in), group_size=group_size)
    q.qweight[0, :4] = torch.tensor([-128, 127, -127, 0], dtype=torch.int8)  # the extremes
    x = torch.randn(rows, n_in)
    y = cpu_kernels.q8_matmul_q8(x, q.qweight, q.scales, q.group_size)
    torch.testing.assert_close(y, _int8_activation_oracle(x, q.dequantize()), rtol=1e-5,
                               atol=1e-5)


def test_fp16_scales_are_read_as_they_are():
    """GGUF stores its block scales (and Q4_1's mins) in fp16; the kernels widen them as they
    read, so every path equals the reference computed from the same fp16 values."""
    q4 = Int4Linear.from_float(_weight(37, 160), group_size=32)
    q4 = Int4Linear(q4.qweight, q4.scales.half(), q4.mins.half())
    q8 = Int8Linear.from_float(_weight(35, 192), group_size=32)
    q8 = Int8Linear(q8.qweight, q8.scales.half())
    x = torch.randn(3, 160)
    torch.testing.assert_close(cpu_kernels.q4_matmul(x, q4.qweight, q4.scales, q4.mins, 32),
                               x @ q4.dequantize().T, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(cpu_kernels.q4_matmul_q8(x, q4.qweight, q4.scales, q4.mins, 32),
                               _int8_activation_oracle(x, q4.dequantize()), rtol=1e-5, atol=1e-5)
    x8 = torch.randn(2, 192)
    torch.testing.assert_close(cpu_kernels.q8_matmul(x8, q8.qweight, q8.scales, 32),
                               x8 @ q8.dequantize().T, rtol=1e-5, atol=1e-5)
    torch.testing.assert_close(cpu_kernels.q8_matmul_q8(x8, q8.qweight, q8.scales, 32),
                               _int8_activation_oracle(x8, q8.dequantize()), rtol=1e-5, atol=1e-5)
    scratch = torch.empty(37 * 192)
    w = cpu_kernels.q4_dequantize(q4.qweight, q4.scales, q4.mins, 32, scratch)
    assert torch.equal(w, q4.dequantize())
    assert torch.equal(cpu_kernels.q8_dequantize(q8.qweight, q8.scales, 32, scratch),
                       q8.dequantize())
    with pytest.raises(ValueError, match="fp32 or fp16"):
        cpu_kernels.q4_matmul(x, q4.qweight, q4.scales, q4.mins.float(), 32)


def test_int8_activations_refuse_a_group_that_straddles_their_steps():
    q = Int8Linear.from_float(_weight(8, 384), group_size=96)  # 3 blocks: not 1, 2 or 4k
    assert not cpu_kernels.q8_activations_supported(384, 96)
    assert cpu_kernels.q8_activations_supported(384, 384)
    with pytest.raises(ValueError, match="unsupported group size"):
        cpu_kernels.q8_matmul_q8(torch.randn(1, 384), q.qweight, q.scales, 96)


def test_dequantize_writes_the_exact_float_weights():
    scratch = torch.empty(64 * 128)
    q4 = Int4Linear.from_float(_weight(64, 128), group_size=64)
    w = cpu_kernels.q4_dequantize(q4.qweight, q4.scales, q4.mins, 64, scratch)
    assert torch.equal(w, q4.dequantize())  # in the natural column order
    q8 = Int8Linear.from_float(_weight(64, 128))
    assert torch.equal(cpu_kernels.q8_dequantize(q8.qweight, q8.scales, 128, scratch),
                       q8.dequantize())


@pytest.mark.parametrize("batch,cos_batch", [(1, 1), (3, 1), (3, 3)])
def test_rope_equals_the_pytorch_formula_bit_for_bit(batch, cos_batch):
    from lmforge.model.positions import apply_rope

    g = torch.Generator().manual_seed(0)
    H, T, D = 5, 7, 64
    qkv = torch.randn(batch, T, (H + 4) * D, generator=g)  # a fused projection's output
    x = qkv[..., :H * D].view(batch, T, H, D).transpose(1, 2)  # (B, H, T, D), strided
    cos, sin = torch.randn(2, cos_batch, 1, T, D, generator=g)
    expected = x * cos + x.roll(D // 2, dims=-1) * sin
    assert torch.equal(cpu_kernels.rope(x, cos.contiguous(), sin.contiguous()), expected)
    with torch.inference_mode():
        assert torch.equal(apply_rope(x, cos.contiguous(), sin.contiguous()), expected)


@pytest.mark.parametrize("dtype", [torch.float32, torch.bfloat16])
def test_rope_in_training_has_the_formulas_gradient(dtype):
    from lmforge.model.positions import apply_rope

    g = torch.Generator().manual_seed(0)
    x = torch.randn(2, 3, 5, 16, generator=g).to(dtype).requires_grad_()
    cos, sin = torch.randn(2, 1, 1, 5, 16, generator=g)  # any tables, not only RoPE's
    upstream = torch.randn(2, 3, 5, 16, generator=g)
    y = apply_rope(x, cos, sin)
    assert y.grad_fn is not None and "Rope" in type(y.grad_fn).__name__  # the C pass
    (y * upstream).sum().backward()
    reference = x.detach().float().requires_grad_()
    (reference * cos + reference.roll(8, dims=-1) * sin).mul(upstream).sum().backward()
    assert torch.equal(y, reference * cos + reference.roll(8, dims=-1) * sin)
    torch.testing.assert_close(x.grad.float(), reference.grad.to(dtype).float())


def test_kernel_widths_must_be_multiples_of_32():
    assert cpu_kernels.supports(576, 32) and cpu_kernels.supports(1536, 1536)
    assert not cpu_kernels.supports(48, 48) and not cpu_kernels.supports(96, 48)


def test_library_is_built_into_its_cache_and_disabled_by_the_environment(tmp_path):
    code = ("from lmforge.model import cpu_kernels as k; import sys; "
            "print(k.available(), k._library() and k._library()._name)")
    env = {**os.environ, "LMFORGE_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out[0] == "True" and out[1].startswith(str(tmp_path / "kernels" / "q_matmul-"))
    assert [p.suffix for p in (tmp_path / "kernels").iterdir()] == [".so"]  # no temp left
    env["LMFORGE_CPU_KERNELS"] = "0"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["False", "None"]


def test_rms_norm_kernel_equals_pytorch_and_runs_only_without_grad():
    from lmforge.model.backend import backend
    from lmforge.model.norm import RMSNorm

    norm = RMSNorm(96, eps=1e-5)
    norm.weight.data = torch.randn(96)
    x = torch.randn(3, 5, 96)
    expected = norm.weight * torch.nn.functional.rms_norm(x, (96,), eps=1e-5)
    with torch.no_grad():
        assert backend.rms_norm_applies(x, norm.weight)
        torch.testing.assert_close(norm(x), expected, rtol=1e-5, atol=1e-6)
    assert not backend.rms_norm_applies(x, norm.weight)  # training: autograd needs PyTorch's ops
    torch.testing.assert_close(norm(x), expected)


@pytest.mark.parametrize("kv_dtype", [torch.float32, torch.float16])
def test_paged_decode_attention_equals_sdpa_over_each_sequences_keys(kv_dtype):
    """One query a sequence, GQA (9 query heads on 3 key/value heads), keys read in place
    through scattered slots, sequences of different lengths, an fp32 or fp16 pool."""
    g = torch.Generator().manual_seed(0)
    n_seq, H, n_kv, D, slots, S = 5, 9, 3, 64, 700, 120
    q = torch.randn(n_seq, H, D, generator=g)
    keys = torch.randn(slots, n_kv, D, generator=g).to(kv_dtype)
    values = torch.randn(slots, n_kv, D, generator=g).to(kv_dtype)
    lengths = torch.tensor([1, 7, 50, 33, 120])
    key_slots = torch.randperm(slots, generator=g)[: n_seq * S].view(n_seq, S)
    out = cpu_kernels.paged_attention_decode(q, keys, values, key_slots, lengths, 0.125)
    for i, n in enumerate(lengths.tolist()):
        k = keys[key_slots[i, :n]].float().transpose(0, 1)  # (n_kv, n, D)
        v = values[key_slots[i, :n]].float().transpose(0, 1)
        ref = torch.nn.functional.scaled_dot_product_attention(
            q[i][:, None], k, v, scale=0.125, enable_gqa=True)[:, 0]
        torch.testing.assert_close(out[i], ref, rtol=1e-5, atol=1e-5)
