"""The Mamba block: a selective state-space mixer where a Transformer block has attention.

    x = x + mixer(norm(x))            one residual branch; no separate feed-forward

    mixer(x):                             (B, T, C) -> (B, T, C), D = intermediate_size
        u, z = in_proj(x).chunk(2)        (B, T, D) each: the signal and its gate
        u = silu(causal_conv(u))          a short depthwise convolution over the last K tokens
        dt, B, C = x_proj(u)              per token: step size (low rank), input and output
        dt = softplus(dt_proj(dt))        projections of the state: the *selection*
        y = scan(u, dt, A, B, C) + D * u  the state-space recurrence (ssm.py), skip term D
        out_proj(y * silu(z))             gated, back to the residual width

A Transformer keeps every past key and value, so decoding token t reads t of them. Mamba
keeps, per layer and sequence, the last K-1 convolution inputs (D, K-1) and the scan
state (D, N): the same few kilobytes at token 10 and at token 10,000. Attention looks
back exactly; the state must choose what to keep, which is what dt, B, C are for.

Parameter names are transformers' (`MambaForCausalLM`: backbone.layers.{i}.mixer.*), so a
checkpoint loads by a rename table (io/hf_names.py). With no state the mixer starts from
zeros (training); given a `StateView` it continues from each sequence's stored state and
writes the new one back (the Engine's state pool, infer/state_pool.py, or `MambaState`).

Test: `pytest tests/model/test_mamba.py tests/infer/test_mamba_engine.py`.
"""

import math
from typing import Protocol

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model.backend import backend
from lmforge.model.config import ModelConfig
from lmforge.model.norm import make_norm
from lmforge.model.ssm import selective_scan

# transformers' defaults for the initial step sizes: dt drawn log-uniformly in this range
DT_MIN, DT_MAX, DT_FLOOR = 1e-3, 1e-1, 1e-4


class StateView(Protocol):
    """What the mixer needs from whoever holds recurrent states, for one forward.

    lengths: None when x's rows are the sequences (B, T, C); else x is (1, N, C), the
    sequences' tokens one after another, `lengths[i]` of them for sequence i."""

    lengths: list[int] | None

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        """(conv (n_seq, D, K-1), ssm (n_seq, D, N)) states; zeros for a fresh sequence."""

    def write(self, layer: int, conv: torch.Tensor, ssm: torch.Tensor) -> None:
        """Store each sequence's states after this forward's tokens."""


class MambaMixer(nn.Module):
    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        C, D, N = config.hidden_size, config.intermediate_size, config.state_size
        self.rank, self.state_size, self.kernel = config.time_step_rank, N, config.conv_kernel
        self.in_proj = nn.Linear(C, 2 * D, bias=config.mlp_bias)
        # depthwise (groups=D): channel d mixes only its own last K inputs
        self.conv1d = nn.Conv1d(D, D, config.conv_kernel, groups=D, bias=config.use_conv_bias)
        self.x_proj = nn.Linear(D, self.rank + 2 * N, bias=False)
        self.dt_proj = nn.Linear(self.rank, D, bias=True)
        # A = -exp(A_log) stays negative whatever training does, so every decay is < 1
        self.A_log = nn.Parameter(torch.zeros(D, N))
        self.D = nn.Parameter(torch.ones(D))
        self.out_proj = nn.Linear(D, C, bias=config.mlp_bias)

    def forward(self, x: torch.Tensor, state: StateView | None = None,
                layer: int = 0) -> torch.Tensor:
        """x (B, T, C) -> (B, T, C), continuing each sequence's state when given one."""
        if state is None:
            return self.mix(x)[0]
        conv, ssm = state.read(layer)
        lengths = state.lengths
        if lengths is None:  # one row per sequence
            y, conv, ssm = self.mix(x, conv, ssm)
        elif all(n == 1 for n in lengths):  # decode: one token each, as rows
            y, conv, ssm = self.mix(x[0][:, None], conv, ssm)  # (n_seq, 1, C)
            y = y.transpose(0, 1)  # (1, n_seq, C)
        else:  # prefill chunks of different lengths: one sequence at a time
            parts = [self.mix(seg[None], conv[i : i + 1], ssm[i : i + 1])
                     for i, seg in enumerate(x[0].split(lengths))]
            y = torch.cat([p[0] for p in parts], dim=1)  # (1, N, C)
            conv, ssm = torch.cat([p[1] for p in parts]), torch.cat([p[2] for p in parts])
        state.write(layer, conv, ssm)
        return y

    def mix(self, x: torch.Tensor, conv_state: torch.Tensor | None = None,
            ssm_state: torch.Tensor | None = None
            ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """x (R, T, C) from states (R, D, K-1) and (R, D, N) (None: zeros) -> the output
        (R, T, C) and the states after the last token."""
        u, z = self.in_proj(x).chunk(2, dim=-1)  # (R, T, D) each
        u, conv_state = self.causal_conv(u, conv_state)
        dt, B, C = self.x_proj(u).split([self.rank, self.state_size, self.state_size], dim=-1)
        dt = F.softplus(self.dt_proj(dt))  # (R, T, D): a positive step per token and channel
        A = -torch.exp(self.A_log.float())  # (D, N)
        parallel = backend.parallel_scan_applies(u)  # else the loop: equal within 1e-5
        y, ssm_state = selective_scan(u, dt, A, B, C, ssm_state, parallel)
        y = y + u * self.D  # the skip: D * u passes the input straight through
        return self.out_proj(y * F.silu(z)), conv_state, ssm_state

    def causal_conv(self, u: torch.Tensor, conv_state: torch.Tensor | None
                    ) -> tuple[torch.Tensor, torch.Tensor]:
        """silu(depthwise conv of each channel over its last K inputs). The K-1 inputs before
        the first token come from the state (zeros at a sequence's start: the causal padding);
        the last K-1 inputs are the next state. u (R, T, D) -> (R, T, D)."""
        u = u.transpose(1, 2)  # (R, D, T): channels first, as conv1d wants
        R, D, _ = u.shape
        if conv_state is None:
            conv_state = u.new_zeros(R, D, self.kernel - 1)
        window = torch.cat([conv_state.to(u.dtype), u], dim=-1)  # (R, D, K-1+T)
        out = F.conv1d(window, self.conv1d.weight, self.conv1d.bias, groups=D)  # (R, D, T)
        return F.silu(out).transpose(1, 2), window[:, :, window.shape[-1] - (self.kernel - 1):]

    @torch.no_grad()
    def init_ssm(self, n_layer: int) -> None:
        """Mamba's initialisation (as transformers'): A = -(1..N) per channel (S4D-real),
        D = 1, steps dt log-uniform in [DT_MIN, DT_MAX] through dt_proj's bias, conv weights
        uniform in +-1/sqrt(K), out_proj scaled by 1/sqrt(n_layer) for the residual sum."""
        D, N = self.A_log.shape
        self.A_log.copy_(torch.log(torch.arange(1, N + 1, dtype=torch.float32)).expand(D, N))
        self.D.fill_(1.0)
        bound = self.rank**-0.5
        nn.init.uniform_(self.dt_proj.weight, -bound, bound)
        log_dt = torch.rand(D) * (math.log(DT_MAX) - math.log(DT_MIN)) + math.log(DT_MIN)
        dt = torch.exp(log_dt).clamp(min=DT_FLOOR)
        self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))  # softplus^-1(dt)
        nn.init.kaiming_uniform_(self.conv1d.weight, a=math.sqrt(5))
        if self.conv1d.bias is not None:
            self.conv1d.bias.zero_()
        nn.init.kaiming_uniform_(self.out_proj.weight, a=math.sqrt(5))
        self.out_proj.weight.div_(math.sqrt(n_layer))


class MambaBlock(nn.Module):
    """x = x + mixer(norm(x)): the block Stack (transformer.py) builds for arch mamba."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.norm = make_norm(config)
        self.mixer = MambaMixer(config)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None,
                memory: torch.Tensor | None = None, memory_mask: torch.Tensor | None = None,
                *, rope=None, cache: StateView | None = None, layer: int = 0,
                is_causal: bool = True, attention_maps: list | None = None) -> torch.Tensor:
        """Block's signature, so Stack calls either; the attention arguments have no use here
        (no rope, no memory), and two of them cannot be honoured, so they are refused."""
        if mask is not None:
            raise ValueError("a Mamba block reads tokens in order: it takes no attention "
                             "mask (padding or packed examples); give it one sequence a row")
        if attention_maps is not None:
            raise ValueError("a Mamba block has no attention weights to show")
        return x + self.mixer(self.norm(x), cache, layer)


class MambaState:
    """Dense recurrent states, one row per sequence (the Engine uses its own pool): the
    plain reference for decoding step by step, as model/kv_cache.py's KVCache is."""

    lengths = None  # rows are sequences
    decode_plan = None  # no C decode step for these blocks (model/backend.py)

    def __init__(self, config: ModelConfig, batch_size: int, dtype=torch.float32,
                 device="cpu") -> None:
        L, D = config.num_hidden_layers, config.intermediate_size
        self.conv = [torch.zeros(batch_size, D, config.conv_kernel - 1, dtype=dtype,
                                 device=device) for _ in range(L)]
        self.ssm = [torch.zeros(batch_size, D, config.state_size, device=device)
                    for _ in range(L)]

    def read(self, layer: int) -> tuple[torch.Tensor, torch.Tensor]:
        return self.conv[layer], self.ssm[layer]

    def write(self, layer: int, conv: torch.Tensor, ssm: torch.Tensor) -> None:
        self.conv[layer], self.ssm[layer] = conv, ssm

    def nbytes(self) -> int:
        return sum(t.numel() * t.element_size() for t in (*self.conv, *self.ssm))
