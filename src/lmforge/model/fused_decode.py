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
it is closer to the fp32 model than bf16's Python path. Anything else takes the textbook
code in block.py.

This file is the mechanism (the C structs and the call). Whether it applies is decided in
backend.py, whose `prepare(model, pool)` builds a `DecodePlan` from these structs once.

Test: pytest tests/model/test_fused_decode.py
"""

import ctypes

import torch
from torch import nn

from lmforge.model import cpu_kernels


class QLinear(ctypes.Structure):
    """The C side's view of a linear (kernels: qlinear): int4/int8 codes and their scales, or
    (bits 32 / 16) an fp32 / bf16 weight."""
    _fields_ = [("bits", ctypes.c_int64), ("N", ctypes.c_int64), ("K", ctypes.c_int64),
                ("group", ctypes.c_int64), ("codes", ctypes.c_void_p),
                ("scales", ctypes.c_void_p), ("mins", ctypes.c_void_p),
                ("int8_rows", ctypes.c_int64), ("half", ctypes.c_int64)]


class LayerWeights(ctypes.Structure):
    """One block's weights and KV pool (kernels: layer_weights)."""
    _fields_ = [("attn_norm", ctypes.c_void_p), ("mlp_norm", ctypes.c_void_p),
                ("qkv", QLinear), ("o", QLinear), ("gate_up", QLinear), ("down", QLinear),
                ("keys", ctypes.c_void_p), ("values", ctypes.c_void_p),
                ("eps", ctypes.c_float), ("scale", ctypes.c_float),
                ("n_head", ctypes.c_int64), ("n_kv", ctypes.c_int64), ("D", ctypes.c_int64)]


def decode_stack(weights, n_layers: int, x: torch.Tensor, rope, cache) -> torch.Tensor:
    """x (1, n, C) -> the blocks' output for a decode step (one query a sequence)."""
    # (n, C) in fp32 (a bf16 model's too): the kernel updates it in place
    h = x[0].to(torch.float32, memory_format=torch.contiguous_format, copy=True)
    cos, signed_sin = (t[0, 0].float().contiguous() for t in rope)  # (n, D)
    failed = cpu_kernels.decode_layers(
        h.data_ptr(), h.shape[0], h.shape[1], weights, n_layers, cos.data_ptr(),
        signed_sin.data_ptr(), cpu_kernels.KV_KINDS[cache.pool.keys[0].dtype],
        cache.slot_mapping.data_ptr(), cache.key_slots.data_ptr(),
        cache.decode_lengths.data_ptr(), cache.key_slots.shape[1])
    if failed:
        raise MemoryError("decode_layers: out of memory for its buffers")
    return h[None].to(x.dtype)


def layer_weights(layers, pool, int8_rows) -> tuple:
    """(the stack's LayerWeights array, the tensors it points at, the norm copies). A bf16
    model's norm weights are read as fp32 copies: `copies` lists (weight, its version, copy)
    for those, so that `stale` can tell when one was written."""
    keep: list = [*pool.keys, *pool.values]
    copies: list = []
    weights = (LayerWeights * len(layers))(*(
        _layer(block, pool.keys[i], pool.values[i], int8_rows, keep, copies)
        for i, block in enumerate(layers)))
    return weights, keep, copies


def stale(copies: list) -> bool:
    """Whether a bf16 norm weight changed since its fp32 copy was made."""
    return any(_version(weight) != version for weight, version, _ in copies)


def _version(t: torch.Tensor) -> int:
    return 0 if t.is_inference() else t._version  # inference tensors keep no counter


def _layer(block, keys: torch.Tensor, values: torch.Tensor, int8_rows, keep: list,
           copies: list):
    attn, mlp = block.attn, block.mlp
    norms = [block.attn_norm.weight, block.mlp_norm.weight]
    keep += norms
    if norms[0].dtype != torch.float32:  # a bf16 model: the C side reads fp32 norm weights
        copies += [(w, _version(w), w.float()) for w in norms]
        norms = [copy for _, _, copy in copies[-2:]]
    linears = (attn.qkv_proj, attn.o_proj, mlp.gate_up_proj, mlp.down_proj)
    keep += [t for m in linears for t in (*m.parameters(), *m.buffers())]
    return LayerWeights(
        norms[0].data_ptr(), norms[1].data_ptr(), *(_qlinear(m, int8_rows) for m in linears),
        keys.data_ptr(), values.data_ptr(), block.attn_norm.eps, attn.scale, attn.n_head,
        attn.n_kv_head, attn.head_dim)


def _qlinear(module, int8_rows) -> QLinear:
    if type(module) is nn.Linear:  # bits 32 or 16: the fp32 or bf16 weight itself
        bits = 32 if module.weight.dtype == torch.float32 else 16
        return QLinear(bits, module.out_features, module.in_features, module.in_features,
                       module.weight.data_ptr(), None, None, 0, 0)
    mins = getattr(module, "mins", None)
    return QLinear(module.bits, module.out_features, module.in_features, module.group_size,
                   module.qweight.data_ptr(), module.scales.data_ptr(),
                   None if mins is None else mins.data_ptr(), int8_rows(module),
                   int(module.scales.dtype == torch.float16))
