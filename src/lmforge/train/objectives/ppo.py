"""PPO for RLHF (Schulman et al. 2017; Ouyang et al. 2022, InstructGPT; Ziegler et al. 2019).

Four models take part: the actor (the policy being trained), the critic (a value head on
the actor's hidden states), a frozen reference (the starting policy; under LoRA the same
model with its adapters off) and a reward model that scores a whole (prompt, reply).

Per rollout, for each completion token t (Ziegler et al. 2019, eq. 2):

    r_t = -kl_coef * (log pi_old(o_t) - log pi_ref(o_t))  (+ reward model score at the end)
    delta_t = r_t + gamma * V(s_{t+1}) - V(s_t)
    A_t = delta_t + gamma * lambda * A_{t+1}              GAE (Schulman et al. 2016)
    R_t = A_t + V(s_t)                                    the value target

Advantages are whitened over the batch's tokens. The loss over several epochs of
mini-batches of the same rollouts:

    L = clipped policy loss (as GRPO, per-token A_t)
        + vf_coef * 1/2 max((V - R)^2, (clip(V, V_old +- eps_v) - R)^2)

Logged: reward (reward model score), kl (sum over a reply of log pi - log pi_ref),
entropy, value loss, explained variance of the returns by the values.
Test: `pytest tests/train/test_ppo.py`.
"""

import random
from collections.abc import Callable, Mapping, Sequence

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError
from lmforge.infer.params import SamplingParams
from lmforge.train.objectives import Objective, RunParts, pad_id_of
from lmforge.train.objectives.grpo import chat_prompt_ids, clipped_policy_loss
from lmforge.train.rollout import (
    masked_mean,
    pack_sequences,
    reference_logprobs,
    sample_groups,
    token_logprobs,
)


def gae(rewards: torch.Tensor, values: torch.Tensor, mask: torch.Tensor, gamma: float = 1.0,
        lam: float = 0.95) -> torch.Tensor:
    """Generalised advantage estimates over the masked (contiguous) tokens of each row.

    rewards, values, mask: (N, L). The value after a row's last token is 0 (episode end)."""
    N, L = rewards.shape
    mask = mask.to(values.dtype)
    advantages = torch.zeros_like(values)
    last = torch.zeros(N, dtype=values.dtype)
    for t in reversed(range(L)):
        next_mask = mask[:, t + 1] if t + 1 < L else torch.zeros(N, dtype=values.dtype)
        next_value = values[:, t + 1] * next_mask if t + 1 < L else torch.zeros(N)
        delta = rewards[:, t] + gamma * next_value - values[:, t]
        last = delta + gamma * lam * next_mask * last  # restarts after each row's last token
        advantages[:, t] = last * mask[:, t]
    return advantages


def whiten(x: torch.Tensor, mask: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """(x - mean) / std over the masked entries (zero elsewhere)."""
    mean = masked_mean(x, mask)
    var = masked_mean((x - mean) ** 2, mask)
    return (x - mean) * torch.rsqrt(var + eps) * mask


def explained_variance(values: torch.Tensor, returns: torch.Tensor, mask: torch.Tensor):
    """1 - Var(R - V) / Var(R): 1 = the critic predicts the returns, 0 = no better than a mean."""
    var_returns = masked_mean((returns - masked_mean(returns, mask)) ** 2, mask)
    residual = returns - values
    var_residual = masked_mean((residual - masked_mean(residual, mask)) ** 2, mask)
    return 1 - var_residual / var_returns.clamp(min=1e-8)


def check_same_tokenizer(policy_tokenizer, reward_tokenizer) -> None:
    """The reward model must read text the way the policy writes it (same vocabulary)."""
    probe = "Reward check: 12,345 naïve café\n<|im_start|>user"
    same = (policy_tokenizer.vocab_size == reward_tokenizer.vocab_size and
            policy_tokenizer.encode(probe) == reward_tokenizer.encode(probe))
    if not same:
        raise ConfigError(
            f"the reward model's tokenizer differs from the policy's (vocab "
            f"{reward_tokenizer.vocab_size} vs {policy_tokenizer.vocab_size}): train the "
            "reward model on the policy's base")


class ValueHead(nn.Module):
    """The critic: one scalar per position from the actor's hidden state."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.value = nn.Linear(hidden_size, 1)
        nn.init.zeros_(self.value.weight)
        nn.init.zeros_(self.value.bias)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.value(hidden.float())[..., 0]  # (N, T)


class PPO(Objective):
    name = "ppo"
    reports_perplexity = False

    def __init__(
        self, prompts: Sequence[Mapping], reward_fn: Callable[[list[str], list[str]], list],
        tokenizer, hidden_size: int, *, reference: nn.Module | None = None,
        rollout_size: int = 8, epochs: int = 2, clip_eps: float = 0.2, value_clip: float = 0.2,
        vf_coef: float = 0.1, kl_coef: float = 0.05, gamma: float = 1.0, lam: float = 0.95,
        temperature: float = 1.0, max_new_tokens: int = 48, system: str | None = None,
        seed: int = 0,
    ) -> None:
        super().__init__(seed)
        if not prompts:
            raise ConfigError("PPO needs at least one prompt")
        for name, value in (("rollout_size", rollout_size), ("epochs", epochs)):
            if value < 1:
                raise ConfigError(f"PPO {name} must be >= 1, got {value}")
        self.prompts, self.reward_fn, self.tokenizer = list(prompts), reward_fn, tokenizer
        self.value_head = ValueHead(hidden_size)
        self.reference = reference.requires_grad_(False).eval() if reference is not None else None
        self.rollout_size, self.epochs = rollout_size, epochs
        self.clip_eps, self.value_clip, self.vf_coef = clip_eps, value_clip, vf_coef
        self.kl_coef, self.gamma, self.lam, self.system = kl_coef, gamma, lam, system
        self.params = SamplingParams(max_tokens=max_new_tokens, temperature=temperature)
        self.pad_id = pad_id_of(tokenizer)
        self.buffer: list[dict[str, torch.Tensor]] = []
        self.engine = None
        self.rollouts = 0
        self.history: list[dict] = []
        self._order = random.Random(seed)

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "PPO":
        """RLSettings: rollout size, epochs, clip, value and KL weights, GAE lambda,
        sampling; the run's prompts, reward function (parts.scorer) and reference."""
        return cls(parts.tasks, parts.scorer, parts.tokenizer,
                   parts.model.config.hidden_size, reference=parts.reference,
                   rollout_size=settings.prompts_per_rollout,
                   epochs=settings.updates_per_rollout, clip_eps=settings.clip_eps,
                   vf_coef=settings.vf_coef, kl_coef=settings.kl_coef,
                   lam=settings.gae_lambda, temperature=settings.temperature,
                   max_new_tokens=settings.max_new_tokens, system=settings.system or None,
                   seed=parts.seed)

    @classmethod
    def uses_reference(cls, settings) -> bool:
        return True  # the per-token KL penalty in the reward

    def before_step(self, trainer, step: int) -> None:
        if len(self.buffer) < trainer.settings.grad_accum_steps:
            self.buffer = self.rollout(trainer.model, trainer.settings.grad_accum_steps)

    @torch.no_grad()
    def rollout(self, model, micro_batches: int) -> list[dict[str, torch.Tensor]]:
        from lmforge.infer.engine import Engine

        if self.engine is None or self.engine.model is not model:
            self.engine = Engine(model, self.tokenizer, max_batch_size=self.rollout_size)
        self.engine.reset_prefix_cache()  # the weights changed since the last rollout
        was_training = model.training
        tasks = self._order.sample(self.prompts, min(self.rollout_size, len(self.prompts)))
        prompts = [chat_prompt_ids(self.tokenizer, t["prompt"], self.system) for t in tasks]
        groups = sample_groups(self.engine, prompts, 1, self.params,
                               seed=self.seed * 100_003 + self.rollouts)
        self.rollouts += 1
        completions = [list(g[0].token_ids) for g in groups]
        scores = torch.tensor(self.reward_fn([t["prompt"] for t in tasks],
                                             [g[0].text for g in groups]), dtype=torch.float)
        input_ids, mask = pack_sequences(prompts, completions, self.pad_id)
        model.eval()
        old_logp, hidden, _ = token_logprobs(model, input_ids, self.params.temperature, True)
        values = self.value_head(hidden[:, :-1])  # (N, T-1): V(s_t) before token t+1
        ref_logp = self._reference_logprobs(model, input_ids)
        model.train(was_training)
        kl = (old_logp - ref_logp) * mask  # (N, T-1) per-token k1 estimate
        rewards = -self.kl_coef * kl
        last = mask.float().cumsum(1).argmax(1)  # index of each row's last completion token
        rewards[torch.arange(len(tasks)), last] += scores
        advantages = gae(rewards, values, mask, self.gamma, self.lam)
        returns = advantages + values
        stats = {"reward": scores.mean(), "kl": kl.sum(1).mean(),
                 "completion_len": mask.float().sum(1).mean()}
        self.history.append({k: float(v) for k, v in stats.items()})
        batch = {"input_ids": input_ids, "completion_mask": mask, "old_logp": old_logp,
                 "old_values": values, "returns": returns,
                 "advantages": whiten(advantages, mask)}
        out = []
        for _ in range(self.epochs):  # each epoch: the same rollouts in a new order
            order = torch.randperm(len(tasks), generator=self.generator)
            shuffled = {k: v[order] for k, v in batch.items()}
            for chunk in torch.tensor_split(torch.arange(len(tasks)), micro_batches):
                out.append({**{k: v[chunk] for k, v in shuffled.items()},
                            **{f"stat_{k}": v for k, v in stats.items()}})
        return out

    def _reference_logprobs(self, model, input_ids: torch.Tensor) -> torch.Tensor:
        return reference_logprobs(model, self.reference, input_ids, self.params.temperature,
                                  "PPO")

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        return raw

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        metrics = {k[5:]: v for k, v in batch.items() if k.startswith("stat_")}
        mask = batch["completion_mask"]  # (n, T-1)
        logp, hidden, logits = token_logprobs(model, batch["input_ids"],
                                              self.params.temperature, True)
        per_token, clipped = clipped_policy_loss(logp, batch["old_logp"], batch["advantages"],
                                                 self.clip_eps)
        values = self.value_head(hidden[:, :-1])  # (n, T-1)
        old_values, returns = batch["old_values"], batch["returns"]
        values_clipped = old_values + (values - old_values).clamp(-self.value_clip,
                                                                  self.value_clip)
        value_loss = 0.5 * masked_mean(torch.maximum((values - returns) ** 2,
                                                     (values_clipped - returns) ** 2), mask)
        policy_loss = masked_mean(per_token, mask)
        with torch.no_grad():
            probs = F.softmax(logits, dim=-1)
            entropy = masked_mean(-(probs * F.log_softmax(logits, dim=-1)).sum(-1), mask)
        return policy_loss + self.vf_coef * value_loss, {
            **metrics, "policy_loss": policy_loss.detach(), "value_loss": value_loss.detach(),
            "entropy": entropy, "clip_fraction": masked_mean(clipped, mask),
            "explained_variance": explained_variance(values.detach(), returns, mask)}

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel()
