"""Lesson 6, positions: attention alone cannot tell "dog bites man" from "man bites dog".

Self-attention compares every pair of tokens, whatever their order, so the position must be
put in. Two ways, computed here by the model's own code (model/positions.py):

- sinusoidal (Vaswani et al. 2017): add to each embedding a vector of sin/cos waves whose
  wavelengths grow geometrically along the channels: fast waves tell near positions apart,
  slow ones far ones (`sinusoidal_table`).
- RoPE (Su et al. 2021, Llama, SmolLM2): rotate each pair of query/key channels by the angle
  position x theta^(-2i/d) (`RotaryEmbedding`, `apply_rope`). A rotation by m then by -n
  leaves m - n, so the score q_m . k_n depends only on the distance: the same pair of
  vectors gives the same score at positions (5, 0) and (105, 100).

    positions_lesson(lm.model.config, n_positions=64)
      -> {"sinusoidal": {"dim", "table": (n, dim)}, "rope": {"head_dim", "theta",
          "pairs": [{"channel", "wavelength", "angles": [per position]}],
          "distance": [...], "score_near": [...], "score_far": [...], "score_same": [...]}}

Test: `pytest tests/learn/test_positions.py`.
"""

import math

import torch

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.positions import RotaryEmbedding, apply_rope, sinusoidal_table

MAX_POSITIONS = 256
TABLE_DIM = 64  # channels of the sinusoidal table shown (a model's full width is unreadable)
FAR = 100  # the second query position of the distance curve
DIGITS = 4


def positions_lesson(config: ModelConfig, n_positions: int = 64, seed: int = 0) -> dict:
    """The sinusoidal table and, for the model's head size and theta, RoPE's rotations and
    how a query-key score changes with distance (module docstring)."""
    if isinstance(n_positions, bool) or not isinstance(n_positions, int) or not (
            2 <= n_positions <= MAX_POSITIONS):
        raise ConfigError(f"n_positions={n_positions!r} is invalid: must be in "
                          f"2..{MAX_POSITIONS}")
    table = sinusoidal_table(n_positions, TABLE_DIM)  # (n, TABLE_DIM)
    return {"model_position": config.position,
            "sinusoidal": {"dim": TABLE_DIM, "table": _rounded(table)},
            "rope": rope_view(config, n_positions, seed)}


def rope_view(config: ModelConfig, n_positions: int, seed: int) -> dict:
    """RoPE with this model's head_dim and theta (also for a model that does not use it)."""
    rotary = RotaryEmbedding(config)
    d = config.head_dim
    positions = torch.arange(n_positions)
    angles = positions[:, None].float() * rotary.inv_freq  # (n, d/2) the angle of each pair
    shown = sorted({0, d // 8, d // 4, d // 2 - 1})  # fast to slow channel pairs
    pairs = [{"channel": i, "wavelength": 2 * math.pi / rotary.inv_freq[i].item(),
              "angles": _rounded(angles[:, i])} for i in shown]
    generator = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, d, generator=generator)  # one query and one key vector
    distance = torch.arange(n_positions)
    return {"head_dim": d, "theta": config.rope_theta, "pairs": pairs,
            "distance": distance.tolist(),
            "score_near": _rounded(_scores(rotary, q, k, distance, 0)),
            "score_far": _rounded(_scores(rotary, q, k, distance, FAR)),
            "score_same": _rounded(_scores(rotary, torch.ones(d), torch.ones(d), distance, 0))}


def _scores(rotary: RotaryEmbedding, q: torch.Tensor, k: torch.Tensor,
            distance: torch.Tensor, start: int) -> torch.Tensor:
    """q at position start + distance . k at position start, for each distance."""
    d = q.numel()
    q_pos = (start + distance)[None]  # (1, n)
    k_pos = torch.full_like(q_pos, start)
    q_cos, q_sin = rotary(q_pos)  # (1, 1, n, d)
    k_cos, k_sin = rotary(k_pos)
    q_rot = apply_rope(q.expand(1, 1, len(distance), d).contiguous(), q_cos, q_sin)
    k_rot = apply_rope(k.expand(1, 1, len(distance), d).contiguous(), k_cos, k_sin)  # (1,1,n,d)
    return (q_rot * k_rot).sum(-1)[0, 0] / math.sqrt(d)  # scaled as attention scales them


def _rounded(t: torch.Tensor) -> list:
    return torch.round(t.float(), decimals=DIGITS).tolist()
