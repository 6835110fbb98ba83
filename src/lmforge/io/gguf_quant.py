"""GGUF quantized tensors -> lmforge's quantized linears, without a float copy of the layer.

llama.cpp stores each weight row in blocks. The formats used as they are:

    Q4_1  32 weights: fp16 d, fp16 m, 16 bytes of 4-bit codes   w = d*q + m
          -> Int4Linear group 32, scale d, min m (exact)
    Q4_0  32 weights: fp16 d, 16 bytes of 4-bit codes          w = d*(q - 8)
          -> Int4Linear group 32, scale d, min -8d (exact)
    Q4_K  256 weights: fp16 d and dmin, eight 6-bit (scale, min) pairs, 4-bit codes
          w = d*sc_j*q - dmin*m_j in sub-block j of 32 -> Int4Linear group 32 (exact)
    Q8_0  32 weights: fp16 d, 32 int8 codes                    w = d*q
          -> Int8Linear group 32, scale d (exact)
    Q5_0  32 weights: fp16 d, 32 high bits, 4-bit low codes      w = d*(q - 16)
          -> Int8Linear group 32, codes q - 16, scale d (exact)

Inside a block, byte i holds weight i in its low nibble and weight i + 16 in its high one
(Q4_K: 32-byte runs hold sub-blocks 2c and 2c + 1); lmforge packs columns 2j and 2j + 1
into one byte, so the codes are reordered, never dequantized.

The other 5/6/2/3-bit formats become per-output-channel int8 (`Int8Linear`, one scale a
row): Q5_1/Q5_K/Q6_K/Q2_K/Q3_K are dequantized a few thousand rows at a time and quantized
to int8. This is the one lossy step (at most half an int8 step of the row, ~0.4% of the
row's largest weight). Q8_0 and Q5_0 were re-scaled the same way until 2026-12-07; now they
are held as stored wherever lmforge's C kernels run them (one scale a 32-block; PyTorch's
packed int8 kernel, the fallback without them, takes one a row, so there they are still
re-scaled): the weights llama.cpp multiplies, bit for bit (docs/compression.md, "Same file,
same tokens?"). Any other type is an error naming the type and tensor.

Test: pytest tests/io/test_gguf_quant.py
"""

import numpy as np
import torch
from gguf import GGMLQuantizationType as T
from gguf import ReaderTensor
from gguf.quants import Q4_K, dequantize

from lmforge.errors import ModelFileError
from lmforge.memory import release_freed_memory
from lmforge.model.backend import backend
from lmforge.model.quant import Int4Linear, Int8Linear, QuantizedLinear, pack_int4

INT4_EXACT = (T.Q4_0, T.Q4_1, T.Q4_K)
INT8_EXACT = (T.Q8_0, T.Q5_0)
INT8_REPACKED = (T.Q5_1, T.Q5_K, T.Q6_K, T.Q2_K, T.Q3_K)
FLOAT_TYPES = (T.F32, T.F16, T.BF16)
ROW_CHUNK = 1024  # rows dequantized at once when repacking to int8 (bounds the float copy)


def is_quantized(tensor: ReaderTensor) -> bool:
    return tensor.tensor_type not in FLOAT_TYPES


def quantized_linear(name: str, tensor: ReaderTensor, blocks: np.ndarray | None = None,
                     ) -> QuantizedLinear:
    """The quantized linear for a GGUF weight; `blocks` (rows, bytes) overrides its data
    (e.g. after the q/k row permutation is undone)."""
    blocks = np.asarray(tensor.data if blocks is None else blocks)
    kind = tensor.tensor_type
    out_features, in_features = (int(d) for d in reversed(tensor.shape.tolist()))
    if kind in INT4_EXACT:
        codes, scales, mins = INT4_READERS[kind](blocks.reshape(out_features, -1))
        return Int4Linear(pack_int4(codes.reshape(out_features, in_features)),
                          scales.reshape(out_features, -1), mins.reshape(out_features, -1),
                          name=name)
    if kind in INT8_EXACT and backend.kernels():  # else PyTorch's kernel: one scale a row
        codes, scales = INT8_READERS[kind](blocks.reshape(out_features, -1))
        return Int8Linear(codes.reshape(out_features, in_features), scales, name=name)
    if kind in (*INT8_EXACT, *INT8_REPACKED):
        return _int8_per_row(name, kind, blocks.reshape(out_features, -1), in_features)
    supported = ", ".join(t.name for t in (*INT4_EXACT, *INT8_EXACT, *INT8_REPACKED,
                                           *FLOAT_TYPES))
    raise ModelFileError(f"tensor {tensor.name!r} has GGUF type {kind.name}, which lmforge "
                         f"cannot run quantized (supported: {supported})")


def _split(blocks: np.ndarray, block_bytes: int) -> np.ndarray:
    """(rows, bytes) -> (rows, n_blocks, block_bytes) uint8."""
    return np.ascontiguousarray(blocks).reshape(blocks.shape[0], -1, block_bytes)


def _fp16(raw: np.ndarray) -> torch.Tensor:
    """Little-endian fp16 stored as byte pairs (..., 2) -> float16 (...): kept as stored (the
    kernels widen it exactly as they read; fp32 would add a quarter to Q4's bytes)."""
    return torch.from_numpy(np.ascontiguousarray(raw).view(np.float16)[..., 0].copy())


def _nibbles_of_32(qs: np.ndarray) -> torch.Tensor:
    """16 bytes per block (..., 16) -> 32 codes (..., 32): low nibbles, then high nibbles."""
    q = torch.from_numpy(np.ascontiguousarray(qs))
    return torch.cat([q & 0x0F, q >> 4], dim=-1)


def _read_q4_0(blocks):
    b = _split(blocks, 18)  # fp16 d | 16 bytes of codes
    d = _fp16(b[..., 0:2])  # (rows, n_blocks)
    return _nibbles_of_32(b[..., 2:]), d, -8 * d


def _read_q4_1(blocks):
    b = _split(blocks, 20)  # fp16 d | fp16 m | 16 bytes of codes
    return _nibbles_of_32(b[..., 4:]), _fp16(b[..., 0:2]), _fp16(b[..., 2:4])


def _read_q4_k(blocks):
    b = _split(blocks, 144)  # fp16 d | fp16 dmin | 12 bytes of 6-bit scales/mins | 128 codes
    rows, n = b.shape[:2]
    d, dmin = _fp16(b[..., 0:2]).float(), _fp16(b[..., 2:4]).float()  # (rows, n)
    sc, m = Q4_K.get_scale_min(b[..., 4:16].reshape(rows * n, 12))  # (rows*n, 8) each
    sc = torch.from_numpy(sc.astype(np.float32)).reshape(rows, n, 8)
    m = torch.from_numpy(m.astype(np.float32)).reshape(rows, n, 8)
    q = torch.from_numpy(np.ascontiguousarray(b[..., 16:])).reshape(rows, n, 4, 1, 32)
    codes = torch.cat([q & 0x0F, q >> 4], dim=3)  # (rows, n, 4, 2, 32): sub-blocks 2c, 2c+1
    return codes, d[..., None] * sc, -dmin[..., None] * m


INT4_READERS = {T.Q4_0: _read_q4_0, T.Q4_1: _read_q4_1, T.Q4_K: _read_q4_k}


def _read_q8_0_codes(blocks):
    b = _split(blocks, 34)  # fp16 d | 32 int8 codes
    codes = np.ascontiguousarray(b[..., 2:]).view(np.int8).copy()
    return torch.from_numpy(codes), _fp16(b[..., 0:2])


def _read_q5_0_codes(blocks):
    """Weight j < 16 of a block: low nibble of byte j, fifth bit j of qh; weight j + 16: high
    nibble of byte j, fifth bit j + 16. Codes q - 16 in [-16, 15] fit int8 exactly."""
    b = _split(blocks, 22)  # fp16 d | 4 bytes of fifth bits (little-endian) | 16 bytes
    high = np.unpackbits(np.ascontiguousarray(b[..., 2:6]), axis=-1, bitorder="little")
    low = _nibbles_of_32(b[..., 6:]).numpy()
    codes = (low | (high << 4)).astype(np.int16) - 16  # (rows, n_blocks, 32)
    return torch.from_numpy(codes.astype(np.int8)), _fp16(b[..., 0:2])


INT8_READERS = {T.Q8_0: _read_q8_0_codes, T.Q5_0: _read_q5_0_codes}


def dequantize_blocks(blocks: np.ndarray, kind: T, in_features: int) -> np.ndarray:
    """Float32 (rows, in_features) of a block-quantized tensor: Q4_0/Q4_1/Q4_K/Q8_0 in torch,
    whole tensors at once (~6x faster than gguf's row-group loop), the same products and sums
    as gguf's numpy code so the values are identical; other types through gguf."""
    blocks = np.asarray(blocks)
    blocks = blocks.reshape(-1, blocks.shape[-1])
    rows, n_groups = blocks.shape[0], in_features // 32
    if kind in INT4_EXACT:
        codes, scales, mins = INT4_READERS[kind](blocks)
        weight = codes.reshape(rows, n_groups, 32).float()
        scales = scales.reshape(rows, n_groups, 1)
        if kind == T.Q4_0:  # gguf computes d * (q - 8), which rounds unlike d*q - 8d
            weight.sub_(8).mul_(scales)
        else:
            weight.mul_(scales).add_(mins.reshape(rows, n_groups, 1))
    elif kind == T.Q8_0:
        weight = _read_q8_0(blocks)
    else:
        return dequantize(blocks, kind).reshape(rows, in_features)
    return weight.reshape(rows, in_features).numpy()


def _read_q8_0(blocks: np.ndarray) -> torch.Tensor:
    """(rows, bytes) of Q8_0 -> float32 (rows, n_blocks, 32), w = d*q."""
    b = _split(blocks, 34)  # fp16 d | 32 int8 codes
    q = torch.from_numpy(np.ascontiguousarray(b[..., 2:]).view(np.int8))
    return q.float().mul_(_fp16(b[..., 0:2])[..., None])


def _int8_per_row(name: str, kind: T, blocks: np.ndarray, in_features: int) -> Int8Linear:
    """Re-scale a block format to one int8 scale per row, a chunk of rows at a time."""
    qweight = torch.empty(blocks.shape[0], in_features, dtype=torch.int8)
    scales = torch.empty(blocks.shape[0], 1)
    for start in range(0, blocks.shape[0], ROW_CHUNK):
        chunk = blocks[start:start + ROW_CHUNK]
        weight = torch.from_numpy(dequantize_blocks(chunk, kind, in_features))
        part = Int8Linear.from_float(weight, name=name)
        qweight[start:start + len(chunk)] = part.qweight
        scales[start:start + len(chunk)] = part.scales
        release_freed_memory()  # the chunk's float temporaries: back to the OS (peak RSS)
    return Int8Linear(qweight, scales, name=name)
