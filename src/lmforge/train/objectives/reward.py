"""Reward model: a scalar score for (prompt, reply), trained on preference pairs.

A linear head reads the decoder's last hidden state at the reply's final token (after the
end-of-turn marker the whole conversation is in view). Trained with the Bradley-Terry
model of preferences (Ouyang et al. 2022, InstructGPT sec. 3.5):

    P(chosen > rejected) = sigmoid(r_chosen - r_rejected)
    loss = -log sigmoid(r_chosen - r_rejected)

Logged: accuracy (share of pairs with r_chosen > r_rejected; 0.5 is chance) and
reward_margin (mean r_chosen - r_rejected). The head is this objective's parameter, so the
Trainer optimises and checkpoints it with the model; `train/reward_model.py` saves and
loads the finished reward model.

Test: `pytest tests/train/test_reward.py`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.data.preference import collate_pairs
from lmforge.train.objectives import Objective, RunParts, pad_id_of


class RewardHead(nn.Module):
    """hidden (..., C) -> score (...,): one linear unit (small init, as TRL's score head)."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.score = nn.Linear(hidden_size, 1)
        nn.init.normal_(self.score.weight, std=1 / (hidden_size + 1) ** 0.5)
        nn.init.zeros_(self.score.bias)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.score(hidden.to(self.score.weight.dtype)).squeeze(-1)


def last_token_scores(model: nn.Module, head: RewardHead, batch: dict) -> torch.Tensor:
    """(rows,) scores: the head on each row's last real token."""
    hidden = model(batch["input_ids"], positions=batch["positions"],
                   attention_mask=batch["attention_mask"])  # (R, T, C)
    rows = torch.arange(hidden.shape[0], device=hidden.device)
    return head(hidden[rows, batch["last"]])  # (R,)


def bradley_terry(chosen: torch.Tensor, rejected: torch.Tensor) -> tuple[torch.Tensor, dict]:
    loss = -F.logsigmoid(chosen - rejected).mean()
    return loss, {"accuracy": (chosen > rejected).float().mean().detach(),
                  "reward_margin": (chosen - rejected).mean().detach()}


class RewardObjective(Objective):
    name = "reward"
    reports_perplexity = False

    def __init__(self, hidden_size: int, pad_id: int = 0, seed: int = 0,
                 head: RewardHead | None = None) -> None:
        super().__init__(seed)
        self.pad_id = pad_id
        self.head = head if head is not None else RewardHead(hidden_size)

    @classmethod
    def from_settings(cls, settings, parts: RunParts) -> "RewardObjective":
        """A new score head as wide as the policy's hidden states."""
        return cls(parts.model.config.hidden_size, pad_id=pad_id_of(parts.tokenizer),
                   seed=parts.seed)

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        return collate_pairs(raw, self.pad_id)

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        B = batch["pair_index"].shape[0]
        scores = last_token_scores(model, self.head, batch)  # (2B,)
        return bradley_terry(scores[:B], scores[B:])
