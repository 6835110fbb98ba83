"""Distillation: the loss on hand-computed cases, and a small student moving towards its
teacher's distributions through the one Trainer."""

import math

import pytest
import torch
import torch.nn.functional as F
from finetune_helpers import tiny_llama

from lmforge.errors import ConfigError
from lmforge.train.objectives.distill import Distill, distillation_loss


def test_distillation_loss_by_hand():
    student = torch.tensor([[0.0, 0.0]])
    teacher = torch.tensor([[math.log(3.0), 0.0]])  # p_teacher = (3/4, 1/4) at T = 1
    labels = torch.tensor([0])
    loss, soft, hard = distillation_loss(student, teacher, labels, temperature=1.0, alpha=1.0)
    kl = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    assert soft.item() == pytest.approx(kl, abs=1e-6) and loss.item() == pytest.approx(kl)
    assert hard.item() == pytest.approx(math.log(2), abs=1e-6)
    # T = 2 softens the teacher to (sqrt 3, 1) / (sqrt 3 + 1) and scales the term by T^2
    loss, soft, _ = distillation_loss(student, teacher, labels, temperature=2.0, alpha=0.5)
    p = math.sqrt(3) / (math.sqrt(3) + 1)
    kl2 = p * math.log(p / 0.5) + (1 - p) * math.log((1 - p) / 0.5)
    assert soft.item() == pytest.approx(kl2, abs=1e-6)
    assert loss.item() == pytest.approx(0.5 * 4 * kl2 + 0.5 * math.log(2), abs=1e-6)


def test_ignored_labels_are_skipped_and_equal_models_have_zero_kl():
    logits = torch.randn(5, 11)
    labels = torch.tensor([1, -100, 3, -100, 4])
    _, soft, hard = distillation_loss(logits, logits, labels, 2.0, 0.5)
    assert soft.item() == pytest.approx(0, abs=1e-6)
    expected = F.cross_entropy(logits[[0, 2, 4]], labels[[0, 2, 4]])
    assert hard.item() == pytest.approx(expected.item(), abs=1e-6)


def test_student_moves_towards_the_teacher():
    torch.manual_seed(0)
    teacher = tiny_llama(64, seed=1, layers=2)
    student = tiny_llama(64, seed=2, layers=1)
    objective = Distill(teacher, temperature=2.0, alpha=1.0)
    objective.check_student(student)
    optimizer = torch.optim.AdamW(student.parameters(), lr=1e-2)
    x = torch.randint(0, 64, (8, 16))
    batch = objective.batch((x, torch.roll(x, -1, 1)))
    kls = []
    for _ in range(40):
        loss, metrics = objective.loss(student, batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        kls.append(metrics["soft_kl"].item())
    assert kls[-1] < 0.5 * kls[0], kls[::10]
    assert not any(p.requires_grad for p in objective.teacher.parameters())
    assert objective.trainable_state() == {}


def test_bad_distillation_settings():
    with pytest.raises(ConfigError, match="temperature must be > 0"):
        Distill(tiny_llama(64), temperature=0)
    with pytest.raises(ConfigError, match="student vocabulary 80 != teacher vocabulary 64"):
        Distill(tiny_llama(64)).check_student(tiny_llama(80))
