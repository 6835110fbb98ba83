"""Lesson 6: the sinusoidal table is the paper's formula, and RoPE's scores (the model's own
rotation) depend only on the distance between query and key."""

import math

import pytest
import torch

from lmforge.errors import ConfigError
from lmforge.learn.positions import positions_lesson


def test_sinusoidal_table_is_the_formula(decoder):
    shown = positions_lesson(decoder.config, n_positions=20)["sinusoidal"]
    table, d = torch.tensor(shown["table"]), shown["dim"]
    for pos, i in ((0, 0), (3, 1), (7, 10), (19, 31)):
        angle = pos / 10000 ** (2 * i / d)
        assert table[pos, 2 * i].item() == pytest.approx(math.sin(angle), abs=1e-4)
        assert table[pos, 2 * i + 1].item() == pytest.approx(math.cos(angle), abs=1e-4)


def test_rope_scores_depend_only_on_distance(decoder):
    rope = positions_lesson(decoder.config, n_positions=48)["rope"]
    near, far = torch.tensor(rope["score_near"]), torch.tensor(rope["score_far"])
    assert torch.allclose(near, far, atol=2e-3)  # (d, 0) scores as (FAR + d, FAR)
    assert near.std() > 0.1  # and the score does change with the distance
    same = torch.tensor(rope["score_same"])
    d = rope["head_dim"]
    assert same[0].item() == pytest.approx(math.sqrt(d), abs=1e-3)  # q = k = 1: |q|^2 / sqrt(d)
    assert same[1:].abs().max() < same[0]  # rotated apart, the same vectors score less
    fastest = rope["pairs"][0]
    assert fastest["channel"] == 0 and fastest["angles"][:3] == [0.0, 1.0, 2.0]
    assert fastest["wavelength"] == pytest.approx(2 * math.pi)


def test_bad_length(decoder):
    with pytest.raises(ConfigError, match="n_positions=1 is invalid"):
        positions_lesson(decoder.config, n_positions=1)
