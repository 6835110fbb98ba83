"""A decode step's whole block in one C call (CPU, quantized weights).

At one new token a sequence, the weights a block reads take ~0.4 ms on 2 cores, and the ~40
PyTorch ops and module calls around them as long again (eager dispatch: a few microseconds
each). `kernels/q_matmul.c: decode_layer` runs the same block,

    h = h + o(attention(rope(q), rope(k), v))     q, k, v = qkv(rms_norm(h))
    h = h + down(silu(gate) * up)                 gate, up = gate_up(rms_norm(h))

with the same kernels and roundings as the Python path, writing the step's keys and values
into the paged pool and reading each sequence's through its slot list. It applies to the
Llama family's block (pre-norm RMSNorm, rotary q/k, SwiGLU) when q/k/v and gate/up are fused
quantized linears without biases that lmforge's kernels run, during inference, in fp32, on a
decode-only step. Anything else returns None and the textbook code in block.py runs.

Test: pytest tests/model/test_fused_decode.py
"""

import ctypes

import torch
import torch.nn.functional as F

from lmforge.model import cpu_kernels
from lmforge.model.norm import RMSNorm
from lmforge.model.quant import Int4Linear, Int8Linear

enabled = True  # False: every block runs its Python path (tests compare the two)


class QLinear(ctypes.Structure):
    """The C side's view of a quantized linear (kernels/q_matmul.c: qlinear)."""
    _fields_ = [("bits", ctypes.c_int64), ("N", ctypes.c_int64), ("K", ctypes.c_int64),
                ("group", ctypes.c_int64), ("codes", ctypes.c_void_p),
                ("scales", ctypes.c_void_p), ("mins", ctypes.c_void_p)]


def decode_block(block, x: torch.Tensor, rope, cache, layer: int) -> torch.Tensor | None:
    """x (1, n, C) -> the block's output for a decode step, or None where it does not apply."""
    if not (enabled and _step_fits(x, rope, cache)):
        return None
    weights = _weights(block)
    if weights is None:
        return None
    keys, values = cache.pool.keys[layer], cache.pool.values[layer]
    h = x[0].clone(memory_format=torch.contiguous_format)  # (n, C): the kernel updates it
    cos, signed_sin = rope[0][0, 0], rope[1][0, 0]  # (n, D)
    failed = cpu_kernels.decode_layer(
        h.data_ptr(), h.shape[0], h.shape[1], *weights, cos.data_ptr(),
        signed_sin.data_ptr(), keys.data_ptr(), values.data_ptr(),
        int(keys.dtype == torch.float16), cache.slot_mapping.data_ptr(),
        cache.key_slots.data_ptr(), cache.decode_lengths.data_ptr(), cache.key_slots.shape[1],
        block.attn.scale)
    if failed:
        raise MemoryError("decode_layer: out of memory for its buffers")
    return h[None]


def _weights(block) -> tuple | None:
    """The block's weight arguments (norms, the four linears, head sizes), or None when its
    structure does not fit. Remembered on the block under a key of its modules and their
    tensors' addresses: replacing a module or a buffer rebuilds them, while weights written in
    place need nothing (the C side reads the buffers themselves: fp32 scales, no copies)."""
    attn, mlp = block.attn, block.mlp
    modules = (block.attn_norm, block.mlp_norm, attn.qkv_proj, attn.o_proj,
               mlp.gate_up_proj, mlp.down_proj)
    key = tuple(id(m) for m in modules) + tuple(
        t.data_ptr() for m in modules if m is not None
        for t in (*m._parameters.values(), *m._buffers.values()) if t is not None)
    cached = getattr(block, "_fused_decode_weights", None)
    if cached is None or cached[0] != key:
        args = None
        if _block_fits(block):
            structs = [_qlinear(m) for m in modules[2:]]
            args = (block.attn_norm.weight.data_ptr(), block.mlp_norm.weight.data_ptr(),
                    block.attn_norm.eps, *(ctypes.byref(s) for s in structs), attn.n_head,
                    attn.n_kv_head, attn.head_dim)
        cached = block._fused_decode_weights = (key, args)
    return cached[1]


def _block_fits(block) -> bool:
    """A Llama-style pre-norm block whose four linears lmforge's kernels run as they are."""
    attn, mlp = block.attn, block.mlp
    linears = (attn.qkv_proj, attn.o_proj, mlp.gate_up_proj, mlp.down_proj)
    return (block.pre_norm and not hasattr(block, "cross_attn") and attn.use_rope
            and isinstance(block.attn_norm, RMSNorm) and isinstance(block.mlp_norm, RMSNorm)
            and block.attn_norm.eps == block.mlp_norm.eps
            and block.attn_norm.weight.dtype == block.mlp_norm.weight.dtype == torch.float32
            and mlp.is_gated and mlp.act is F.silu and attn.head_dim % 2 == 0
            and all(type(m) in (Int4Linear, Int8Linear) and m.bias is None
                    and cpu_kernels.supports(m.in_features, m.group_size)
                    and all(b.dtype == torch.float32 and b.is_contiguous()
                            for b in (m.scales, getattr(m, "mins", m.scales)))
                    for m in linears))


def _step_fits(x: torch.Tensor, rope, cache) -> bool:
    """This step: inference in fp32 on the CPU, one query a sequence, a paged fp32/fp16 pool."""
    return (getattr(cache, "decode_lengths", None) is not None and rope is not None
            and x.device.type == "cpu" and x.dtype == torch.float32 and x.shape[0] == 1
            and not (torch.is_grad_enabled() and x.requires_grad)
            and rope[0].dtype == torch.float32 and rope[0].is_contiguous()
            and rope[1].is_contiguous()
            and cache.pool.keys[0].dtype in (torch.float32, torch.float16))


def _qlinear(module) -> QLinear:
    mins = getattr(module, "mins", None)
    return QLinear(module.bits, module.out_features, module.in_features, module.group_size,
                   module.qweight.data_ptr(), module.scales.data_ptr(),
                   None if mins is None else mins.data_ptr())
