"""Which fast path runs: the one place that knows what this machine and this model can use.

Every module keeps its readable reference path (PyTorch ops, `reference_forward`, explicit
attention); a faster route is taken only where the backend says it applies:

    who asks                 fast route                                predicate
    RMSNorm                  C rms_norm                                rms_norm_applies
    apply_rope               C rope (forward and backward)             rope_applies
    PagedView.attend         C paged attention over the pool           paged_attention_applies
    Attention / MLP          q/k/v, gate/up as one matmul (autocast)   joint_linear_applies
    Int8Linear / Int4Linear  C GEMV | dequantize + GEMM | PyTorch's     quantized_route
                             packed kernels | reference
    Stack (decode steps)     every block in one C call                 prepare + decode plan
    MambaMixer               parallel scan over T (else the loop)      parallel_scan_applies

`prepare(model, pool)` is called explicitly (the Engine calls it once its KV pool exists;
call it again after replacing modules or tensors of the model) and builds the decode plan:
the C side's view of every block (fused_decode.py). Nothing is watched at run time: a plan
holds the tensors it points at, so a module replaced after `prepare` is not seen (the old
weights keep serving) until `prepare` runs again; weights written in place need nothing.

The switches below are measured defaults; tests and benchmarks flip them to compare a fast
path with its reference (`monkeypatch.setattr(backend, "int8_activations", False)`).

Test: pytest tests/model/test_backend.py tests/model/test_fused_decode.py
"""

import contextlib
import threading

import torch
import torch.nn.functional as F
from torch import nn

from lmforge import cpu_features
from lmforge.model import cpu_kernels, fused_decode

FLOATS = (torch.float32, torch.bfloat16, torch.float16)


class Backend:
    """The fast paths this process may take, each with the switch that turns it off."""

    def __init__(self) -> None:
        self.own_kernels = True  # lmforge's C kernels (cpu_kernels.py) where they build
        self.fused_decode = True  # a decode step's whole stack in one C call (prepared plan)
        self.int8_activations = True  # quantized GEMVs round x to int8 blocks, as llama.cpp
        # (faster at every row count up to gemv_max_rows, measured 2026-12-01); False: fp32 x
        self.gemv_max_rows = 16  # up to this many rows a GEMV over the codes wins; past it,
        # dequantize a slice at a time + a float GEMM
        self.bf16_gemm = True  # a prefill's GEMM in bf16 where the CPU has bf16 matmul
        # hardware (AMX, AVX-512 BF16): 3-4x faster there, logits within ~1%; False: fp32
        self._step = threading.local()  # per thread: two Engines may step in two threads
        self.cpu_parallel_scan = False  # Mamba on the CPU: the per-token loop, whose (B, D, N)
        # slices stay in cache, is as fast as log2(T) rounds over (B, T, D, N) tensors or a
        # little faster: 0.29 vs 0.30-0.36 s CPU a training step (4 layers, D 256, N 16,
        # 12 x 64 tokens, one thread; 2026-12-07)

    # -- what this machine has --------------------------------------------------------------

    def kernels(self) -> bool:
        """lmforge's C kernels are on and built for this CPU."""
        return self.own_kernels and cpu_kernels.available()

    def bf16_gemm_applies(self) -> bool:
        return self.bf16_gemm and cpu_features.native_bf16()

    @contextlib.contextmanager
    def prompt_step(self, computes_prompt: bool):
        """A step that computes prompt tokens takes the prefill routes (a quantized GEMM, no
        fused decode step) however few its rows: else a prompt whose head the prefix cache
        held would end on the decode path, whose int8 activation rounding can flip a near
        tie, and one prompt could get two greedy answers (the bundled Q4_1 SmolLM2 did:
        "What is the capital of France?" -> "The capital..." fresh, "L'Etoile..." cached)."""
        before, self._step.prompt = self.prefilling, computes_prompt
        try:
            yield
        finally:
            self._step.prompt = before

    @property
    def prefilling(self) -> bool:
        """This thread's step computes prompt tokens (`prompt_step`)."""
        return getattr(self._step, "prompt", False)

    # -- per-call routes (Python path) --------------------------------------------------------

    def rms_norm_applies(self, x: torch.Tensor, weight: torch.Tensor) -> bool:
        """Inference in fp32 on the CPU (autograd needs PyTorch's ops)."""
        needs_grad = torch.is_grad_enabled() and (x.requires_grad or weight.requires_grad)
        return (x.device.type == "cpu" and x.dtype == torch.float32 and not needs_grad
                and weight.dtype == torch.float32 and self.kernels())

    def rope_applies(self, x: torch.Tensor, cos: torch.Tensor, signed_sin: torch.Tensor) -> bool:
        """fp32 x (or bf16 x in training under autocast), (B, H, T, D) with a contiguous last
        dim, fp32 tables shaped (B or 1, 1, T, D) that need no gradient."""
        table_needs_grad = torch.is_grad_enabled() and (cos.requires_grad
                                                        or signed_sin.requires_grad)
        x_fits = x.dtype == torch.float32 or (x.dtype == torch.bfloat16 and x.requires_grad)
        return (x.device.type == "cpu" and x_fits
                and cos.dtype == signed_sin.dtype == torch.float32
                and not table_needs_grad and x.dim() == 4 and x.stride(-1) == 1
                and x.shape[-1] % 2 == 0
                and cos.shape == signed_sin.shape and cos.shape[0] in (1, x.shape[0])
                and cos.shape[1:] == (1, *x.shape[2:]) and cos.is_contiguous()
                and signed_sin.is_contiguous() and self.kernels())

    def parallel_scan_applies(self, u: torch.Tensor) -> bool:
        """Mamba's selective scan (ssm.py) by log2(T) parallel rounds: off the CPU, or
        where the switch asks for it on the CPU (the sequential loop is the reference)."""
        return u.device.type != "cpu" or self.cpu_parallel_scan

    def paged_attention_applies(self, q: torch.Tensor, keys: torch.Tensor) -> bool:
        """One fp32 query a sequence on the CPU, an fp32 or fp16 pool."""
        return (q.device.type == "cpu" and q.dtype == torch.float32
                and keys.dtype in (torch.float32, torch.float16) and self.kernels())

    def joint_linear_applies(self, x: torch.Tensor, linears: tuple) -> bool:
        """Training under autocast through plain bias-free nn.Linear layers (a LoRA-wrapped or
        quantized projection computes more than its weight: those run on their own)."""
        return (torch.is_autocast_enabled(x.device.type) and torch.is_grad_enabled()
                and all(type(m) is nn.Linear and m.bias is None for m in linears))

    def quantized_route(self, layer: nn.Module, rows: torch.Tensor) -> str:
        """How a quantized linear multiplies rows (M, K): "gemv" (C, over the codes), "gemm"
        (C dequantizes slices, then a float GEMM), "packed" (PyTorch's int4/int8 kernels)
        or "reference" (dequantize, F.linear: any device, and autograd for QLoRA)."""
        needs_grad = torch.is_grad_enabled() and rows.requires_grad
        if rows.device.type != "cpu" or needs_grad or rows.dtype not in FLOATS:
            return "reference"
        if self.own_kernels and cpu_kernels.supports(layer.in_features, layer.group_size):
            few = len(rows) <= self.gemv_max_rows and not self.prefilling
            return "gemv" if few else "gemm"
        if _packed_kernel_takes(layer):
            return "packed"
        return "reference"

    def int8_activation_rows(self, layer: nn.Module) -> int:
        """Up to how many rows of x a quantized GEMV rounds them to int8 first (0: never)."""
        fits = self.int8_activations and cpu_kernels.q8_activations_supported(
            layer.in_features, layer.group_size)
        return self.gemv_max_rows if fits else 0

    # -- the decode plan ----------------------------------------------------------------------

    def block_fits_decode(self, block: nn.Module) -> bool:
        """A Llama-style pre-norm block (RMSNorm, rotary q/k, SwiGLU) with fused q/k/v and
        gate/up whose four linears the C step runs as they are."""
        if type(block).__name__ != "Block":
            return False  # a Mamba block (mamba.py) scans a recurrent state: no attention
        attn, mlp = block.attn, block.mlp
        if type(mlp).__name__ != "MLP" or attn.q_norm is not None:
            return False  # the C step has no experts (moe.py) and no per-head q/k norms
        linears = (attn.qkv_proj, attn.o_proj, mlp.gate_up_proj, mlp.down_proj)
        norms = (block.attn_norm, block.mlp_norm)
        return (block.pre_norm and not hasattr(block, "cross_attn") and attn.use_rope
                and all(type(n).__name__ == "RMSNorm" for n in norms)
                and norms[0].eps == norms[1].eps
                and norms[0].weight.dtype == norms[1].weight.dtype
                and norms[0].weight.dtype in (torch.float32, torch.bfloat16)
                and mlp.is_gated and mlp.act is F.silu and attn.head_dim % 2 == 0
                and all(self.linear_fits_decode(m) for m in linears))

    def linear_fits_decode(self, m: nn.Module | None) -> bool:
        """fp32 or bf16 nn.Linear, or a quantized linear with fp32 / fp16 scales, bias-free."""
        if type(m) is nn.Linear:
            return (m.bias is None and m.weight.dtype in (torch.float32, torch.bfloat16)
                    and m.weight.is_contiguous() and m.in_features % 16 == 0 and self.kernels())
        return (getattr(m, "bits", None) in (4, 8) and m.bias is None and self.own_kernels
                and cpu_kernels.supports(m.in_features, m.group_size)
                and m.scales.dtype in (torch.float32, torch.float16)
                and all(b.dtype == m.scales.dtype and b.is_contiguous()
                        for b in (m.scales, getattr(m, "mins", m.scales))))

    def step_fits_decode(self, x: torch.Tensor, rope, cache) -> bool:
        """This step: inference in fp32 or bf16 on the CPU, one query a sequence, a paged
        fp32 / fp16 / bf16 pool."""
        return (self.fused_decode and self.own_kernels and not self.prefilling
                and getattr(cache, "decode_lengths", None) is not None
                and rope is not None and x.device.type == "cpu"
                and x.dtype in (torch.float32, torch.bfloat16) and x.shape[0] == 1
                and not (torch.is_grad_enabled() and x.requires_grad)
                and rope[0].dtype in (torch.float32, torch.bfloat16)
                and cache.pool.keys[0].dtype in cpu_kernels.KV_KINDS)

    def switches(self) -> tuple:
        """The switches a decode plan bakes into its C structs."""
        return (self.int8_activations, self.gemv_max_rows)


backend = Backend()  # the process's one backend: every module asks it


def _packed_kernel_takes(layer: nn.Module) -> bool:
    """PyTorch's int8 kernel takes one scale a row; its int4 packing works on 16-row tiles."""
    if layer.bits == 8:
        return layer.n_groups == 1
    return layer.out_features % 16 == 0


def prepare(model: nn.Module, pool=None) -> None:
    """Get `model` ready for the fast paths after loading, fusing, merging adapters or any
    weight replacement: with a paged KV `pool` (infer/kv_pool.py), the decoder's decode plan
    (one C call a step) is built and kept on the pool; None where the blocks do not fit."""
    if pool is None:
        return
    stack = getattr(model, "decoder", None)
    fits = stack is not None and backend.kernels() and all(
        backend.block_fits_decode(block) for block in stack.layers)
    pool.decode_plan = DecodePlan(stack.layers, pool) if fits else None


class DecodePlan:
    """A stack's blocks as the C decode step reads them, for one KV pool (fused_decode.py)."""

    def __init__(self, layers: nn.ModuleList, pool) -> None:
        self.layers, self.pool = layers, pool
        self.read()

    def read(self) -> None:
        """The C structs over the blocks' tensors, as the switches are now. `keep` holds every
        tensor they point at, `copies` a bf16 model's fp32 norm copies."""
        self.weights, self.keep, self.copies = fused_decode.layer_weights(
            self.layers, self.pool, backend.int8_activation_rows)
        self.built_with = backend.switches()

    def run(self, layers: nn.ModuleList, x: torch.Tensor, rope, cache) -> torch.Tensor | None:
        """The stack's output for a decode step, or None where this step does not fit."""
        if (layers is not self.layers or cache.pool is not self.pool
                or not backend.step_fits_decode(x, rope, cache)):
            return None
        if self.built_with != backend.switches() or fused_decode.stale(self.copies):
            self.read()  # a switch flipped, or a bf16 norm weight was written
        return fused_decode.decode_stack(self.weights, len(self.layers), x, rope, cache)
