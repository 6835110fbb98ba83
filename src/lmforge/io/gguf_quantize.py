"""Float weights -> GGUF block formats, as llama.cpp's `llama-quantize` writes them.

A quantized GGUF stores each weight row in blocks; every block carries its own scale(s):

    Q8_0  32 weights: fp16 d, 32 int8 codes              w = d*q           8.5 bits a weight
    Q4_0  32 weights: fp16 d, 16 bytes of 4-bit codes    w = d*(q - 8)     4.5 bits
    Q4_1  32 weights: fp16 d, fp16 m, 4-bit codes        w = d*q + m       5.0 bits
    Q5_0  32 weights: fp16 d, 5-bit codes                w = d*(q - 16)    5.5 bits
    Q4_K  256 weights in 8 sub-blocks of 32: fp16 d and dmin, a 6-bit (scale, min) pair a
          sub-block, 4-bit codes                         w = d*sc_j*q - dmin*m_j   4.5 bits

Which type each tensor gets is llama.cpp's mix (`llama_tensor_get_type` in llama-quant.cpp):
1-D tensors (norms, biases) stay F32; the output matrix (or a tied embedding, which is the
output) is kept at higher precision under the 4-bit types; a row the type's blocks do not
divide falls back (Q4_K -> Q5_0 -> F16, as llama.cpp does; Q8_0/Q4_0/Q4_1 -> F16, where
llama.cpp stops with an error). Q8_0, Q4_0, Q4_1 and Q5_0 come from the `gguf` package's
quantizers (bit-exact ports of ggml's reference); gguf has no Q4_K quantizer, so
`quantize_q4_k` below ports ggml's `quantize_row_q4_K_ref` operation for operation.

Test: pytest tests/io/test_gguf_writer_quant.py
"""

import numpy as np
from gguf import GGML_QUANT_SIZES, LlamaFileType
from gguf import GGMLQuantizationType as T
from gguf import quants as gguf_quants

# --dtype -> (type of 2-D weights, type of the output matrix, general.file_type). llama.cpp
# keeps `output` in Q6_K under 4-bit types (Q8_0 when its rows are not a multiple of 256);
# lmforge writes Q8_0 there (it has no Q6_K quantizer), a little more precise and larger.
# Our q4_k is llama.cpp's Q4_K_S without its Q5_K bump of the first attn_v/ffn_down layers.
FILE_TYPES = {
    "f32": (T.F32, T.F32, LlamaFileType.ALL_F32),
    "f16": (T.F16, T.F16, LlamaFileType.MOSTLY_F16),
    "q8_0": (T.Q8_0, T.Q8_0, LlamaFileType.MOSTLY_Q8_0),
    "q4_0": (T.Q4_0, T.Q8_0, LlamaFileType.MOSTLY_Q4_0),
    "q4_1": (T.Q4_1, T.Q8_0, LlamaFileType.MOSTLY_Q4_1),
    "q4_k": (T.Q4_K, T.Q8_0, LlamaFileType.MOSTLY_Q4_K_S),
}
# the type to use when a row's length is not a multiple of the type's block
FALLBACK = {T.Q4_K: T.Q5_0, T.Q5_0: T.F16, T.Q8_0: T.F16, T.Q4_0: T.F16, T.Q4_1: T.F16}
ROW_CHUNK = 512  # rows quantized at once (bounds the float temporaries of a large matrix)


def tensor_types(shapes: dict[str, tuple[int, ...]], dtype: str) -> dict[str, T]:
    """GGUF tensor name -> the type it is stored as under `--dtype dtype`; shapes are numpy's
    (rows, row length)."""
    weight_type, output_type, _ = FILE_TYPES[dtype]
    has_output = "output.weight" in shapes
    types = {}
    for name, shape in shapes.items():
        if len(shape) == 1:
            types[name] = T.F32  # norms and biases: tiny and precision-sensitive
            continue
        is_output = name == "output.weight" or (name == "token_embd.weight" and not has_output)
        kind = output_type if is_output else weight_type
        while shape[-1] % GGML_QUANT_SIZES[kind][0] != 0:
            kind = FALLBACK[kind]
        types[name] = kind
    return types


def quantize(weights: np.ndarray, kind: T) -> np.ndarray:
    """float32 (rows, n) -> what the file stores: float32/float16 (rows, n), or for a block
    type uint8 (rows, bytes of a row's blocks)."""
    if kind in (T.F32, T.F16):
        return gguf_quants.quantize(weights, kind)
    quantizer = quantize_q4_k if kind == T.Q4_K else (lambda w: gguf_quants.quantize(w, kind))
    chunks = [quantizer(weights[i:i + ROW_CHUNK]) for i in range(0, len(weights), ROW_CHUNK)]
    return np.concatenate(chunks)


# -- Q4_K: ggml's quantize_row_q4_K_ref in numpy --------------------------------------------
# Every step below is float32 arithmetic in the C code's order (sums run left to right,
# never pairwise), so the bytes equal ggml's; tests compare them with libggml's own.

MAGIC = np.float32(12582912.0)  # 1.5 * 2**23: adding it rounds a float32 to an integer


def nearest_int(x: np.ndarray) -> np.ndarray:
    """ggml's nearest_int: round half to even through the float32 mantissa (|x| < 2**22)."""
    shifted = (np.asarray(x, dtype=np.float32) + MAGIC).view(np.int32)
    return (shifted & 0x007FFFFF) - 0x00400000


def running_sum(x: np.ndarray) -> np.ndarray:
    """Sum over the last axis strictly left to right in float32, as a C loop does."""
    return np.add.accumulate(x, axis=-1, dtype=np.float32)[..., -1]


def quantize_q4_k(weights: np.ndarray) -> np.ndarray:
    """float32 (rows, n), n a multiple of 256 -> Q4_K blocks, uint8 (rows, n // 256 * 144).

    Each sub-block of 32 gets a weighted least-squares (scale, min) fit (`make_qkx2_quants`,
    importance = the sub-block's RMS + |w|); the 8 scales and 8 mins of a block are then
    themselves quantized to 6 bits against the block's largest (fp16 d, dmin), and the
    4-bit codes are recomputed with those rounded scales."""
    rows = weights.shape[0]
    x = np.ascontiguousarray(weights, dtype=np.float32).reshape(-1, 8, 32)  # (n_blocks, 8, 32)
    n_blocks = x.shape[0]
    sub = x.reshape(-1, 32)  # (n_blocks * 8, 32): one sub-block a row
    av_x = np.sqrt(running_sum(sub * sub) / np.float32(32))
    importance = av_x[:, None] + np.abs(sub)
    scales, mins, codes = make_qkx2_quants(sub, importance, nmax=15, rmin=-1.0, rdelta=0.1,
                                           nstep=20)
    scales, mins = scales.reshape(n_blocks, 8), mins.reshape(n_blocks, 8)
    # the block's scales and mins on a 6-bit grid, relative to the largest of each
    max_scale = np.maximum(scales.max(axis=1), np.float32(0))
    max_min = np.maximum(mins.max(axis=1), np.float32(0))
    ls = _six_bits(scales, max_scale)  # (n_blocks, 8)
    lm = _six_bits(mins, max_min)
    d = (max_scale / np.float32(63)).astype(np.float16)  # (n_blocks,)
    dmin = (max_min / np.float32(63)).astype(np.float16)
    codes = _requantize(x, codes.reshape(n_blocks, 8, 32), d, dmin, ls, lm)
    packed = codes[:, 0::2] | (codes[:, 1::2] << 4)  # (n_blocks, 4, 32): sub-blocks 2c, 2c+1
    blocks = np.concatenate([d[:, None].view(np.uint8), dmin[:, None].view(np.uint8),
                             _pack_scales(ls, lm), packed.reshape(n_blocks, 128)], axis=1)
    return blocks.reshape(rows, -1)  # (n_blocks, 2 + 2 + 12 + 128) -> one row of blocks a row


def make_qkx2_quants(x: np.ndarray, weights: np.ndarray, nmax: int, rmin: float,
                     rdelta: float, nstep: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ggml's make_qkx2_quants on many groups at once: x, weights (G, n) -> scale (G,),
    the_min (G,) (the negated offset, >= 0) and codes (G, n) in [0, nmax] (float32), so that
    x ~ scale * code - the_min minimises the weighted squared error. It starts from the
    min/max grid, then tries nstep + 1 grids stretched by rmin + rdelta*is and keeps a
    least-squares refit when it is better."""
    f32 = np.float32
    x_max = x.max(axis=1)
    x_min = start_min = np.minimum(x.min(axis=1), f32(0))  # the offset is never positive
    flat = x_max == x_min  # all weights equal: codes 0, scale 0
    sum_w, sum_x = running_sum(weights), running_sum(weights * x)
    with np.errstate(divide="ignore", invalid="ignore"):
        iscale = f32(nmax) / (x_max - x_min)
        scale = f32(1) / iscale
        codes = _codes(iscale, x, x_min, nmax)
        best_error = _weighted_error(weights, scale[:, None] * codes + x_min[:, None] - x)
        for step in range(nstep + 1):
            iscale = (f32(rmin) + f32(rdelta) * f32(step) + f32(nmax)) / (x_max - x_min)
            trial = _codes(iscale, x, x_min, nmax)
            wl = weights * trial
            sum_l, sum_l2, sum_xl = running_sum(wl), running_sum(wl * trial), running_sum(wl * x)
            D = sum_w * sum_l2 - sum_l * sum_l
            this_scale = (sum_w * sum_xl - sum_x * sum_l) / D
            this_min = (sum_l2 * sum_x - sum_l * sum_xl) / D
            positive = this_min > 0  # an offset above zero: refit the scale alone
            this_scale = np.where(positive, sum_xl / sum_l2, this_scale)
            this_min = np.where(positive, f32(0), this_min)
            error = _weighted_error(weights, this_scale[:, None] * trial + this_min[:, None] - x)
            better = (D > 0) & (error < best_error)
            codes = np.where(better[:, None], trial, codes)
            best_error = np.where(better, error, best_error)
            scale = np.where(better, this_scale, scale)
            x_min = np.where(better, this_min, x_min)  # the next grids start from this min
    scale = np.where(flat, f32(0), scale)
    x_min = np.where(flat, start_min, x_min)
    codes = np.where(flat[:, None], f32(0), codes)
    return scale.astype(f32), (-x_min).astype(f32), codes


def _codes(iscale: np.ndarray, x: np.ndarray, x_min: np.ndarray, nmax: int) -> np.ndarray:
    """round(iscale * (x - min)) clamped to [0, nmax], as float32 (G, n)."""
    return np.clip(nearest_int(iscale[:, None] * (x - x_min[:, None])), 0, nmax
                   ).astype(np.float32)


def _weighted_error(weights: np.ndarray, diff: np.ndarray) -> np.ndarray:
    """sum_i w_i * diff_i**2 over each group (G, n), in C's order."""
    return running_sum(weights * (diff * diff))


def _six_bits(values: np.ndarray, largest: np.ndarray) -> np.ndarray:
    """values (n_blocks, 8) on a 0..63 grid relative to `largest` (n_blocks,), as uint8 (the
    C code's uint8_t conversion wraps, then MIN(63, .))."""
    with np.errstate(divide="ignore"):
        inverse = np.where(largest > 0, np.float32(63) / largest, np.float32(0))
    return np.minimum(nearest_int(inverse[:, None] * values).astype(np.uint8), 63)


def _pack_scales(ls: np.ndarray, lm: np.ndarray) -> np.ndarray:
    """Eight 6-bit scales and mins (n_blocks, 8) -> 12 bytes a block:
    bytes 0-3 scales 0-3 (+ top 2 bits of scales 4-7), bytes 4-7 mins 0-3 (+ top bits of
    mins 4-7), bytes 8-11 low nibbles of scales 4-7 | low nibbles of mins 4-7 << 4."""
    packed = np.empty((ls.shape[0], 12), dtype=np.uint8)
    packed[:, 0:4] = ls[:, :4] | ((ls[:, 4:] >> 4) << 6)
    packed[:, 4:8] = lm[:, :4] | ((lm[:, 4:] >> 4) << 6)
    packed[:, 8:12] = (ls[:, 4:] & 0x0F) | ((lm[:, 4:] & 0x0F) << 4)
    return packed


def _requantize(x: np.ndarray, codes: np.ndarray, d: np.ndarray, dmin: np.ndarray,
                ls: np.ndarray, lm: np.ndarray) -> np.ndarray:
    """The 4-bit codes (n_blocks, 8, 32) uint8 recomputed with the rounded scales; a
    sub-block whose scale rounds to 0 keeps the codes of its fit."""
    scale = d.astype(np.float32)[:, None] * ls.astype(np.float32)  # (n_blocks, 8)
    offset = dmin.astype(np.float32)[:, None] * lm.astype(np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        fresh = nearest_int((x + offset[..., None]) / scale[..., None])
    fresh = np.clip(np.where(scale[..., None] == 0, 0, fresh), 0, 15)
    return np.where(scale[..., None] == 0, codes, fresh).astype(np.uint8)
