"""A GGUF weight multiplied the way ggml's CPU backend multiplies it: blocks as stored, the
input rounded to 8-bit blocks, integer dot products, fp32 block scales.

llama.cpp never multiplies a block-format weight by float activations. Before each matmul
it quantizes every input row to the weight type's "vec_dot_type", then takes integer dot
products block by block:

    weight            input rounded to                     one block contributes
    Q8_0 Q5_0 Q4_0    Q8_0: 32 codes, fp16 d = amax/127    d_w*d_x * sum(q_w*q_x)
    Q4_1              Q8_1: Q8_0 plus fp16 s = d*sum(q_x)   d_w*d_x * sum(q_w*q_x) + m_w*s_x
    Q4_K Q6_K         Q8_K: 256 codes, fp32 d = max/-127    d_w*d_x * sum_j sc_j*dot_j
                      with the sign of the largest |x|,     - dmin_w*d_x * sum_j m_j*bsum_j
                      and sums of 16 codes (bsums)
    F16               the input rounded to fp16             fp32 sums of fp16 products

(Q4_K: 8 sub-blocks j of 32 with 6-bit scale sc_j and min m_j; Q6_K: 16 sub-blocks of 16
with int8 scales, codes q - 32.) Rounding the input moves each product by ~0.4%, far more
than float summation order, so a runtime that multiplies float activations (lmforge's
default) forks from llama.cpp's greedy text at near-ties. This module reproduces the
rounding bit for bit (codes and scales; tests/io/test_ggml_linear.py checks them against the
`gguf` package's reference quantizer and by hand), the integer sums exactly, and the fp32
sums over blocks in the order of llama.cpp's x86 kernels: the 8 AVX2 lanes of its plain dot
products (Q8_0, Q5_0, Q4_1), or one FMA a block in its repacked ones (Q4_0, Q4_K in rows of
8). Checked against llama.cpp's own tensors (docs/compression.md, "Same file, same
tokens?"): equal bit for bit on Q8_0/Q5_0/Q4_0/Q4_1/Q4_K; Q6_K's order is not reproduced.

ggml has two Q8_0/Q8_1 quantizers that disagree on rare inputs: the reference one (C, and
the `gguf` package) scales by 1/d and rounds halves away from zero; the x86 AVX one, which
llama.cpp runs on x86 CPUs, scales by 127/amax and rounds halves to even. `x86=True` (the
default) is the latter. Q8_K has only the reference form on x86.

Slow (every call re-quantizes and widens the codes): a verification mode, not a fast path.

Test: pytest tests/io/test_ggml_linear.py
"""

import numpy as np
import torch
from gguf import GGMLQuantizationType as T
from gguf.quants import Q4_K
from torch import nn

from lmforge.errors import ModelFileError

QK = 32  # Q8_0 / Q8_1 / Q4_x / Q5_0 block
QK_K = 256  # K-quant super-block
DOT_CHUNK = 1 << 21  # per-block partial dots held at once (float64: 16 MB)
Q8_0_WEIGHTS = (T.Q8_0, T.Q5_0, T.Q4_0)  # multiplied with Q8_0 inputs


# -- the input side: ggml's activation quantizers --------------------------------------------


def quantize_q8_0(x: torch.Tensor, x86: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows (M, K) -> codes (M, K/32, 32) float in [-127, 127] and fp16 scales d (M, K/32),
    returned as float32 (the value the dot product reads)."""
    blocks = x.float().reshape(x.shape[0], -1, QK)
    amax = blocks.abs().amax(dim=-1)
    d = divide(amax, 127)
    if x86:  # 127/amax, halves to even (_mm256_round_ps)
        inverse = torch.where(amax != 0, divide(127, amax), torch.zeros_like(amax))
        codes = torch.round(blocks * inverse[..., None])
    else:  # 1/d, halves away from zero (roundf)
        inverse = torch.where(d != 0, divide(1, d), torch.zeros_like(d))
        codes = _round_half_away(blocks * inverse[..., None])
    return codes, d.half().float()


def quantize_q8_1(x: torch.Tensor, x86: bool = True):
    """Q8_0's codes and scales plus s = fp16(d * sum(codes)) per block, d in fp32 there."""
    codes, d16 = quantize_q8_0(x, x86)
    d = divide(x.float().reshape(x.shape[0], -1, QK).abs().amax(dim=-1), 127)
    return codes, d16, (d * codes.sum(dim=-1)).half().float()


def quantize_q8_k(x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Rows (M, K) -> codes (M, K/256, 256) and fp32 d (M, K/256) as quantize_row_q8_K_ref:
    the block's largest |x| (the first, with its sign) maps to -127, so d = 1/(-127/max);
    halves round to even (nearest_int). bsums are sums of these codes: derived where used."""
    blocks = x.float().reshape(x.shape[0], -1, QK_K)
    first_largest = blocks.abs().argmax(dim=-1, keepdim=True)
    signed_max = blocks.gather(-1, first_largest)[..., 0]
    nonzero = signed_max != 0
    iscale = torch.where(nonzero, divide(-127, signed_max), torch.zeros_like(signed_max))
    codes = torch.round(blocks * iscale[..., None]).clamp(max=127)
    return codes, torch.where(nonzero, divide(1, iscale), torch.zeros_like(iscale))


def divide(a, b) -> torch.Tensor:
    """fp32 a / b correctly rounded, as C's float division (PyTorch's CPU kernel for a
    number over a tensor multiplies by a reciprocal: 1 ulp off at times, which flips codes)."""
    a = a.double() if torch.is_tensor(a) else float(a)
    return (a / (b.double() if torch.is_tensor(b) else float(b))).float()


def _round_half_away(x: torch.Tensor) -> torch.Tensor:
    return torch.sign(x) * torch.floor(x.abs() + 0.5)


# -- the weight side: codes and scales exactly as stored -------------------------------------


def _split(blocks: np.ndarray, block_bytes: int) -> np.ndarray:
    return np.ascontiguousarray(blocks).reshape(blocks.shape[0], -1, block_bytes)


def _fp16(raw: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(raw).view(np.float16)[..., 0].astype(np.float32))


def _nibbles(qs: np.ndarray) -> np.ndarray:
    """(..., 16) bytes -> (..., 32) codes: byte i holds weight i low, weight i + 16 high."""
    return np.concatenate([qs & 0x0F, qs >> 4], axis=-1)


def _codes(array: np.ndarray) -> torch.Tensor:
    """Small integers (codes, 6-bit scales) as int8: widened a chunk at a time when used."""
    return torch.from_numpy(np.ascontiguousarray(array).astype(np.int8))


def read_q8_0(blocks):
    b = _split(blocks, 34)  # fp16 d | 32 int8 codes
    return {"codes": _codes(b[..., 2:].view(np.int8)), "d": _fp16(b[..., 0:2])}


def read_q5_0(blocks):
    b = _split(blocks, 22)  # fp16 d | 32 fifth bits | 16 bytes of low nibbles
    high = np.unpackbits(np.ascontiguousarray(b[..., 2:6]), axis=-1, bitorder="little")
    codes = (_nibbles(b[..., 6:]) | (high << 4)).astype(np.int16) - 16
    return {"codes": _codes(codes), "d": _fp16(b[..., 0:2])}


def read_q4_0(blocks):
    b = _split(blocks, 18)  # fp16 d | 16 bytes of codes
    return {"codes": _codes(_nibbles(b[..., 2:]).astype(np.int16) - 8), "d": _fp16(b[..., 0:2])}


def read_q4_1(blocks):
    b = _split(blocks, 20)  # fp16 d | fp16 m | 16 bytes of codes
    return {"codes": _codes(_nibbles(b[..., 4:])), "d": _fp16(b[..., 0:2]),
            "m": _fp16(b[..., 2:4])}


def read_q4_k(blocks):
    """Codes (N, nb, 8, 32) in sub-block order, integer sc and m (N, nb, 8), d and dmin."""
    b = _split(blocks, 144)  # fp16 d | fp16 dmin | 12 bytes of 6-bit sc/m | 128 code bytes
    rows, n = b.shape[:2]
    sc, m = Q4_K.get_scale_min(np.ascontiguousarray(b[..., 4:16]).reshape(rows * n, 12))
    q = b[..., 16:].reshape(rows, n, 4, 1, 32)  # 32-byte run c: sub-blocks 2c (low), 2c+1
    codes = np.concatenate([q & 0x0F, q >> 4], axis=3).reshape(rows, n, 8, 32)
    return {"codes": _codes(codes), "d": _fp16(b[..., 0:2]), "dmin": _fp16(b[..., 2:4]),
            "sc": _codes(sc.reshape(rows, n, 8)), "m": _codes(m.reshape(rows, n, 8))}


def read_q6_k(blocks):
    """Codes q - 32 (N, nb, 16, 16): sub-block j holds weights 16j..16j+15, scale sc_j."""
    b = _split(blocks, 210)  # 128 bytes low nibbles | 64 bytes high 2-bit pairs | 16 int8 sc | d
    rows, n = b.shape[:2]
    ql, qh = b[..., :128].astype(np.int16), b[..., 128:192].astype(np.int16)
    halves = []
    for h in range(2):  # each half of 128 weights: 64 low-nibble bytes, 32 high-bit bytes
        low, high = ql[..., 64 * h:64 * h + 64], qh[..., 32 * h:32 * h + 32]
        halves += [(low[..., :32] & 15) | ((high & 3) << 4),
                   (low[..., 32:] & 15) | (((high >> 2) & 3) << 4),
                   (low[..., :32] >> 4) | (((high >> 4) & 3) << 4),
                   (low[..., 32:] >> 4) | (((high >> 6) & 3) << 4)]
    codes = np.concatenate(halves, axis=-1).reshape(rows, n, 16, 16) - 32
    return {"codes": _codes(codes), "sc": _codes(b[..., 192:208].view(np.int8)),
            "d": _fp16(b[..., 208:210])}


READERS = {T.Q8_0: read_q8_0, T.Q5_0: read_q5_0, T.Q4_0: read_q4_0, T.Q4_1: read_q4_1,
           T.Q4_K: read_q4_k, T.Q6_K: read_q6_k}
FLOAT_TYPES = (T.F32, T.F16)


# -- the product ------------------------------------------------------------------------------


def block_dots(x_codes: torch.Tensor, w_codes: torch.Tensor) -> torch.Tensor:
    """Integer dot of every input block with every weight block: (M, nb, B) x (N, nb, B) ->
    (M, N, nb), exact (float64 holds these integer sums exactly)."""
    x = x_codes.double().permute(1, 0, 2)  # (nb, M, B)
    return torch.bmm(x, w_codes.double().permute(1, 2, 0)).permute(1, 2, 0)


def fma(a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """fp32 a*b + c rounded once (products of fp32 values are exact in double)."""
    return (a.double() * b.double() + c.double()).float()


def hsum8(acc: torch.Tensor) -> torch.Tensor:
    """ggml's hsum_float_8 over the last axis: 8 lanes -> 4 -> 2 -> 1, fp32 adds."""
    four = acc[..., :4] + acc[..., 4:]
    return (four[..., 0] + four[..., 2]) + (four[..., 1] + four[..., 3])


def lane_sums(scales: torch.Tensor, x_codes: torch.Tensor, w_codes: torch.Tensor):
    """ggml's AVX2 block dot: 8 fp32 lanes, lane l holding the integer dot of bytes 4l..4l+3
    of each 32-block; lane += fp32(d_w*d_x) * dot block after block (one FMA), then hsum8.
    scales (M, N, nb), codes (M, nb, 32) and (N, nb, 32) -> (M, N)."""
    M, nb, _ = x_codes.shape
    dots = block_dots(x_codes.reshape(M, nb * 8, 4), w_codes.reshape(len(w_codes), nb * 8, 4))
    dots = dots.reshape(M, -1, nb, 8)
    acc = torch.zeros(dots.shape[:2] + (8,))
    for b in range(nb):
        acc = fma(scales[..., b, None], dots[:, :, b], acc)
    return hsum8(acc)


def block_fmas(values: torch.Tensor, scales: torch.Tensor) -> torch.Tensor:
    """acc = fma(value_b, scale_b, acc) block after block: (M, N, nb) each -> (M, N). The
    order of ggml's repacked kernels (Q4_0 / Q4_K in rows of 8), which sum each block's
    integer dot in full before scaling it."""
    acc = torch.zeros(values.shape[:2])
    for b in range(values.shape[-1]):
        acc = fma(values[..., b].float(), scales[..., b], acc)
    return acc


def matmul_q8_0_family(x, w, linear):
    """Q8_0 / Q5_0 / Q4_0 weights (signed codes, one d a block) times Q8_0-rounded rows."""
    codes, d = quantize_q8_0(x, linear.x86)
    scales = w["d"][None] * d[:, None]  # (M, N, nb): fp32(d_w * d_x) as ggml forms it
    if linear.repacked:
        return block_fmas(block_dots(codes, w["codes"]), scales)
    return lane_sums(scales, codes, w["codes"])


def matmul_q4_1(x, w, linear):
    """hsum8 of the lanes plus the mins m_w * s_x, summed block by block (one FMA each)."""
    codes, d, s = quantize_q8_1(x, linear.x86)
    scales = w["d"][None] * d[:, None]
    mins = torch.zeros(scales.shape[:2])
    for b in range(scales.shape[-1]):
        mins = fma(w["m"][None, :, b], s[:, None, b], mins)
    return lane_sums(scales, codes, w["codes"]) + mins


def matmul_q4_k(x, w, linear):
    """Super-block sums sumi = sum_j sc_j * dot_j and summ = sum_j m_j * bsums_j (exact
    integers); d_w*d_x * sumi and dmin_w*d_x * summ each summed over super-blocks by FMA,
    then subtracted: ggml's repacked Q4_K kernel (its plain AVX2 kernel sums in other
    lanes: for rows not a multiple of 8 this order is an approximation)."""
    codes, d = quantize_q8_k(x)  # (M, nb, 256)
    M, nb = d.shape
    N = w["codes"].shape[0]
    dots = block_dots(codes.reshape(M, nb * 8, 32), w["codes"].reshape(N, nb * 8, 32))
    sumi = (dots.reshape(M, N, nb, 8) * w["sc"][None].double()).sum(-1)  # exact integers
    bsums32 = codes.reshape(M, nb, 8, 32).sum(-1).double()  # two bsums of 16 each
    summ = (bsums32[:, None] * w["m"][None].double()).sum(-1)  # (M, N, nb)
    return (block_fmas(sumi, d[:, None] * w["d"][None])
            - block_fmas(summ, d[:, None] * w["dmin"][None]))


def matmul_q6_k(x, w, linear):
    """Exact integer super-block sums, scaled and summed in fp32 (not in ggml's lane order:
    Q6_K results may differ from llama.cpp's in the last bit)."""
    codes, d = quantize_q8_k(x)
    M, nb = d.shape
    N = w["codes"].shape[0]
    dots = block_dots(codes.reshape(M, nb * 16, 16), w["codes"].reshape(N, nb * 16, 16))
    sumi = (dots.reshape(M, N, nb, 16) * w["sc"][None].double()).sum(-1)
    return block_fmas(sumi, d[:, None] * w["d"][None])


MATMULS = {T.Q8_0: matmul_q8_0_family, T.Q5_0: matmul_q8_0_family,
           T.Q4_0: matmul_q8_0_family, T.Q4_1: matmul_q4_1, T.Q4_K: matmul_q4_k,
           T.Q6_K: matmul_q6_k}


class GgmlLinear(nn.Module):
    """y = x W^T for one GGUF weight, computed as ggml's CPU backend computes it (no bias:
    llama-family GGUF linears have none)."""

    def __init__(self, kind: T, data: np.ndarray, in_features: int, out_features: int,
                 name: str = "", x86: bool = True) -> None:
        super().__init__()
        self.kind, self.name, self.x86 = kind, name, x86
        # llama.cpp's CPU backend repacks Q4_0 and Q4_K weights of 8k rows (on x86 with
        # AVX2) for kernels that sum in another order
        self.repacked = kind in (T.Q4_0, T.Q4_K) and out_features % 8 == 0
        self.in_features, self.out_features = in_features, out_features
        data = np.asarray(data).reshape(out_features, -1)
        if kind in FLOAT_TYPES:  # F16: the input is rounded to fp16 (ggml's vec_dot_type)
            self.weight = {"w": torch.from_numpy(data.astype(np.float32))}
        elif kind in READERS:
            self.weight = READERS[kind](data)
        else:
            supported = ", ".join(t.name for t in (*READERS, *FLOAT_TYPES))
            raise ModelFileError(f"tensor {name!r} has GGUF type {kind.name}, which ggml "
                                 f"numerics cannot run (supported: {supported})")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features).float()
        if self.kind == T.F16:
            y = rows.half().float() @ self.weight["w"].T
        elif self.kind == T.F32:
            y = rows @ self.weight["w"].T
        else:  # a slice of output rows at a time bounds the (M, rows, blocks) partial dots
            step = max(1, DOT_CHUNK // (len(rows) * (self.in_features // 4)))
            y = torch.cat([MATMULS[self.kind](rows, {k: v[start:start + step]
                                                     for k, v in self.weight.items()}, self)
                           for start in range(0, self.out_features, step)], dim=1)
        return y.reshape(*x.shape[:-1], self.out_features)

    def extra_repr(self) -> str:
        return f"{self.kind.name}, in_features={self.in_features}, out={self.out_features}"
