"""Mixture-of-experts feed-forward: a router sends each token to k of n expert MLPs.

    x ─> router: p = softmax(W_r x)   keep the top-k experts, weights w
    │
    ├─> expert e1 (SwiGLU) · w1 ─┐
    ├─> expert e2 (SwiGLU) · w2 ─┼─> sum ─> y
    └─> shared expert · σ(g·x) ──┘        (Qwen2-MoE: one always-on expert with its gate)

A token pays for k experts while the layer holds n of them (Shazeer et al. 2017, "Outrageously
large neural networks"; Mixtral: n=8, k=2). Where the softmax sits is a family choice:

    before (Mixtral, Qwen2-MoE)   w = top-k of softmax(logits), renormalised to sum 1 or not
    after                         w = softmax(top-k logits)   (= before + renormalise)

Top-1 with renormalised weights is refused (config.py): the one weight is p/p = 1 for every
logit, so the language-model loss sends the router no gradient at all.

Compute is grouped by expert, not looped over tokens: the (token, choice) slots are sorted by
expert, each expert runs one matmul over the rows it received, and `index_add_` sums the
weighted rows back into their tokens.

Two auxiliary losses keep routing healthy in training. The model does not add them to
anything: each MoE layer records its last routing (`MoE.routing`), and the objective asks
`router_losses(model)` after its forward and adds `coef * loss` (train/objectives/causal_lm.py).

    balance = n * sum_i f_i * P_i       f_i: share of routed slots that went to expert i
                                        P_i: mean router probability of expert i
                                        (Switch Transformer, Fedus et al. 2021, eq. 4: 1.0
                                        when balanced, up to n when one expert takes all)
    z       = mean_t logsumexp(logits_t)^2        (ST-MoE, Zoph et al. 2022: small logits)

Test: pytest tests/model/test_moe.py tests/io/test_moe_families.py
"""

import math
from dataclasses import dataclass, replace

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model.config import ModelConfig
from lmforge.model.mlp import MLP, activation


@dataclass
class Routing:
    """One MoE layer's routing in its last forward: what the auxiliary losses read."""

    logits: torch.Tensor
    """(N, n_experts) float32 router logits of the N tokens."""
    experts: torch.Tensor
    """(N, k) the experts each token went to."""


class Router(nn.Module):
    """Scores every expert for every token and keeps the top-k (weights, experts)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.top_k = config.num_experts_per_tok
        self.softmax_first = config.router_softmax == "before"
        self.norm_topk_prob = config.norm_topk_prob
        # a plain parameter, not an nn.Linear: quantizers and LoRA leave the router alone
        self.weight = nn.Parameter(torch.empty(config.num_experts, config.hidden_size))
        nn.init.normal_(self.weight, std=0.02)

    def forward(self, x: torch.Tensor):
        """x (N, C) -> weights (N, k) float32, experts (N, k), logits (N, n) float32."""
        # fp32 logits: a bf16 softmax over experts would make near ties flip
        logits = F.linear(x, self.weight).float()  # (N, n)
        if self.softmax_first:
            weights, experts = logits.softmax(dim=-1).topk(self.top_k, dim=-1)  # (N, k)
            if self.norm_topk_prob:
                weights = weights / weights.sum(dim=-1, keepdim=True)
        else:
            kept, experts = logits.topk(self.top_k, dim=-1)  # (N, k)
            weights = kept.softmax(dim=-1)
        return weights, experts, logits


class Experts(nn.Module):
    """n SwiGLU MLPs stored as stacked weights, run on the tokens routed to each."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        n, C, H = config.num_experts, config.hidden_size, config.moe_intermediate_size
        self.num_experts = n
        # expert e is down_proj[e] @ (act(gate_proj[e] @ x) * (up_proj[e] @ x))
        self.gate_proj = nn.Parameter(torch.empty(n, H, C))
        self.up_proj = nn.Parameter(torch.empty(n, H, C))
        self.down_proj = nn.Parameter(torch.empty(n, C, H))
        for p in (self.gate_proj, self.up_proj, self.down_proj):
            nn.init.normal_(p, std=0.02)
        self.act = activation(config.activation)

    def forward(self, x: torch.Tensor, weights: torch.Tensor, experts: torch.Tensor):
        """x (N, C), weights and experts (N, k) -> (N, C): each token's weighted sum of its
        k experts' outputs."""
        k = experts.shape[1]
        slots = experts.flatten()  # (N*k,) the expert of each (token, choice) slot
        order = slots.argsort(stable=True)  # slots grouped by expert: 0's first, then 1's...
        tokens = order // k  # (N*k,) the token each sorted slot reads
        counts = torch.bincount(slots, minlength=self.num_experts).tolist()
        grouped = x.index_select(0, tokens)  # (N*k, C)
        outputs = [self.expert(e, rows) for e, rows in enumerate(grouped.split(counts))
                   # an expert with no tokens is skipped, except in training: every expert
                   # then has a gradient (zero), so DDP's all-reduce sees all of them
                   if len(rows) or self.training]
        y = torch.cat(outputs) * weights.flatten()[order, None]  # (N*k, C), weighted
        return torch.zeros_like(x).index_add_(0, tokens, y.to(x.dtype))

    def expert(self, e: int, x: torch.Tensor) -> torch.Tensor:
        """Expert e on its rows x (M, C) -> (M, C): one SwiGLU MLP, one matmul a weight."""
        h = self.act(F.linear(x, self.gate_proj[e])) * F.linear(x, self.up_proj[e])  # (M, H)
        return F.linear(h, self.down_proj[e])


class MoE(nn.Module):
    """The block's feed-forward when config.num_experts > 0: routed experts (+ shared one)."""

    def __init__(self, config: ModelConfig) -> None:
        super().__init__()
        self.router = Router(config)
        self.experts = Experts(config)
        self.shared_expert: MLP | None = None
        self.shared_expert_gate: nn.Linear | None = None
        if config.shared_expert_intermediate_size:
            shared = replace(config, intermediate_size=config.shared_expert_intermediate_size)
            self.shared_expert = MLP(shared)
            # a per-token scalar gate: how much of the always-on expert this token takes
            self.shared_expert_gate = nn.Linear(config.hidden_size, 1, bias=False)
        self.routing: Routing | None = None  # the last forward's, for router_losses

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x (B, T, C) -> (B, T, C)."""
        B, T, C = x.shape
        flat = x.reshape(B * T, C)  # (N, C): routing is per token, whatever its sequence
        weights, experts, logits = self.router(flat)
        self.routing = Routing(logits, experts)
        y = self.experts(flat, weights, experts)
        if self.shared_expert is not None:
            gate = torch.sigmoid(self.shared_expert_gate(flat))  # (N, 1)
            y = y + gate * self.shared_expert(flat)
        return y.view(B, T, C)


# -- the auxiliary losses, read by the objective ---------------------------------------------


def expert_load(experts: torch.Tensor, num_experts: int) -> torch.Tensor:
    """(N, k) chosen experts -> (n,) share of the N*k routed slots each expert received."""
    counts = torch.bincount(experts.flatten(), minlength=num_experts)
    return counts.float() / experts.numel()


def load_balancing_loss(routing: Routing) -> torch.Tensor:
    """n * sum_i f_i * P_i (Switch Transformer eq. 4). f (the counts) has no gradient; P does,
    so the loss lowers the probability of overloaded experts."""
    n = routing.logits.shape[-1]
    f = expert_load(routing.experts, n)  # (n,)
    P = routing.logits.softmax(dim=-1).mean(dim=0)  # (n,)
    return n * (f * P).sum()


def router_z_loss(routing: Routing) -> torch.Tensor:
    """mean_t logsumexp(logits_t)^2 (ST-MoE): keeps router logits small, so the softmax
    stays in a range where bf16 rounding does not change which experts win."""
    return torch.logsumexp(routing.logits, dim=-1).square().mean()


def load_entropy(load: torch.Tensor) -> torch.Tensor:
    """Entropy of a load distribution (n,), divided by log n: 1 when every expert gets the
    same share, 0 when one expert gets everything."""
    p = load.clamp_min(1e-12)
    return -(load * p.log()).sum() / math.log(len(load))


@dataclass
class RouterLosses:
    """The auxiliary terms of a model's MoE layers, each the mean over layers."""

    balance: torch.Tensor
    """0-d load-balancing loss (1.0 = balanced)."""
    z: torch.Tensor
    """0-d router z-loss."""
    load: torch.Tensor
    """(n,) share of routed slots per expert."""
    entropy: torch.Tensor
    """0-d normalised entropy of each layer's load (1 = balanced, 0 = one expert)."""


def router_losses(model: nn.Module) -> RouterLosses | None:
    """The auxiliary losses of the model's last forward; None for a model without experts."""
    routings = [m.routing for m in model.modules() if isinstance(m, MoE) and m.routing is not None]
    if not routings:
        return None
    n = routings[0].logits.shape[-1]
    loads = torch.stack([expert_load(r.experts, n) for r in routings])  # (layers, n)
    return RouterLosses(
        balance=torch.stack([load_balancing_loss(r) for r in routings]).mean(),
        z=torch.stack([router_z_loss(r) for r in routings]).mean(),
        load=loads.mean(dim=0),
        entropy=torch.stack([load_entropy(row) for row in loads]).mean(),
    )
