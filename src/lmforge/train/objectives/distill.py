"""Knowledge distillation (Hinton et al. 2015): a small student learns the teacher's
next-token distributions, not just the one token the text happened to contain.

    L = alpha * T^2 * KL(softmax(z_teacher / T) || softmax(z_student / T))
        + (1 - alpha) * CE(z_student, next token)

A temperature T > 1 softens both distributions, so the student also learns which wrong
tokens the teacher finds plausible ("dark knowledge"); the T^2 keeps the soft term's
gradients on the scale of the hard one's. The teacher is frozen and runs on the fly, on
the same batch (no cache to go stale). Teacher and student must share a vocabulary.
Test: `pytest tests/train/test_distill.py`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.errors import ConfigError
from lmforge.train.objectives import IGNORE_INDEX, Objective


def distillation_loss(student_logits: torch.Tensor, teacher_logits: torch.Tensor,
                      labels: torch.Tensor, temperature: float, alpha: float
                      ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """(N, V) logits and (N,) labels -> (loss, soft KL term, hard CE term)."""
    keep = labels != IGNORE_INDEX
    student, teacher = student_logits[keep].float(), teacher_logits[keep].float()
    log_p_student = F.log_softmax(student / temperature, dim=-1)
    log_p_teacher = F.log_softmax(teacher / temperature, dim=-1)
    # KL(teacher || student) = sum p_t (log p_t - log p_s), mean over tokens
    soft = (log_p_teacher.exp() * (log_p_teacher - log_p_student)).sum(-1).mean()
    hard = F.cross_entropy(student, labels[keep])
    return alpha * temperature**2 * soft + (1 - alpha) * hard, soft, hard


class Distill(Objective):
    name = "distill"
    reports_perplexity = False  # the loss mixes two terms; `hard_loss` is the per-token NLL

    def __init__(self, teacher: nn.Module, temperature: float = 2.0, alpha: float = 0.5,
                 seed: int = 0) -> None:
        super().__init__(seed)
        if temperature <= 0:
            raise ConfigError(f"distillation temperature must be > 0, got {temperature}")
        if not 0 <= alpha <= 1:
            raise ConfigError(f"distillation alpha must be in [0, 1], got {alpha}")
        self.teacher = teacher.requires_grad_(False).eval()
        self.temperature, self.alpha = temperature, alpha

    @classmethod
    def from_settings(cls, settings, parts) -> "Distill":
        raise ConfigError("distill trains a new student from a teacher: run `lmforge distill`")

    def check_student(self, student: nn.Module) -> None:
        ours, theirs = student.config.vocab_size, self.teacher.config.vocab_size
        if ours != theirs:
            raise ConfigError(f"student vocabulary {ours} != teacher vocabulary {theirs}: "
                              "distillation compares distributions over the same tokens")

    def batch(self, raw, train: bool = True) -> dict[str, torch.Tensor]:
        x, y = raw  # (B, T) inputs and next-token targets, as causal LM
        return {"input_ids": x, "labels": y}

    def loss(self, model: nn.Module, batch: dict) -> tuple[torch.Tensor, dict]:
        with torch.no_grad():
            self.teacher.eval()
            teacher_logits = self.teacher.logits(self.teacher(batch["input_ids"]))  # (B, T, V)
        student_logits = model.logits(model(batch["input_ids"]))  # (B, T, V)
        loss, soft, hard = distillation_loss(
            student_logits.flatten(0, 1), teacher_logits.flatten(0, 1),
            batch["labels"].flatten(), self.temperature, self.alpha)
        return loss, {"soft_kl": soft.detach(), "hard_loss": hard.detach()}

    def trainable_state(self) -> dict[str, torch.Tensor]:
        return {}  # the teacher is frozen and rebuilt by whoever builds the objective
