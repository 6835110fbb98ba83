"""Direct Preference Optimization (Rafailov et al. 2023): learn from preference pairs directly.

For a prompt x with a chosen reply y_w and a rejected reply y_l, with log-probabilities
summed over the reply tokens under the policy (pi) and a frozen reference (ref):

    h = [log pi(y_w|x) - log ref(y_w|x)] - [log pi(y_l|x) - log ref(y_l|x)]
    DPO loss = -log sigmoid(beta * h)                (Bradley-Terry on implicit rewards)
    IPO loss = (h - 1 / (2 * beta))^2                (Azar et al. 2023: a bounded target)

The implicit reward of a reply is beta * (log pi - log ref); logged per batch:
reward_chosen, reward_rejected, reward_margin (their difference) and accuracy (the share of
pairs whose chosen reward is higher). At step 0 pi = ref, so every reward is 0.

The reference is never trained, so its log-probs are computed once per pair and cached
(keyed by the pair's index, saved with the checkpoint). It is a frozen copy of the model,
or, under LoRA, the same model with its adapters switched off (no second model in memory).

Test: `pytest tests/train/test_dpo.py`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.data.preference import collate_pairs
from lmforge.train.objectives import IGNORE_INDEX, Objective, RunParts, pad_id_of


def sequence_logprobs(model: nn.Module, batch: dict) -> torch.Tensor:
    """Sum of log p(label) over each row's labelled (reply) tokens: (rows,)."""
    hidden = model(batch["input_ids"], positions=batch["positions"],
                   attention_mask=batch["attention_mask"])  # (R, T, C)
    labels = batch["labels"]  # (R, T)
    learned = labels != IGNORE_INDEX
    logits = model.logits(hidden[learned]).float()  # (N, V): only the reply positions
    token_logp = -F.cross_entropy(logits, labels[learned], reduction="none")  # (N,)
    rows = torch.arange(labels.shape[0], device=labels.device)[:, None].expand_as(labels)
    return torch.zeros(labels.shape[0], device=hidden.device).index_add(
        0, rows[learned], token_logp)


def preference_loss(policy_chosen, policy_rejected, ref_chosen, ref_rejected, beta: float,
                    loss_type: str = "sigmoid") -> tuple[torch.Tensor, dict]:
    """DPO (sigmoid) or IPO loss and the reward metrics, from (B,) summed log-probs."""
    chosen_reward = beta * (policy_chosen - ref_chosen)  # (B,)
    rejected_reward = beta * (policy_rejected - ref_rejected)
    h = (policy_chosen - ref_chosen) - (policy_rejected - ref_rejected)
    losses = (h - 1 / (2 * beta)) ** 2 if loss_type == "ipo" else -F.logsigmoid(beta * h)
    metrics = {
        "reward_chosen": chosen_reward.mean().detach(),
        "reward_rejected": rejected_reward.mean().detach(),
        "reward_margin": (chosen_reward - rejected_reward).mean().detach(),
        "accuracy": (chosen_reward > rejected_reward).float().mean().detach(),
    }
    return losses.mean(), metrics


class DPO(Objective):
    name = "dpo"
    reports_perplexity = False

    def __init__(self, pad_id: int = 0, beta: float = 0.1, loss_type: str = "sigmoid",
                 reference: nn.Module | None = None, seed: int = 0) -> None:
        super().__init__(seed)
        if loss_type not in ("sigmoid", "ipo"):
            raise ValueError(f"DPO loss_type must be sigmoid or ipo, got {loss_type!r}")
        if beta <= 0:
            raise ValueError(f"DPO beta must be > 0, got {beta}")
        self.pad_id, self.beta, self.loss_type = pad_id, beta, loss_type
        self.reference = reference  # None: the policy with its LoRA adapters disabled
        if reference is not None:
            reference.requires_grad_(False).eval()
        self.cache: dict[int, tuple[float, float]] = {}  # pair index -> (ref chosen, rejected)
        self.reference_passes = 0  # rows the reference has scored (the cache test reads it)

    def train(self, mode: bool = True) -> "DPO":
        super().train(mode)
        if self.reference is not None:  # the reference stays in eval mode (no dropout)
            self.reference.eval()
        return self

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "DPO":
        """FinetuneSettings: beta and loss_type; the run's reference (None under LoRA)."""
        return cls(pad_id=pad_id_of(parts.tokenizer), beta=settings.beta,
                   loss_type=settings.loss_type, reference=parts.reference, seed=parts.seed)

    @classmethod
    def uses_reference(cls, settings) -> bool:
        return True

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        return collate_pairs(raw, self.pad_id)

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        B = batch["pair_index"].shape[0]
        ref = self.reference_logprobs(model, batch)  # (2B,)
        policy = sequence_logprobs(model, batch)  # (2B,)
        return preference_loss(policy[:B], policy[B:], ref[:B], ref[B:], self.beta,
                               self.loss_type)

    @torch.no_grad()
    def reference_logprobs(self, model: nn.Module, batch: dict) -> torch.Tensor:
        """(2B,) reference log-probs: from the cache, computing only the pairs never seen."""
        index = batch["pair_index"].tolist()
        missing = [i for i, key in enumerate(index) if key not in self.cache]
        if missing:
            rows = missing + [i + len(index) for i in missing]
            sub = {k: batch[k][rows] for k in ("input_ids", "labels", "positions",
                                               "attention_mask")}
            values = self._score_reference(model, sub)  # (2M,)
            self.reference_passes += len(rows)
            M = len(missing)
            for j, i in enumerate(missing):
                self.cache[index[i]] = (values[j].item(), values[M + j].item())
        chosen = [self.cache[k][0] for k in index]
        rejected = [self.cache[k][1] for k in index]
        return torch.tensor(chosen + rejected, device=batch["input_ids"].device)

    def _score_reference(self, model: nn.Module, batch: dict) -> torch.Tensor:
        if self.reference is not None:
            return sequence_logprobs(self.reference, batch)
        from lmforge.train.lora import adapters_disabled

        if getattr(model, "lora_config", None) is None:
            raise ValueError("DPO needs a reference model, or a LoRA model whose adapters "
                             "can be disabled")
        with adapters_disabled(model):
            return sequence_logprobs(model, batch)

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["input_ids"].numel()

    def training_state(self) -> dict:
        keys = sorted(self.cache)
        return {**super().training_state(),
                "ref_index": torch.tensor(keys, dtype=torch.long),
                "ref_logp": torch.tensor([self.cache[k] for k in keys], dtype=torch.float64)}

    def load_training_state(self, state: dict) -> None:
        super().load_training_state(state)
        if "ref_index" in state:
            values = state["ref_logp"].tolist()
            self.cache = {int(k): tuple(v) for k, v in zip(state["ref_index"].tolist(), values,
                                                          strict=True)}
