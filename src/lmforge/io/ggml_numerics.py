"""Run a GGUF file with llama.cpp's CPU numerics, to verify an export token for token.

    lm = lmforge.load("model-q4_0.gguf", numerics="ggml")
    ids = greedy(lm.model, prompt_ids, n_tokens=16)   # what llama.cpp's greedy decode gives

lmforge's default path multiplies float activations by the file's blocks; llama.cpp rounds
the input of every block-format matmul to 8-bit blocks first (io/ggml_linear.py). The two
differ by ~0.4% a matmul, enough to fork greedy text at near-ties. Like vLLM's
batch-invariant mode, this mode is slower and exact where it matters; it changes, per model:

- every linear: a `GgmlLinear` on the file's blocks as stored (F16 weights: fp16 input);
- attention as llama.cpp runs it with flash attention off: K and V stored as fp16 (its KV
  cache), Q rounded to fp16 for Q.K, scale and causal mask in the fp32 softmax (max, exp,
  sum in double, one fp32 reciprocal), the probabilities rounded to fp16 for P.V;
- RMSNorm: the sum of squares in double, x * (1/sqrtf(mean + eps)), then times the weight;
- RoPE: angles p * base^(-2i/d) built as ggml builds them, by repeated fp32 products,
  through the C library's cosf/sinf, the rotation as the compiler contracts it (FMA);
- SiLU and softmax through ggml's vector exp (ggml_v_expf, AVX-512), every fp32 division
  and square root correctly rounded (PyTorch's are 1 ulp off at times).

On the lmforge-written SmolLM2 Q8_0/Q4_0/Q4_1/Q4_K files the logits equal llama.cpp's bit
for bit (llama-cpp-python 0.3.36 on an AVX-512 x86 CPU; docs/compression.md). The orders
are those of llama.cpp's x86 kernels: on another CPU family expect near, not equal.

Every token's row is computed on its own (no batch-dependent kernel), so a whole sequence
in one forward equals llama.cpp decoding it a token at a time (n_batch=1). No KV cache:
`greedy` recomputes the sequence each step (a verification mode for short continuations).
Llama-family files only (llama, qwen2 without biases on q/k/v).

Test: pytest tests/io/test_ggml_numerics.py tests/io/test_gguf_writer_smollm2.py
"""

from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ModelFileError
from lmforge.io.ggml_linear import GgmlLinear, divide, fma
from lmforge.model.attention import Attention
from lmforge.model.mlp import MLP


class GgmlRMSNorm(nn.Module):
    """ggml_rms_norm then ggml_mul: the mean of squares summed in double, fp32 scale."""

    def __init__(self, weight: torch.Tensor, eps: float) -> None:
        super().__init__()
        self.weight, self.eps = nn.Parameter(weight.detach().float(), requires_grad=False), eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.float()
        mean = ((x * x).double().sum(dim=-1, keepdim=True) / x.shape[-1]).float()
        # sqrtf correctly rounded (through double: PyTorch's fp32 sqrt was 1 ulp off at times)
        scale = divide(1, torch.sqrt((mean + self.eps).double()).float())
        return (x * scale) * self.weight


class GgmlRotaryEmbedding(nn.Module):
    """cos and sin (B, 1, T, head_dim/2) of ggml's angles: theta_0 = p and theta_{i+1} =
    fp32(theta_i * powf(base, -2/d)), through the C library's cosf/sinf as ggml calls them
    (glibc's are not always the correctly rounded value: 1 ulp apart at some angles)."""

    def __init__(self, base: float, head_dim: int) -> None:
        super().__init__()
        self.half = head_dim // 2
        self.theta_scale = np.float32(_libm("powf")(float(base), -2.0 / head_dim))

    def forward(self, positions: torch.Tensor, dtype: torch.dtype = torch.float32):
        theta = positions.float().numpy().astype(np.float32)[..., None].repeat(self.half, -1)
        for i in range(1, self.half):  # ggml's running product, rounded to fp32 each step
            theta[..., i] = theta[..., i - 1] * self.theta_scale
        cos, sin = np.vectorize(_libm("cosf")), np.vectorize(_libm("sinf"))
        return (torch.from_numpy(cos(theta).astype(np.float32))[:, None],
                torch.from_numpy(sin(theta).astype(np.float32))[:, None])


def _libm(name: str):
    """The C library's float function `name` (as ggml calls it), else double, rounded."""
    import ctypes
    import ctypes.util

    library = ctypes.util.find_library("m")
    if library is None:
        return {"powf": lambda a, b: a ** b, "cosf": np.cos, "sinf": np.sin}[name]
    function = getattr(ctypes.CDLL(library), name)
    function.restype = ctypes.c_float
    function.argtypes = [ctypes.c_float] * (2 if name == "powf" else 1)
    return function


def rotate(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    """Pairs (a, b) = (x_i, x_{i+d/2}) -> (fma(a, cos, -(b sin)), fma(a, sin, b cos)): ggml's
    rope loop as the compiler contracts it (checked against llama.cpp's tensors)."""
    a, b = x.chunk(2, dim=-1)
    return torch.cat([fma(a, cos, -(b * sin)), fma(a, sin, b * cos)], dim=-1)


_EXP = {name: torch.tensor(float.fromhex(value)) for name, value in dict(
    log2e="0x1.715476p+0", shift="0x1.8p23", ln2_hi="0x1.62e4p-1", ln2_lo="0x1.7f7d1cp-20",
    c5="0x1.0e4020p-7", c4="0x1.573e2ep-5", c3="0x1.555e66p-3", c2="0x1.fffdb6p-2",
    c1="0x1.ffffecp-1", one="0x1p0").items()}


def interleaved(x: torch.Tensor) -> torch.Tensor:
    """Half-split channels (a_0..a_{d/2-1}, b_0..) -> GGUF's rotary pairs (a_0, b_0, a_1, ..)."""
    return x.unflatten(-1, (2, -1)).transpose(-1, -2).flatten(-2)


def expf(x: torch.Tensor) -> torch.Tensor:
    """ggml_v_expf (AVX-512), the exp of ggml's softmax and SiLU: n = round(x / ln 2), a
    degree-5 polynomial in the remainder b, times 2^n (scalef); below ~-104 it is 0."""
    c = _EXP
    n = fma(x, c["log2e"], c["shift"]) - c["shift"]  # the shift rounds to an integer
    b = fma(-n, c["ln2_lo"], fma(-n, c["ln2_hi"], x))
    u = b * b
    j = fma(fma(fma(c["c5"], b, c["c4"]), u, fma(c["c3"], b, c["c2"])), u,
            fma(c["c1"], b, c["one"]))
    return torch.where(x < -103.97, torch.zeros_like(x), torch.ldexp(j, n))


def silu_times(gate: torch.Tensor, up: torch.Tensor) -> torch.Tensor:
    """ggml_vec_swiglu_f32: x / (1 + expf(-x)) * up, each step rounded to fp32."""
    return divide(gate, 1.0 + expf(-gate)) * up


def reduce16(v: torch.Tensor) -> torch.Tensor:
    """_mm512_reduce_add_ps over the last axis of 16: halves added, 16 -> 8 -> 4 -> 2 -> 1."""
    while v.shape[-1] > 1:
        half = v.shape[-1] // 2
        v = v[..., :half] + v[..., half:]
    return v[..., 0]


def dot_f16(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """ggml_vec_dot_f16 (AVX-512) of fp16-valued rows x (..., n) and y (..., n), n a multiple
    of 64: four accumulators of 16 lanes over steps of 64, (a0 + a2) + (a1 + a3), reduce16.
    The products of fp16 values are exact in fp32, so each FMA is one add."""
    products = x * y
    products = products.reshape(*products.shape[:-1], -1, 4, 16)  # (..., steps, 4, 16)
    acc = products[..., 0, :, :]
    for step in range(1, products.shape[-3]):
        acc = acc + products[..., step, :, :]
    return reduce16((acc[..., 0, :] + acc[..., 2, :]) + (acc[..., 1, :] + acc[..., 3, :]))


def softmax(scores: torch.Tensor) -> torch.Tensor:
    """ggml_soft_max over the last axis (length a multiple of 16, -inf where masked): expf
    of x - max, fp32 sums of 16 (reduce16) added in double, times fp32(1 / sum)."""
    e = expf(scores - scores.amax(dim=-1, keepdim=True))
    e = torch.where(torch.isneginf(scores), torch.zeros_like(e), e)
    sums = reduce16(e.reshape(*e.shape[:-1], -1, 16)).double().sum(dim=-1, keepdim=True)
    return e * (1.0 / sums).float()


class GgmlAttention(Attention):
    """Attention with llama.cpp's non-flash numerics (see the module docstring)."""

    def forward(self, x, mask, *, rope=None, cache=None, layer=0, memory=None,
                is_causal=False, attention_maps=None):
        if cache is not None or memory is not None or mask is not None:
            raise ValueError("ggml numerics runs one causal sequence without a KV cache")
        if self.head_dim % 64:
            raise ValueError(f"ggml numerics needs a head_dim that is a multiple of 64, "
                             f"not {self.head_dim}")
        B, T, _ = x.shape
        q, k, v = self.project(x, x)
        if self.use_rope:  # then back to the file's interleaved pairs: the order ggml sums in
            q, k = interleaved(rotate(q, *rope)), interleaved(rotate(k, *rope))
        q = q.half().float()[:, :, :, None]  # (B, H, T, 1, D): fp16 as Q meets the f16 cache
        k = self.repeat_kv(k.half().float())[:, :, None]  # (B, H, 1, S, D)
        scores = dot_f16(q, k) * self.scale  # (B, H, T, S)
        S = _padded(T, 64)  # the cache holds whole rows of 64 (zeros beyond the sequence)
        allowed = torch.ones(T, S, dtype=torch.bool).tril()
        scores = F.pad(scores, (0, S - T)).masked_fill(~allowed, float("-inf"))
        probs = softmax(scores).half().float()  # (B, H, T, S): fp16 for P.V
        v = F.pad(self.repeat_kv(v.half().float()), (0, 0, 0, S - T))  # (B, H, S, D)
        y = dot_f16(probs[..., None, :], v.transpose(-2, -1)[:, :, None])  # (B, H, T, D)
        return self.o_proj(y.transpose(1, 2).reshape(B, T, self.q_dim))


def _padded(n: int, multiple: int) -> int:
    return -(-n // multiple) * multiple


class GgmlMLP(MLP):
    """down(swiglu(gate, up)) with ggml's SiLU."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(silu_times(self.gate_proj(x), self.up_proj(x)))


def load_ggml_numerics(path: Path):
    """(model, tokenizer) of a GGUF file, every layer switched to ggml's numerics."""
    from lmforge.io import gguf_reader as reader
    from lmforge.io.files import load_gguf
    from lmforge.io.gguf_header import read_header
    from lmforge.io.hf_checkpoint import hf_to_lmforge

    model, tokenizer = load_gguf(path)  # the structure, norms and config (float weights)
    header = read_header(path)
    arch = reader._architecture(path, header.metadata)
    tensors = reader._known_tensors(path, arch, header.tensors)
    hf_config = reader._hf_config(path, arch, header.metadata, tensors)
    config = model.config
    if config.attention_bias or config.qk_norm or config.kind != "decoder":
        raise ModelFileError(f"{path}: ggml numerics runs llama-family decoders without "
                             "attention biases or q/k norms")
    for hf_name, tensor in tensors.items():
        (ours,) = hf_to_lmforge({hf_name: torch.empty(0)}, config.arch)
        if len(tensor.shape) != 2 or not ours.endswith(".weight"):
            continue  # norms stay the float copy load_gguf made
        data = np.asarray(tensor.data)
        if arch == "llama" and hf_name.endswith(("q_proj.weight", "k_proj.weight")):
            data = reader.unpermute_qk(data, reader._rotary_heads(hf_name, hf_config))
        out_features, in_features = (int(d) for d in reversed(tensor.shape.tolist()))
        linear = GgmlLinear(tensor.tensor_type, data, in_features, out_features, ours)
        if ours == "embed.tokens.weight":  # get_rows dequantizes: the float table stays
            if config.tie_word_embeddings:
                model.lm_head = linear
        else:
            parent, _, child = ours.removesuffix(".weight").rpartition(".")
            setattr(model.get_submodule(parent), child, linear)
    _switch_layers(model)
    return model.eval(), tokenizer


def _switch_layers(model: nn.Module) -> None:
    config = model.config
    stack = model.decoder
    stack.rotary = GgmlRotaryEmbedding(config.rope_theta, config.head_dim)
    stack.norm = GgmlRMSNorm(stack.norm.weight, config.norm_eps)
    for block in stack.layers:
        block.attn.__class__ = GgmlAttention  # same submodules, ggml's forward
        block.attn_norm = GgmlRMSNorm(block.attn_norm.weight, config.norm_eps)
        block.mlp_norm = GgmlRMSNorm(block.mlp_norm.weight, config.norm_eps)
        block.mlp.__class__ = GgmlMLP


@torch.no_grad()
def logits(model: nn.Module, ids: list[int]) -> torch.Tensor:
    """(len(ids), vocab) fp32 logits of every position."""
    return model.logits(model(torch.tensor([ids])))[0].float()


@torch.no_grad()
def greedy(model: nn.Module, prompt: list[int], n_tokens: int) -> list[int]:
    """The greedy continuation, the whole sequence recomputed at each step."""
    ids = list(prompt)
    for _ in range(n_tokens):
        ids.append(int(logits(model, ids)[-1].argmax()))
    return ids[len(prompt):]
