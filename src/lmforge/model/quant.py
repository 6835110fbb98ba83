"""Weight-only quantized linears: int8 and int4 weights, float activations.

A decoder spends its time reading weights (each decode step touches every one of them once),
so storing them in 8 or 4 bits makes a memory-bound step up to 4x or 8x less memory traffic.
Activations stay in float; only weights are quantized, in groups along the input dimension:

    int8, symmetric     w = scale[n, g] * q            q in [-127, 127]
    int4, asymmetric    w = scale[n, g] * q + min[n, g]  q in [0, 15]

where n is the output row and g = k // group_size the group of input column k. With one group
per row (group_size = in_features) int8 is the classic per-output-channel scheme. int4 needs
small groups (32/64/128) because 16 levels cannot span a whole row's outliers.

These formats hold llama.cpp's blocks exactly: Q4_1 (32 weights, w = d*q + m) is int4 group
32 with scale d and min m; Q4_0 (w = d*(q - 8)) is int4 with min -8d; Q8_0 (w = d*q) is int8
group 32 (see io/gguf_quant.py).

Each module keeps a readable reference path (dequantize, then `F.linear`): it runs on any
device and is the tests' oracle. Which faster route runs is model/backend.py's choice
(`quantized_route`). On the CPU, lmforge's own C kernels (`cpu_kernels.py`, built on first
use for the CPU at hand): for a few rows (decode) a GEMV reads the stored codes directly and
rounds the activations to int8 blocks for integer dot products, as llama.cpp does; for more
rows (prefill) a slice of the weight at a time is dequantized into a small buffer for
PyTorch's float GEMM (bf16 where the CPU has bf16 matmul hardware, else fp32). Without the
kernels (no C compiler, no AVX2), PyTorch's packed bf16 kernels serve
(`_weight_int8pack_mm`, `_weight_int4pack_mm_for_cpu`; their fp32 forms were 10-25x slower
than a dense fp32 matmul here), fed prefills in chunks of 64 rows (past 64 their per-row
cost triples; measured 2026-11-30). On CUDA the reference path runs (correct, not the
fastest: `_weight_int4pack_mm` would be the CUDA kernel, untested here, so unused).
Modules hold buffers only (no trainable parameters), so QLoRA freezes them for free, and have
nn.Linear's call, `in_features` and `out_features`. `QuantizedEmbedding` looks rows up in a
quantized matrix, so a tied embedding and LM head share one quantized copy.

Test: pytest tests/model/test_quant.py
"""

import threading
from collections.abc import Callable

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError
from lmforge.model import cpu_kernels
from lmforge.model.backend import backend

INT4_GROUP_SIZES = (32, 64, 128)
KERNEL_DTYPE = torch.bfloat16  # the packed CPU kernels' fast path (see the docstring)
KERNEL_CHUNK_ROWS = 64  # rows per kernel call: the per-row cost triples past 64
DEQUANT_CHUNK = 1 << 20  # weights dequantized at a time for a GEMM (4 MB: stays in cache)
_thread_scratch = threading.local()


class QuantizedLinear(nn.Module):
    """What int8 and int4 linears share: shapes, bias, the reference path and dispatch."""

    bits: int

    def __init__(self, in_features: int, out_features: int, group_size: int,
                 bias: torch.Tensor | None, name: str = "") -> None:
        super().__init__()
        check_group_size(name, in_features, group_size)
        self.in_features, self.out_features, self.group_size = in_features, out_features, group_size
        self.register_buffer("bias", None if bias is None else bias.detach().clone())
        self._kernel_cache: dict[str, tuple] = {}  # name -> (key, derived tensors): _cached

    @property
    def n_groups(self) -> int:
        return self.in_features // self.group_size

    def dequantize(self, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        """The float weight (out_features, in_features) these codes stand for."""
        raise NotImplementedError

    def reference_forward(self, x: torch.Tensor) -> torch.Tensor:
        """The readable path: rebuild the float weight, then an ordinary linear layer."""
        return F.linear(x, self.dequantize(x.dtype), self._bias(x.dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        rows = x.reshape(-1, self.in_features)  # (M, K)
        route = backend.quantized_route(self, rows)  # which kernel: model/backend.py
        if route == "gemv":
            y = self._gemv(rows.float().contiguous()).to(x.dtype)  # (M, N)
        elif route == "gemm":
            y = self._dequantized_gemm(rows.float().contiguous()).to(x.dtype)
        elif route == "packed":
            y = self._packed_matmul(rows.to(KERNEL_DTYPE)).to(x.dtype)
        else:
            return self.reference_forward(x)
        if self.bias is not None:
            y = y + self._bias(y.dtype)
        return y.reshape(*x.shape[:-1], self.out_features)

    def _dequantized_gemm(self, rows: torch.Tensor) -> torch.Tensor:
        """Many rows (a prefill): float weights, a slice of output rows at a time, dequantized
        by the C kernel into a small buffer, times a float GEMM."""
        scratch = _scratch()[:DEQUANT_CHUNK]
        if backend.bf16_gemm_applies():  # x and weights in bf16, the GEMM on bf16 hardware
            scratch, rows = scratch.view(torch.bfloat16), rows.bfloat16()  # 2x the weights
        step = max(1, scratch.numel() // self.in_features)
        parts = [rows @ self._dequantize_fast(start, start + step, scratch).T
                 for start in range(0, self.out_features, step)]
        return (parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)).float()

    def _packed_matmul(self, rows: torch.Tensor) -> torch.Tensor:
        """PyTorch's packed kernels, in chunks of rows (one call for a decode step)."""
        if len(rows) <= KERNEL_CHUNK_ROWS:
            return self._kernel_matmul(rows.contiguous())
        return torch.cat([self._kernel_matmul(chunk.contiguous())
                          for chunk in rows.split(KERNEL_CHUNK_ROWS)])

    def dequantize_rows(self, index: torch.Tensor, dtype: torch.dtype = torch.float32):
        """Float rows `index` (any shape) of the weight -> (*index.shape, in_features)."""
        raise NotImplementedError

    def _bias(self, dtype: torch.dtype) -> torch.Tensor | None:
        return None if self.bias is None else self.bias.to(dtype)

    def _kernel_matmul(self, rows: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def _gemv(self, rows: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def _dequantize_fast(self, start: int, end: int, scratch: torch.Tensor) -> torch.Tensor:
        """Float rows start..end of the weight, written into `scratch` by the C kernel."""
        raise NotImplementedError

    def _float_buffers(self) -> tuple:
        """scales (and mins) as the C kernels read them: fp32 or fp16 (GGUF's) as stored,
        other dtypes as an fp32 copy."""
        def readable(b: torch.Tensor) -> torch.Tensor:
            return b.contiguous() if b.dtype in (torch.float32, torch.float16) else b.float()
        return self._cached(None, lambda: tuple(
            readable(b) for b in (self.scales, getattr(self, "mins", None)) if b is not None),
            "kernel scales")

    def _cached(self, dtype: torch.dtype | None, build: Callable[[], tuple],
                name: str = "packed"):
        """What a kernel derives from the buffers (its packing, readable scales), under `name`:
        built once, rebuilt when the input `dtype` changes or a buffer is replaced or written
        (`.to()`, `load_state_dict`)."""
        buffers = [b for b in self._buffers.values() if b is not None]  # not .buffers(): slow
        key = (dtype, *(b.data_ptr() for b in buffers),
               *(0 if b.is_inference() else b._version for b in buffers))  # no counter there
        cached = self._kernel_cache.get(name)
        if cached is None or cached[0] != key:
            cached = self._kernel_cache[name] = (key, build())
        return cached[1]

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bits={self.bits}, group_size={self.group_size}, bias={self.bias is not None}")


class Int8Linear(QuantizedLinear):
    """Symmetric int8 weights: w = scales[n, g] * qweight[n, k] (g = k // group_size).

    Buffers: qweight int8 (N, K), scales float (N, K // group_size).
    """

    bits = 8

    def __init__(self, qweight: torch.Tensor, scales: torch.Tensor,
                 bias: torch.Tensor | None = None, name: str = "") -> None:
        out_features, in_features = qweight.shape
        group_size = in_features // scales.shape[1]
        super().__init__(in_features, out_features, group_size, bias, name)
        self.register_buffer("qweight", aligned(qweight.to(torch.int8)))
        self.register_buffer("scales", scales)

    @classmethod
    def from_float(cls, weight: torch.Tensor, bias: torch.Tensor | None = None,
                   group_size: int | None = None, name: str = "") -> "Int8Linear":
        """Quantize a float weight (N, K); group_size None means one scale per output row."""
        N, K = weight.shape
        G = group_size or K
        check_group_size(name, K, G)
        groups = weight.detach().float().reshape(N, K // G, G)
        scales = groups.abs().amax(-1).clamp(min=1e-12) / 127  # (N, K/G)
        q = torch.round(groups / scales[..., None]).clamp(-127, 127).to(torch.int8)
        return cls(q.reshape(N, K), scales, bias, name)

    def dequantize(self, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        q = self.qweight.reshape(self.out_features, self.n_groups, self.group_size)
        w = q.to(dtype) * self.scales.to(dtype)[..., None]  # (N, K/G, G)
        return w.reshape(self.out_features, self.in_features)

    def dequantize_rows(self, index: torch.Tensor, dtype: torch.dtype = torch.float32):
        q = self.qweight[index].reshape(*index.shape, self.n_groups, self.group_size)
        w = q.to(dtype) * self.scales[index].to(dtype)[..., None]
        return w.reshape(*index.shape, self.in_features)

    def _gemv(self, rows: torch.Tensor) -> torch.Tensor:
        (scales,) = self._float_buffers()
        int8 = len(rows) <= backend.int8_activation_rows(self)
        matmul = cpu_kernels.q8_matmul_q8 if int8 else cpu_kernels.q8_matmul
        return matmul(rows, self.qweight, scales, self.group_size)

    def _dequantize_fast(self, start: int, end: int, scratch: torch.Tensor) -> torch.Tensor:
        (scales,) = self._float_buffers()
        return cpu_kernels.q8_dequantize(self.qweight[start:end], scales[start:end],
                                         self.group_size, scratch)

    def _kernel_matmul(self, rows: torch.Tensor) -> torch.Tensor:
        (scales,) = self._cached(rows.dtype, lambda: (self.scales[:, 0].to(rows.dtype),))
        return torch.ops.aten._weight_int8pack_mm(rows, self.qweight, scales)


class Int4Linear(QuantizedLinear):
    """Asymmetric int4 weights: w = scales[n, g] * q[n, k] + mins[n, g], q in [0, 15].

    Buffers: qweight uint8 (N, K // 2), two codes a byte (column 2j in the low nibble,
    2j + 1 in the high one); scales and mins float (N, K // group_size).
    """

    bits = 4

    def __init__(self, qweight: torch.Tensor, scales: torch.Tensor, mins: torch.Tensor,
                 bias: torch.Tensor | None = None, name: str = "") -> None:
        out_features, in_features = qweight.shape[0], qweight.shape[1] * 2
        group_size = in_features // scales.shape[1]
        super().__init__(in_features, out_features, group_size, bias, name)
        self.register_buffer("qweight", qweight.to(torch.uint8))
        self.register_buffer("scales", scales)
        self.register_buffer("mins", mins)

    @classmethod
    def from_float(cls, weight: torch.Tensor, bias: torch.Tensor | None = None,
                   group_size: int = 32, name: str = "") -> "Int4Linear":
        """Quantize a float weight (N, K): each group's [min, max] spread over 16 levels."""
        N, K = weight.shape
        check_group_size(name, K, group_size, bits=4)
        groups = weight.detach().float().reshape(N, K // group_size, group_size)
        lo, hi = groups.amin(-1), groups.amax(-1)  # (N, K/G)
        scales = ((hi - lo) / 15).clamp(min=1e-12)
        q = torch.round((groups - lo[..., None]) / scales[..., None]).clamp(0, 15)
        return cls(pack_int4(q.reshape(N, K).to(torch.uint8)), scales, lo, bias, name)

    def codes(self) -> torch.Tensor:
        """The 4-bit codes as uint8 (N, K), one a byte."""
        return unpack_int4(self.qweight)

    def dequantize(self, dtype: torch.dtype = torch.float32) -> torch.Tensor:
        q = self.codes().reshape(self.out_features, self.n_groups, self.group_size)
        w = q.to(dtype) * self.scales.to(dtype)[..., None] + self.mins.to(dtype)[..., None]
        return w.reshape(self.out_features, self.in_features)  # (N, K)

    def dequantize_rows(self, index: torch.Tensor, dtype: torch.dtype = torch.float32):
        q = unpack_int4(self.qweight[index].reshape(-1, self.in_features // 2))
        q = q.reshape(*index.shape, self.n_groups, self.group_size)
        w = q.to(dtype) * self.scales[index].to(dtype)[..., None]
        w = w + self.mins[index].to(dtype)[..., None]
        return w.reshape(*index.shape, self.in_features)

    def _gemv(self, rows: torch.Tensor) -> torch.Tensor:
        scales, mins = self._float_buffers()
        int8 = len(rows) <= backend.int8_activation_rows(self)
        matmul = cpu_kernels.q4_matmul_q8 if int8 else cpu_kernels.q4_matmul
        return matmul(rows, self.qweight, scales, mins, self.group_size)

    def _dequantize_fast(self, start: int, end: int, scratch: torch.Tensor) -> torch.Tensor:
        scales, mins = self._float_buffers()
        return cpu_kernels.q4_dequantize(self.qweight[start:end], scales[start:end],
                                         mins[start:end], self.group_size, scratch)

    def _kernel_matmul(self, rows: torch.Tensor) -> torch.Tensor:
        packed, scale_zero = self._cached(rows.dtype, lambda: self._pack(rows.dtype))
        return torch.ops.aten._weight_int4pack_mm_for_cpu(
            rows, packed, self.group_size, scale_zero)

    def _pack(self, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        """PyTorch's int4 kernel computes w = (q - 8) * scale + zero, so zero = min + 8 scale;
        scales and zeros go in one (K/G, N, 2) tensor, the codes in the kernel's own tiling
        (a second copy of the codes: int4 weights cost ~1 byte each while the kernel runs)."""
        scales = self.scales.float()
        zeros = self.mins.float() + 8 * scales  # in fp32: fp16 scales would round here
        scale_zero = torch.stack([scales.t(), zeros.t()], dim=-1)  # (K/G, N, 2)
        codes = self.codes().to(torch.int32)  # (N, K)
        packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes, 1)
        return packed, scale_zero.to(dtype).contiguous()


def concat_quantized(parts: list[QuantizedLinear]) -> QuantizedLinear | None:
    """One quantized linear whose output rows are the parts' in order (fused q/k/v or
    gate/up), or None when they cannot be stacked (other kinds, widths or group sizes)."""
    first = parts[0]
    if any(type(p) is not type(first) or p.in_features != first.in_features
           or p.group_size != first.group_size or (p.bias is None) != (first.bias is None)
           for p in parts) or type(first) not in (Int4Linear, Int8Linear):
        return None

    def cat(buffer: str) -> torch.Tensor:  # every buffer has the output rows first
        return torch.cat([getattr(p, buffer) for p in parts])

    bias = None if first.bias is None else cat("bias")
    if type(first) is Int4Linear:
        return Int4Linear(cat("qweight"), cat("scales"), cat("mins"), bias)
    return Int8Linear(cat("qweight"), cat("scales"), bias)


class QuantizedEmbedding(nn.Module):
    """An embedding table read from a quantized matrix (e.g. the LM head it is tied to).

    Looks up rows and dequantizes only those: the table stays in 4 or 8 bits.
    """

    def __init__(self, table: QuantizedLinear) -> None:
        super().__init__()
        self.table = table  # (num_embeddings, embedding_dim) as a quantized linear
        self.num_embeddings, self.embedding_dim = table.out_features, table.in_features
        self.output_dtype: torch.dtype | None = None  # the model's compute dtype, once set

    def forward(self, ids: torch.Tensor) -> torch.Tensor:  # -> (*ids.shape, C)
        dtype = self.output_dtype or self.table.scales.dtype
        # fp16 scales (GGUF's) are storage, not a compute dtype: those compute in fp32
        return self.table.dequantize_rows(ids, torch.float32 if dtype == torch.float16 else dtype)

    @property
    def weight(self) -> torch.Tensor:
        """A dequantized float copy of the whole table (for code that reads `.weight`)."""
        return self.table.dequantize()


def _scratch() -> torch.Tensor:
    """This thread's DEQUANT_CHUNK floats for dequantized weights (reused: no page faults)."""
    if not hasattr(_thread_scratch, "buffer"):
        _thread_scratch.buffer = torch.empty(DEQUANT_CHUNK)
    return _thread_scratch.buffer


def aligned(t: torch.Tensor, alignment: int = 64) -> torch.Tensor:
    """`t`, copied if its data does not start on an `alignment`-byte boundary: the int8 kernel
    reads the weight with aligned AVX-512 loads and crashes on, e.g., a tensor that
    safetensors placed at an arbitrary offset of its file buffer."""
    return t if t.data_ptr() % alignment == 0 else t.clone()


def pack_int4(codes: torch.Tensor) -> torch.Tensor:
    """uint8 codes (N, K) in [0, 15] -> (N, K/2) bytes: column 2j low nibble, 2j+1 high."""
    return (codes[:, 0::2] | (codes[:, 1::2] << 4)).to(torch.uint8)


def unpack_int4(packed: torch.Tensor) -> torch.Tensor:
    """The inverse of `pack_int4`: (N, K/2) bytes -> (N, K) codes."""
    low, high = packed & 0x0F, packed >> 4
    return torch.stack([low, high], dim=-1).reshape(packed.shape[0], -1)


def quantize_linear(linear: nn.Linear, bits: int, group_size: int = 32,
                    name: str = "") -> QuantizedLinear:
    """An int8 (per output channel) or int4 (group-wise) copy of `linear`."""
    if bits == 8:
        return Int8Linear.from_float(linear.weight, linear.bias, None, name)
    if bits == 4:
        return Int4Linear.from_float(linear.weight, linear.bias, group_size, name)
    raise ConfigError(f"quantization bits must be 8 or 4, got {bits}")


def default_include(name: str, module: nn.Module) -> bool:
    """Every Linear except the output head (embeddings are not Linear, so they stay too)."""
    return isinstance(module, nn.Linear) and name.rsplit(".", 1)[-1] not in ("lm_head",)


def quantize_model(model: nn.Module, bits: int, group_size: int = 32,
                   include: Callable[[str, nn.Module], bool] | None = None) -> nn.Module:
    """Replace the model's nn.Linear layers in place by int8 or int4 ones; returns the model.

    include(name, module) picks the layers (default: every Linear but lm_head). Every chosen
    layer is checked before any is replaced, so a bad group size leaves the model unchanged.
    """
    if bits not in (4, 8):
        raise ConfigError(f"quantization bits must be 8 or 4, got {bits}")
    include = include or default_include
    chosen = [(name, m) for name, m in model.named_modules()
              if isinstance(m, nn.Linear) and include(name, m)]
    if bits == 4:
        for name, m in chosen:
            check_group_size(name, m.in_features, group_size, bits=4)
    for name, linear in chosen:
        parent_name, _, child = name.rpartition(".")
        parent = model.get_submodule(parent_name) if parent_name else model
        setattr(parent, child, quantize_linear(linear, bits, group_size, name))
    return model


def quantized_layers(model: nn.Module) -> dict[str, QuantizedLinear]:
    """Name -> quantized linear, for reports and checkpoints."""
    # remove_duplicate=False: a head shared with the embedding appears under both names
    return {n: m for n, m in model.named_modules(remove_duplicate=False)
            if isinstance(m, QuantizedLinear)}


def check_group_size(name: str, in_features: int, group_size: int, bits: int = 8) -> None:
    """A group size must divide the layer's input width (and be 32/64/128 for int4)."""
    layer = f"layer {name!r}" if name else "layer"
    if bits == 4 and group_size not in INT4_GROUP_SIZES:
        raise ConfigError(f"{layer}: int4 group size must be one of {INT4_GROUP_SIZES}, "
                          f"got {group_size}")
    if group_size <= 0 or in_features % group_size:
        fits = [str(g) for g in (32, 64, 128) if in_features % g == 0] or ["none of 32/64/128"]
        raise ConfigError(f"{layer}: group size {group_size} does not divide its input width "
                          f"{in_features} (sizes that do: {', '.join(fits)})")
