"""Lesson 10: a GRPO group sampled by the rollout code, scored by the verifier, and its
advantages as the GRPO objective computes them; a recorded run replayed from its CSV."""

import pytest
import tokenizers
import torch
from learn_helpers import TRAP, bigram_model

from lmforge.errors import ConfigError, DataError
from lmforge.learn import lesson_engine
from lmforge.learn.rlhf import grpo_group, replay_run
from lmforge.tokenizer.tokenizer import Tokenizer

# the trap model's tokens as words: START -> 1 (0.6) or 2 (0.4), each -> ok / no -> <eos>
NUMBERS = ["<eos>", "START", "1", "2", "ok", "no", "no2", "no3"]


@pytest.fixture
def numbers_engine():
    backend = tokenizers.Tokenizer(tokenizers.models.WordLevel(
        {w: i for i, w in enumerate(NUMBERS)}, unk_token="<eos>"))
    backend.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    return lesson_engine(bigram_model(TRAP), Tokenizer(backend, eos_token="<eos>"))


def test_a_group_is_scored_and_normalised(numbers_engine):
    shown = grpo_group(numbers_engine, "START", "2", group_size=8, max_tokens=4, seed=1)
    rewards = torch.tensor([s["reward"] for s in shown["samples"]])
    assert [s["reward"] for s in shown["samples"]] == [  # the verifier reads the last number
        float(s["text"].startswith("2")) for s in shown["samples"]]
    assert 0 < rewards.mean() < 1 and not shown["uniform"]  # a mixed group teaches
    expected = (rewards - rewards.mean()) / (rewards.std() + 1e-4)
    advantages = torch.tensor([s["advantage"] for s in shown["samples"]])
    assert torch.allclose(advantages, expected, atol=1e-6)
    assert shown["mean_reward"] == pytest.approx(rewards.mean().item())


def test_a_uniform_group_teaches_nothing(numbers_engine):
    shown = grpo_group(numbers_engine, "START", "3", group_size=4, max_tokens=4)
    assert shown["uniform"] and all(s["advantage"] == 0 for s in shown["samples"])


def test_bad_group_and_replay(trap_engine, tmp_path):
    with pytest.raises(ConfigError, match="group_size=1 is invalid"):
        grpo_group(trap_engine, "START", "B C", group_size=1)
    with pytest.raises(DataError, match="has no metrics"):
        replay_run(tmp_path)
    (tmp_path / "metrics.csv").write_text("step,reward,kl,note\n1,0.25,,a\n2,0.5,0.01,b\n")
    run = replay_run(tmp_path)
    assert run["steps"] == 2 and run["columns"] == {
        "step": [1.0, 2.0], "reward": [0.25, 0.5], "kl": [None, 0.01]}
