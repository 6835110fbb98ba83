"""lmforge's own CPU kernels for decode steps, built on first use with the C compiler.

PyTorch's packed int4/int8 kernels take bf16 activations and a copy of the codes in their own
tiling, and at one row of activations read ~2 GB/s (measured 2026-11-30).
`kernels/quant_matmul.c` reads the codes as `model/quant.py` stores them (no second copy; fp32
or fp16 scales), with activations in fp32 or, as llama.cpp does, rounded to int8 blocks for
integer dot products (`q4_matmul_q8`). `kernels/attention.c` holds the paged decode
attention, RoPE and RMSNorm, `kernels/decode_step.c` a whole decode step through a stack of
blocks (`decode_layers`, see fused_decode.py), and `kernels/simd.h` what they share. All of
them are compiled together, in one compiler call, into one shared library for the CPU at hand
(`-O3 -march=native`: AVX-512, or AVX2 with FMA and F16C).

The shared library is cached under ~/.cache/lmforge/kernels (or $LMFORGE_CACHE/kernels), named
by a hash of the sources and headers, the flags and the CPU, and written atomically. Without
a C compiler or such a CPU, or with LMFORGE_CPU_KERNELS=0, `available()` is False and the
quantized linears use PyTorch's kernels instead.

    from lmforge.model import cpu_kernels
    y = cpu_kernels.q4_matmul(x, codes, scales, mins, group_size)   # x (M, K) fp32 -> (M, N)

Test: pytest tests/model/test_cpu_kernels.py
"""

import ctypes
import functools
import hashlib
import os
import subprocess
import tempfile
from pathlib import Path

import torch

from lmforge import cpu_features

KERNELS = Path(__file__).parent / "kernels"
# compiled together into one library; the headers they include count for the cache key
SOURCES = [KERNELS / name for name in ("quant_matmul.c", "attention.c", "decode_step.c")]
HEADERS = [KERNELS / "simd.h"]
# -ffp-contract=off: the dequantizers round like PyTorch (a*b, then +c: bit-identical)
FLAGS = ["-O3", "-march=native", "-ffp-contract=off", "-fopenmp", "-shared", "-fPIC",
         "-std=gnu11"]
BLOCK = 32  # the kernel's block width: K and the group size must be multiples of it
KV_KINDS = {torch.float32: 0, torch.float16: 1, torch.bfloat16: 2}  # simd.h's KV_*


def available() -> bool:
    """True when the kernels are built (or could be built now) for this CPU."""
    return _library() is not None


def supports(in_features: int, group_size: int) -> bool:
    return in_features % BLOCK == 0 and group_size % BLOCK == 0 and available()


def q4_matmul(x: torch.Tensor, codes: torch.Tensor, scales: torch.Tensor, mins: torch.Tensor,
              group_size: int) -> torch.Tensor:
    """x (M, K) fp32 contiguous @ int4 weights (N, K/2 bytes; scales/mins (N, K/G), both fp32
    or both fp16)^T."""
    M, K = x.shape
    N = codes.shape[0]
    y = torch.empty(M, N, dtype=torch.float32)
    _library().q4_matmul(x.data_ptr(), M, K, codes.data_ptr(), scales.data_ptr(),
                         mins.data_ptr(), half_scales(scales, mins), N, group_size, y.data_ptr())
    return y


def q8_matmul(x: torch.Tensor, codes: torch.Tensor, scales: torch.Tensor,
              group_size: int) -> torch.Tensor:
    """x (M, K) fp32 contiguous @ int8 weights (N, K; scales (N, K/G) fp32 or fp16)^T."""
    M, K = x.shape
    N = codes.shape[0]
    y = torch.empty(M, N, dtype=torch.float32)
    _library().q8_matmul(x.data_ptr(), M, K, codes.data_ptr(), scales.data_ptr(),
                         half_scales(scales), N, group_size, y.data_ptr())
    return y


def half_scales(scales: torch.Tensor, mins: torch.Tensor | None = None) -> int:
    """1 for fp16 scales (and mins), 0 for fp32: the two the kernels read."""
    if scales.dtype not in (torch.float32, torch.float16) or not scales.is_contiguous() or (
            mins is not None and (mins.dtype != scales.dtype or not mins.is_contiguous())):
        raise ValueError("the kernels read contiguous fp32 or fp16 scales (and mins alike)")
    return int(scales.dtype == torch.float16)


def q8_activations_supported(in_features: int, group_size: int) -> bool:
    """Whether `q4_matmul_q8` / `q8_matmul_q8` take this shape: a scale a 32-block, a pair of
    blocks, or a multiple of 4 blocks (group 32, 64, 128, 256, ...), or one for the whole row."""
    return (in_features % BLOCK == 0 and group_size % BLOCK == 0
            and (group_size in (BLOCK, 2 * BLOCK, in_features) or group_size % (4 * BLOCK) == 0))


def q4_matmul_q8(x: torch.Tensor, codes: torch.Tensor, scales: torch.Tensor,
                 mins: torch.Tensor, group_size: int) -> torch.Tensor:
    """`q4_matmul` with x quantized to int8 per 32-wide block first (llama.cpp's scheme):
    integer dot products, ~2x fewer instructions a weight; x's rounding is the difference."""
    M, K = x.shape
    y = torch.empty(M, codes.shape[0], dtype=torch.float32)
    _check(_library().q4_matmul_q8(x.data_ptr(), M, K, codes.data_ptr(), scales.data_ptr(),
                                   mins.data_ptr(), half_scales(scales, mins), codes.shape[0],
                                   group_size, y.data_ptr()))
    return y


def q8_matmul_q8(x: torch.Tensor, codes: torch.Tensor, scales: torch.Tensor,
                 group_size: int) -> torch.Tensor:
    """`q8_matmul` with x quantized to int8 per 32-wide block first (see `q4_matmul_q8`)."""
    M, K = x.shape
    y = torch.empty(M, codes.shape[0], dtype=torch.float32)
    _check(_library().q8_matmul_q8(x.data_ptr(), M, K, codes.data_ptr(), scales.data_ptr(),
                                   half_scales(scales), codes.shape[0], group_size,
                                   y.data_ptr()))
    return y


def int8_activations(x: torch.Tensor) -> torch.Tensor:
    """x (M, K) as `q4_matmul_q8` / `q8_matmul_q8` see it, in float: each 32-wide block
    rounded to d * round(x / d), d = max|x| / 127 (the readable definition; tests' oracle)."""
    M, K = x.shape
    blocks = x.float().reshape(M, K // BLOCK, BLOCK)
    d = blocks.abs().amax(-1, keepdim=True) / 127
    inverse = torch.where(d != 0, 1 / d, torch.zeros_like(d))
    return (torch.round(blocks * inverse) * d).reshape(M, K)


def _check(failed: int) -> None:
    if failed == 2:
        raise ValueError("int8 activations: unsupported group size (q8_activations_supported)")
    if failed:
        raise MemoryError("quantized matmul: out of memory for the int8 activations")


def q4_dequantize(codes: torch.Tensor, scales: torch.Tensor, mins: torch.Tensor,
                  group_size: int, out: torch.Tensor) -> torch.Tensor:
    """The float weight (N, K) of int4 codes, written into `out` (fp32 or bf16, N*K elements)."""
    N, K = codes.shape[0], codes.shape[1] * 2
    w = out[: N * K].view(N, K)
    _library().q4_dequantize(codes.data_ptr(), scales.data_ptr(), mins.data_ptr(),
                             half_scales(scales, mins), N, K, group_size, w.data_ptr(),
                             _is_bf16(out))
    return w


def q8_dequantize(codes: torch.Tensor, scales: torch.Tensor, group_size: int,
                  out: torch.Tensor) -> torch.Tensor:
    """The float weight (N, K) of int8 codes, written into `out` (fp32 or bf16, N*K elements)."""
    N, K = codes.shape
    w = out[: N * K].view(N, K)
    _library().q8_dequantize(codes.data_ptr(), scales.data_ptr(), half_scales(scales), N, K,
                             group_size, w.data_ptr(), _is_bf16(out))
    return w


def _is_bf16(out: torch.Tensor) -> int:
    if out.dtype not in (torch.float32, torch.bfloat16):
        raise TypeError(f"dequantized weights are written as fp32 or bf16, not {out.dtype}")
    return int(out.dtype == torch.bfloat16)


def paged_attention_decode(q: torch.Tensor, keys: torch.Tensor, values: torch.Tensor,
                           key_slots: torch.Tensor, lengths: torch.Tensor,
                           scale: float) -> torch.Tensor:
    """softmax(q K^T * scale) V for one query a sequence, K and V read in place from a paged
    pool. q (n_seq, H, D) fp32; keys/values (slots, n_kv, D) fp32 or fp16; key_slots
    (n_seq, S) and lengths (n_seq,) int64 -> (n_seq, H, D)."""
    n_seq, n_head, D = q.shape
    out = torch.empty_like(q)
    failed = _library().paged_attention_decode(
        q.data_ptr(), keys.data_ptr(), values.data_ptr(), KV_KINDS[keys.dtype],
        key_slots.data_ptr(), lengths.data_ptr(), n_seq, key_slots.shape[1], n_head,
        keys.shape[1], D, scale, out.data_ptr())
    if failed:
        raise MemoryError("paged attention: out of memory for the scores")
    return out


def rope(x: torch.Tensor, cos: torch.Tensor, signed_sin: torch.Tensor) -> torch.Tensor:
    """x * cos + roll(x, D/2) * signed_sin in one pass, bit for bit: x (B, H, T, D) fp32 with
    a contiguous last dim (a view of the fused q/k/v output is fine), cos and signed_sin
    (B or 1, 1, T, D) fp32 contiguous -> a new contiguous (B, H, T, D)."""
    B, H, T, D = x.shape
    out = torch.empty(B, H, T, D)
    _library().rope(x.data_ptr(), B, H, T, D, x.stride(0), x.stride(1), x.stride(2),
                    cos.data_ptr(), signed_sin.data_ptr(), T * D if cos.shape[0] > 1 else 0,
                    out.data_ptr())
    return out


def rms_norm(x: torch.Tensor, weight: torch.Tensor, eps: float) -> torch.Tensor:
    """(x / sqrt(mean(x^2) + eps)) * weight over the last dim; x contiguous fp32."""
    y = torch.empty_like(x)
    C = x.shape[-1]
    _library().rms_norm(x.data_ptr(), weight.data_ptr(), x.numel() // C, C, eps, y.data_ptr())
    return y


def decode_layers(*args) -> int:
    """One decode step through a stack of blocks (kernels/decode_step.c: decode_layers;
    fused_decode.py builds the arguments). Returns non-zero when a buffer could not be
    allocated."""
    return _library().decode_layers(*args)


@functools.cache
def _library() -> ctypes.CDLL | None:
    if os.environ.get("LMFORGE_CPU_KERNELS", "1") == "0" or not all(
            path.exists() for path in SOURCES + HEADERS):
        return None
    try:
        lib = ctypes.CDLL(str(_build()))
    except (OSError, subprocess.SubprocessError):
        return None  # no compiler or a failed build: PyTorch's kernels serve instead
    i64, ptr = ctypes.c_int64, ctypes.c_void_p
    lib.q4_matmul.argtypes = [ptr, i64, i64, ptr, ptr, ptr, ctypes.c_int, i64, i64, ptr]
    lib.q8_matmul.argtypes = [ptr, i64, i64, ptr, ptr, ctypes.c_int, i64, i64, ptr]
    lib.q4_matmul_q8.argtypes = lib.q4_matmul.argtypes
    lib.q8_matmul_q8.argtypes = lib.q8_matmul.argtypes
    lib.q4_dequantize.argtypes = [ptr, ptr, ptr, ctypes.c_int, i64, i64, i64, ptr, ctypes.c_int]
    lib.q8_dequantize.argtypes = [ptr, ptr, ctypes.c_int, i64, i64, i64, ptr, ctypes.c_int]
    lib.decode_layers.argtypes = [ptr, i64, i64, ptr, i64, ptr, ptr, ctypes.c_int, ptr, ptr,
                                  ptr, i64]
    lib.rms_norm.argtypes = [ptr, ptr, i64, i64, ctypes.c_float, ptr]
    lib.rope.argtypes = [ptr, i64, i64, i64, i64, i64, i64, i64, ptr, ptr, i64, ptr]
    lib.paged_attention_decode.argtypes = [ptr, ptr, ptr, ctypes.c_int, ptr, ptr, i64, i64,
                                           i64, i64, i64, ctypes.c_float, ptr]
    return lib


def _build() -> Path:
    """The shared library for these sources, compiler and CPU; compiled once, atomically."""
    compiler = os.environ.get("CC", "cc")
    version = subprocess.run([compiler, "--version"], capture_output=True, text=True,
                             check=True, timeout=30).stdout
    # the CPU's flags: a cache moved to another machine must not run code built for
    # instructions that CPU lacks (-march=native)
    sources = [f"{path.name}\n{path.read_text()}" for path in SOURCES + HEADERS]
    parts = [*sources, *FLAGS, version, cpu_features.flags_line()]
    key = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]
    cache = Path(os.environ.get("LMFORGE_CACHE", Path.home() / ".cache" / "lmforge"))
    # "q_matmul": the library's name from when it had one source of that name
    target = cache / "kernels" / f"q_matmul-{key}.so"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        built = Path(tmp) / target.name
        subprocess.run([compiler, *FLAGS, *map(str, SOURCES), "-o", str(built)], check=True,
                       capture_output=True, timeout=300)
        os.replace(built, target)  # another process may have won the race: same bytes
    return target
