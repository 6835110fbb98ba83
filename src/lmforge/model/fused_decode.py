"""A decode step's whole stack of blocks in one C call (CPU; quantized, fp32 or bf16 weights).

At one new token a sequence, the weights a block reads take ~0.3 ms on 2 cores, and the ~40
PyTorch ops and module calls around them as long again (eager dispatch: a few microseconds
each). `kernels/decode_step.c: decode_layers` runs every block of the stack,

    h = h + o(attention(rope(q), rope(k), v))     q, k, v = qkv(rms_norm(h))
    h = h + down(silu(gate) * up)                 gate, up = gate_up(rms_norm(h))

with the same kernels and roundings as the Python path, writing the step's keys and values
into the paged pool and reading each sequence's through its slot list. It applies to the
Llama family's blocks (pre-norm RMSNorm, rotary q/k, SwiGLU) when q/k/v and gate/up are fused
and the linears are lmforge's quantized ones or fp32 nn.Linear, without biases, during
inference, in fp32, on a decode-only step. A bf16 model (`--dtype bf16`) runs here too: its
bf16 weights are read as they are (half of fp32's bytes) and widened exactly, while the
step's arithmetic stays fp32 (hidden state, norms, attention; its KV cache stays bf16), so
it is closer to the fp32 model than bf16's Python path. Anything else returns None and the
textbook code in block.py runs.

Test: pytest tests/model/test_fused_decode.py
"""

import ctypes

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.modules.module import (
    register_module_buffer_registration_hook,
    register_module_module_registration_hook,
    register_module_parameter_registration_hook,
)

from lmforge.model import cpu_kernels, quant
from lmforge.model.norm import RMSNorm
from lmforge.model.quant import Int4Linear, Int8Linear

enabled = True  # False: every block runs its Python path (tests compare the two)


class QLinear(ctypes.Structure):
    """The C side's view of a linear (kernels/decode_step.c: qlinear): int4/int8 codes and their
    scales, or (bits 32 / 16) an fp32 / bf16 weight."""
    _fields_ = [("bits", ctypes.c_int64), ("N", ctypes.c_int64), ("K", ctypes.c_int64),
                ("group", ctypes.c_int64), ("codes", ctypes.c_void_p),
                ("scales", ctypes.c_void_p), ("mins", ctypes.c_void_p),
                ("int8_rows", ctypes.c_int64), ("half", ctypes.c_int64)]


class LayerWeights(ctypes.Structure):
    """One block's weights and KV pool (kernels/decode_step.c: layer_weights)."""
    _fields_ = [("attn_norm", ctypes.c_void_p), ("mlp_norm", ctypes.c_void_p),
                ("qkv", QLinear), ("o", QLinear), ("gate_up", QLinear), ("down", QLinear),
                ("keys", ctypes.c_void_p), ("values", ctypes.c_void_p),
                ("eps", ctypes.c_float), ("scale", ctypes.c_float),
                ("n_head", ctypes.c_int64), ("n_kv", ctypes.c_int64), ("D", ctypes.c_int64)]


def decode_stack(layers, x: torch.Tensor, rope, cache) -> torch.Tensor | None:
    """x (1, n, C) -> the blocks' output for a decode step, or None where it does not apply."""
    if not (enabled and _step_fits(x, rope, cache)):
        return None
    weights = _weights(layers, cache.pool)
    if weights is None:
        return None
    # (n, C) in fp32 (a bf16 model's too): the kernel updates it in place
    h = x[0].to(torch.float32, memory_format=torch.contiguous_format, copy=True)
    cos, signed_sin = (t[0, 0].float().contiguous() for t in rope)  # (n, D)
    failed = cpu_kernels.decode_layers(
        h.data_ptr(), h.shape[0], h.shape[1], weights, len(layers), cos.data_ptr(),
        signed_sin.data_ptr(), cpu_kernels.KV_KINDS[cache.pool.keys[0].dtype],
        cache.slot_mapping.data_ptr(), cache.key_slots.data_ptr(),
        cache.decode_lengths.data_ptr(), cache.key_slots.shape[1])
    if failed:
        raise MemoryError("decode_layers: out of memory for its buffers")
    return h[None].to(x.dtype)


def _weights(layers, pool):
    """The stack's LayerWeights array, or None when a block's structure does not fit.
    Remembered on the layer list under `_key`: replacing a module, a buffer or a parameter
    rebuilds it, while weights written in place need nothing (the C side reads them where
    they are), except a bf16 model's norm weights, which it reads as fp32 copies: a write to
    one of those (its version counter) rebuilds too."""
    key = _key(layers, pool)
    cached = getattr(layers, "_fused_decode_weights", None)
    if cached is None or cached[0] != key or any(_version(t) != v for t, v, _ in cached[2]):
        args, copies = None, []  # (bf16 norm weight, its version, fp32 copy kept alive here)
        if all(_block_fits(block) for block in layers):
            args = (LayerWeights * len(layers))(*(
                _layer(block, pool.keys[i], pool.values[i], copies)
                for i, block in enumerate(layers)))
        cached = layers._fused_decode_weights = (key, args, copies)
    return cached[1]


def _key(layers, pool) -> list:
    """The registrations seen, quant's int8 switches and the addresses of every tensor the C
    side reads (a buffer replaced by `.to()` or a parameter's `.data` swapped moves them).
    Runs every step, so the tensors' places in their modules are listed once per count."""
    key = [_registrations, quant.int8_activations, quant.GEMV_MAX_ROWS]
    key += [tensors[name].data_ptr() for tensors, name in _sources(layers)]
    key += [tensor.data_ptr() for tensor in (*pool.keys, *pool.values)]
    return key


def _version(t: torch.Tensor) -> int:
    return 0 if t.is_inference() else t._version  # inference tensors keep no counter


def _sources(layers) -> list:
    """(the module's parameter or buffer dict, name) of each tensor the C side reads."""
    cached = getattr(layers, "_fused_decode_sources", None)
    if cached is None or cached[0] != _registrations:
        sources = []
        for block in layers:
            for module in _modules(block):
                for tensors in (() if module is None else (module._parameters, module._buffers)):
                    sources += [(tensors, name) for name, t in tensors.items() if t is not None]
        cached = layers._fused_decode_sources = (_registrations, sources)
    return cached[1]


_registrations = 0  # modules, buffers and parameters (re)assigned anywhere: a module replaced


def _count_registration(*args) -> None:
    global _registrations
    _registrations += 1


for _hook in (register_module_module_registration_hook, register_module_buffer_registration_hook,
              register_module_parameter_registration_hook):
    _hook(_count_registration)


def _modules(block) -> tuple:
    """The block's norms and four linears (None where unfused), read from the dicts."""
    own = block._modules
    attn, mlp = own["attn"]._modules, own["mlp"]._modules
    return (own["attn_norm"], own["mlp_norm"], attn.get("qkv_proj"), attn["o_proj"],
            mlp.get("gate_up_proj"), mlp["down_proj"])


def _block_fits(block) -> bool:
    """A Llama-style pre-norm block whose four linears lmforge's kernels run as they are."""
    attn, mlp = block.attn, block.mlp
    linears = (attn.qkv_proj, attn.o_proj, mlp.gate_up_proj, mlp.down_proj)
    return (block.pre_norm and not hasattr(block, "cross_attn") and attn.use_rope
            and isinstance(block.attn_norm, RMSNorm) and isinstance(block.mlp_norm, RMSNorm)
            and block.attn_norm.eps == block.mlp_norm.eps
            and block.attn_norm.weight.dtype == block.mlp_norm.weight.dtype
            and block.attn_norm.weight.dtype in (torch.float32, torch.bfloat16)
            and mlp.is_gated and mlp.act is F.silu and attn.head_dim % 2 == 0
            and all(_linear_fits(m) for m in linears))


def _linear_fits(m) -> bool:
    """A linear the C side runs: fp32 or bf16 nn.Linear, or a quantized one with fp32/fp16
    scales."""
    if type(m) is nn.Linear:
        return (m.bias is None and m.weight.dtype in (torch.float32, torch.bfloat16)
                and m.weight.is_contiguous()
                and m.in_features % 16 == 0 and cpu_kernels.available())
    return (type(m) in (Int4Linear, Int8Linear) and m.bias is None
            and cpu_kernels.supports(m.in_features, m.group_size)
            and m.scales.dtype in (torch.float32, torch.float16)
            and all(b.dtype == m.scales.dtype and b.is_contiguous()
                    for b in (m.scales, getattr(m, "mins", m.scales))))


def _step_fits(x: torch.Tensor, rope, cache) -> bool:
    """This step: inference in fp32 or bf16 on the CPU, one query a sequence, a paged
    fp32/fp16/bf16 pool."""
    return (getattr(cache, "decode_lengths", None) is not None and rope is not None
            and x.device.type == "cpu" and x.dtype in (torch.float32, torch.bfloat16)
            and x.shape[0] == 1 and not (torch.is_grad_enabled() and x.requires_grad)
            and rope[0].dtype in (torch.float32, torch.bfloat16)
            and cache.pool.keys[0].dtype in cpu_kernels.KV_KINDS)


def _layer(block, keys: torch.Tensor, values: torch.Tensor, copies: list) -> LayerWeights:
    attn, mlp = block.attn, block.mlp
    norms = [block.attn_norm.weight, block.mlp_norm.weight]
    if norms[0].dtype != torch.float32:  # a bf16 model: the C side reads fp32 norm weights
        copies += [(w, _version(w), w.float()) for w in norms]
        norms = [copy for _, _, copy in copies[-2:]]
    return LayerWeights(
        norms[0].data_ptr(), norms[1].data_ptr(),
        _qlinear(attn.qkv_proj), _qlinear(attn.o_proj), _qlinear(mlp.gate_up_proj),
        _qlinear(mlp.down_proj), keys.data_ptr(), values.data_ptr(), block.attn_norm.eps,
        attn.scale, attn.n_head, attn.n_kv_head, attn.head_dim)


def _qlinear(module) -> QLinear:
    if type(module) is nn.Linear:  # bits 32 or 16: the fp32 or bf16 weight itself
        bits = 32 if module.weight.dtype == torch.float32 else 16
        return QLinear(bits, module.out_features, module.in_features, module.in_features,
                       module.weight.data_ptr(), None, None, 0, 0)
    mins = getattr(module, "mins", None)
    return QLinear(module.bits, module.out_features, module.in_features, module.group_size,
                   module.qweight.data_ptr(), module.scales.data_ptr(),
                   None if mins is None else mins.data_ptr(), module.int8_activation_rows(),
                   int(module.scales.dtype == torch.float16))
