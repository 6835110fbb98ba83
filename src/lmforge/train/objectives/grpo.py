"""GRPO: Group Relative Policy Optimization (Shao et al. 2024, DeepSeekMath, sec. 4.1).

RL with verifiable rewards (RLVR) without a value model. For each prompt q, sample a group
of G completions o_1..o_G from the current policy, score each with a verifier (r_i), and
use the group as its own baseline:

    A_i = (r_i - mean(r)) / (std(r) + eps)           same A_i for every token of o_i
    ratio_t = pi_theta(o_t | q, o_<t) / pi_old(o_t | q, o_<t)
    L = -mean_t[ min(ratio_t A, clip(ratio_t, 1-eps_c, 1+eps_c) A) ] + beta * KL_t
    KL_t = pi_ref/pi_theta - log(pi_ref/pi_theta) - 1     (k3, Schulman 2020: unbiased, >= 0)

A group where every completion got the same reward (all right or all wrong) has std 0:
its advantages are 0 and it teaches nothing but the KL term, so by default such groups
are dropped from the update (DAPO's dynamic sampling, Yu et al. 2025, saves compute).
The token mean is over all completion tokens of the micro-batch (DAPO's token-level loss).

One rollout batch (prompts_per_rollout x G sequences) feeds `updates_per_rollout`
optimizer steps (the "mu" of the paper); pi_old is the policy that sampled (with one
update per batch it is the current policy, so pi_old = pi_theta.detach(): no extra pass).
The Trainer calls `before_step`, which samples a new batch through the Engine when the
last one is used up; the reference is a frozen copy of the base, or under LoRA the same
model with its adapters disabled.

Test: `pytest tests/train/test_grpo.py`.
"""

import math
import random
from collections.abc import Mapping, Sequence

import torch
from torch import nn

from lmforge.errors import ConfigError
from lmforge.infer.params import SamplingParams
from lmforge.train.objectives import Objective, RunParts, pad_id_of
from lmforge.train.rollout import (
    masked_mean,
    pack_sequences,
    reference_logprobs,
    sample_groups,
    token_logprobs,
)

# -- the maths, in the paper's terms -------------------------------------------------------

def group_advantages(rewards: torch.Tensor, eps: float = 1e-4) -> torch.Tensor:
    """(num_groups, G) rewards -> (num_groups, G) advantages, normalised within each group.

    A group whose rewards are all equal gets advantages of exactly 0 (not 0/eps noise)."""
    mean = rewards.mean(dim=1, keepdim=True)
    std = rewards.std(dim=1, keepdim=True, unbiased=True) if rewards.shape[1] > 1 else (
        torch.zeros_like(mean))
    advantages = (rewards - mean) / (std + eps)
    return torch.where(std > 0, advantages, torch.zeros_like(advantages))


def kl_k3(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimate of KL(pi_theta || pi_ref): exp(d) - d - 1 with d = ref - logp."""
    d = ref_logp - logp
    return torch.exp(d) - d - 1


def clipped_policy_loss(logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor,
                        clip_eps: float) -> tuple[torch.Tensor, torch.Tensor]:
    """PPO's clipped surrogate per token -> (loss, clipped?) both shaped like logp.

    advantages broadcast over tokens ((N, 1) for GRPO, (N, T) for PPO)."""
    ratio = torch.exp(logp - old_logp)
    unclipped = ratio * advantages
    clipped = torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * advantages
    was_clipped = (clipped < unclipped).float()  # the min picked the clipped term
    return -torch.minimum(unclipped, clipped), was_clipped


def chat_prompt_ids(tokenizer, prompt: str, system: str | None = None) -> list[int]:
    """A task's prompt as the chat model sees it: (system,) user turn, assistant header."""
    messages = ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}]
    return tokenizer.encode_chat(messages, add_generation_prompt=True)


# -- the objective -------------------------------------------------------------------------

class GRPO(Objective):
    name = "grpo"
    reports_perplexity = False

    def __init__(
        self, tasks: Sequence[Mapping], verifier, tokenizer, *, reference: nn.Module | None = None,
        group_size: int = 8, prompts_per_rollout: int = 4, updates_per_rollout: int = 1,
        clip_eps: float = 0.2, beta: float = 0.04, temperature: float = 1.0,
        max_new_tokens: int = 128, skip_uniform_groups: bool = True, system: str | None = None,
        accuracy_verifier=None, seed: int = 0,
    ) -> None:
        super().__init__(seed)
        if group_size < 2:
            raise ConfigError(f"GRPO needs group_size >= 2 to compare samples, got {group_size}")
        for name, value in (("prompts_per_rollout", prompts_per_rollout),
                            ("updates_per_rollout", updates_per_rollout),
                            ("max_new_tokens", max_new_tokens)):
            if value < 1:
                raise ConfigError(f"GRPO {name} must be >= 1, got {value}")
        if not tasks:
            raise ConfigError("GRPO needs at least one training task")
        self.tasks, self.verifier, self.tokenizer = list(tasks), verifier, tokenizer
        self.accuracy_verifier = accuracy_verifier  # e.g. exact match alone, for the log
        self.reference = reference.requires_grad_(False).eval() if reference is not None else None
        self.group_size, self.prompts_per_rollout = group_size, prompts_per_rollout
        self.updates_per_rollout, self.clip_eps, self.beta = updates_per_rollout, clip_eps, beta
        self.skip_uniform_groups, self.system = skip_uniform_groups, system
        self.params = SamplingParams(max_tokens=max_new_tokens, temperature=temperature)
        self.pad_id = pad_id_of(tokenizer)
        self.buffer: list[dict[str, torch.Tensor]] = []  # micro-batches not yet trained on
        self.engine = None
        self.rollouts = 0
        self.history: list[dict] = []  # per rollout: reward, accuracy, length (for curves)
        self._order = random.Random(seed)
        self._queue: list[int] = []  # task indices left in this epoch

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "GRPO":
        """RLSettings: group size, rollout sizes, clip, beta, sampling; the run's tasks,
        verifier (parts.scorer) and reference."""
        return cls(parts.tasks, parts.scorer, parts.tokenizer, reference=parts.reference,
                   group_size=settings.group_size,
                   prompts_per_rollout=settings.prompts_per_rollout,
                   updates_per_rollout=settings.updates_per_rollout,
                   clip_eps=settings.clip_eps, beta=settings.beta,
                   temperature=settings.temperature, max_new_tokens=settings.max_new_tokens,
                   system=settings.system or None, seed=parts.seed)

    @classmethod
    def uses_reference(cls, settings) -> bool:
        return settings.beta > 0  # the KL penalty is the reference's only use

    # -- rollouts ---------------------------------------------------------------------------

    def prompt_ids(self, task: Mapping) -> list[int]:
        return chat_prompt_ids(self.tokenizer, task["prompt"], self.system)

    def before_step(self, trainer, step: int) -> None:
        if len(self.buffer) < trainer.settings.grad_accum_steps:
            self.buffer = self.rollout(trainer.model, trainer.settings.grad_accum_steps)

    def _engine(self, model):
        if self.engine is None or self.engine.model is not model:
            from lmforge.infer.engine import Engine

            batch = self.prompts_per_rollout * self.group_size
            self.engine = Engine(model, self.tokenizer, max_batch_size=batch)
        return self.engine

    @torch.no_grad()
    def rollout(self, model, micro_batches: int) -> list[dict[str, torch.Tensor]]:
        """Sample, score, and cut one rollout batch into micro-batches for the updates."""
        was_training = model.training
        engine = self._engine(model)
        engine.reset_prefix_cache()  # the weights changed since the last rollout
        tasks = self._next_tasks()
        prompts = [self.prompt_ids(t) for t in tasks]
        groups = sample_groups(engine, prompts, self.group_size, self.params,
                               seed=self.seed * 100_003 + self.rollouts)
        model.train(was_training)
        self.rollouts += 1
        texts = [c.text for g in groups for c in g]
        group_tasks = [t for t in tasks for _ in range(self.group_size)]
        rewards = torch.tensor([v.score for v in self.verifier.score_many(texts, group_tasks)])
        accuracy = rewards if self.accuracy_verifier is None else torch.tensor(
            [v.score for v in self.accuracy_verifier.score_many(texts, group_tasks)])
        advantages = group_advantages(rewards.view(len(tasks), self.group_size)).flatten()
        lengths = torch.tensor([len(c.token_ids) for g in groups for c in g], dtype=torch.float)
        solved = accuracy.view(len(tasks), self.group_size).max(1).values >= 1  # (P,)
        stats = {"reward": rewards.mean(), "accuracy": accuracy.mean(),
                 "best_of_group": solved.float().mean(),  # best-of-G on the train prompts
                 "completion_len": lengths.mean(),
                 "uniform_groups": (advantages.view(len(tasks), -1) == 0).all(1).float().mean()}
        self.history.append({k: float(v) for k, v in stats.items()})
        keep = [n for n in range(len(texts)) if advantages[n] != 0 or not self.skip_uniform_groups]
        if not keep:  # every group uniform: nothing to learn from this batch
            return [self._empty_batch(stats)] * (micro_batches * self.updates_per_rollout)
        sequences = [(prompts[n // self.group_size], list(groups[n // self.group_size][
            n % self.group_size].token_ids)) for n in keep]
        input_ids, mask = pack_sequences([p for p, _ in sequences], [c for _, c in sequences],
                                         self.pad_id)
        batch = {"input_ids": input_ids, "completion_mask": mask,
                 "ref_logp": self._reference_logprobs(model, input_ids),
                 "advantages": advantages[keep]}
        if self.updates_per_rollout > 1:  # later updates are off-policy: keep pi_old
            batch["old_logp"] = self._logprobs(model, input_ids)
        chunks = _split(batch, micro_batches)
        return [{**c, **{f"stat_{k}": v for k, v in stats.items()}}
                for _ in range(self.updates_per_rollout) for c in chunks]

    def _next_tasks(self) -> list[Mapping]:
        """Walk the tasks in a seeded random order, epoch after epoch."""
        picked = []
        while len(picked) < self.prompts_per_rollout:
            if not self._queue:
                self._queue = list(range(len(self.tasks)))
                self._order.shuffle(self._queue)
            picked.append(self.tasks[self._queue.pop()])
        return picked

    def _logprobs(self, model, input_ids: torch.Tensor) -> torch.Tensor:
        was_training = model.training
        model.eval()
        logp = token_logprobs(model, input_ids, self.params.temperature)
        model.train(was_training)
        return logp

    def _reference_logprobs(self, model, input_ids: torch.Tensor) -> torch.Tensor:
        if self.beta == 0:
            return torch.zeros(input_ids.shape[0], input_ids.shape[1] - 1)
        return reference_logprobs(model, self.reference, input_ids, self.params.temperature,
                                  "GRPO with beta > 0")

    @staticmethod
    def _empty_batch(stats: dict) -> dict[str, torch.Tensor]:
        return {"input_ids": torch.zeros(0, 2, dtype=torch.long),
                **{f"stat_{k}": v for k, v in stats.items()}}

    # -- the Trainer's side ------------------------------------------------------------------

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        return raw  # RolloutLoader hands over micro-batches built by `rollout`

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        metrics = {k[5:]: v for k, v in batch.items() if k.startswith("stat_")}
        if batch["input_ids"].shape[0] == 0:  # a rollout where every group was uniform
            zero = sum(p.sum() * 0 for p in model.parameters() if p.requires_grad)
            kl = {"kl": torch.zeros(())} if self.beta else {}
            return zero, {**metrics, **kl, "clip_fraction": torch.zeros(())}
        mask = batch["completion_mask"]  # (N, T-1)
        logp = token_logprobs(model, batch["input_ids"], self.params.temperature)  # (N, T-1)
        advantages = batch["advantages"][:, None]  # (N, 1): one advantage per completion
        # one update per rollout: the policy is still pi_old, so ratio = 1 (no extra forward)
        old_logp = batch.get("old_logp", logp.detach())
        per_token, clipped = clipped_policy_loss(logp, old_logp, advantages, self.clip_eps)
        metrics["clip_fraction"] = masked_mean(clipped, mask)
        if self.beta == 0:  # no reference pass was made: no KL term, nothing to log
            return masked_mean(per_token, mask), metrics
        kl = kl_k3(logp, batch["ref_logp"])
        loss = masked_mean(per_token + self.beta * kl, mask)
        return loss, {**metrics, "kl": masked_mean(kl, mask).detach()}

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel()

    def training_state(self) -> dict:
        return {**super().training_state(), "rollouts": self.rollouts}

    def load_training_state(self, state: dict) -> None:
        super().load_training_state(state)
        self.rollouts = int(state.get("rollouts", 0))


def _split(batch: dict[str, torch.Tensor], parts: int) -> list[dict[str, torch.Tensor]]:
    """Cut a batch of N rows into `parts` micro-batches (fewer when N < parts)."""
    n = batch["input_ids"].shape[0]
    size = math.ceil(n / parts)
    chunks = []
    for start in range(0, n, size):
        chunk = {k: v[start:start + size] for k, v in batch.items()}
        # trim the right padding this chunk does not need
        width = int(chunk["completion_mask"].any(0).nonzero().max()) + 2
        chunk["input_ids"] = chunk["input_ids"][:, :width]
        for key in ("completion_mask", "old_logp", "ref_logp"):
            if key in chunk:
                chunk[key] = chunk[key][:, :width - 1]
        chunks.append(chunk)
    while len(chunks) < parts:  # keep the optimizer step's micro-batch count
        chunks.append({k: v[:0] for k, v in chunks[0].items()})
    return chunks


class RolloutLoader:
    """The Trainer's loader for RL: micro-batches from the objective's rollout buffer."""

    def __init__(self, objective: GRPO) -> None:
        self.objective = objective
        self.step = 0

    def next_batch(self) -> dict[str, torch.Tensor]:
        self.step += 1
        return self.objective.buffer.pop(0)

    def state_dict(self) -> dict:
        return {"step": self.step}

    def load_state_dict(self, state: dict) -> None:
        self.step = int(state["step"])
