"""Lesson 10, live: one GRPO step by `lmforge grpo`'s own objective and Trainer; the shown
advantages are the group-normalised rewards, and the step moves the LoRA weights."""

import statistics

import pytest
import tokenizers
import torch

from lmforge.errors import ConfigError
from lmforge.io.hf_checkpoint import save_hf_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.learn.grpo_step import grpo_step
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.tokenizer import Tokenizer

# A random model over eight words, two of them numbers: a one-token reply is "1" about one
# time in eight, so most groups of six hold right and wrong replies
WORDS = ["<eos>", "START", "1", "2", "C", "D", "E", "F"]
TASKS = [{"prompt": "one", "answer": "1"}, {"prompt": "uno", "answer": "1"}]


@pytest.fixture(scope="module")
def coin(tmp_path_factory):
    backend = tokenizers.Tokenizer(tokenizers.models.WordLevel(
        {w: i for i, w in enumerate(WORDS)}, unk_token="<eos>"))
    backend.pre_tokenizer = tokenizers.pre_tokenizers.WhitespaceSplit()
    config = ModelConfig(vocab_size=len(WORDS), hidden_size=32, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, intermediate_size=64,
                         max_position_embeddings=64)
    torch.manual_seed(2)  # a model whose sampled groups (seed 0) hold a right reply
    model = Transformer(config)
    model.init_weights(std=0.2)
    path = tmp_path_factory.mktemp("coin")
    save_hf_folder(model, path)
    save_hf_tokenizer(Tokenizer(backend, eos_token="<eos>"), path)
    return path


def hand_advantages(rewards: list[float]) -> list[float]:
    """(r - mean) / (sample std + 1e-4), 0 for a group whose rewards are all equal."""
    mean, std = statistics.mean(rewards), statistics.stdev(rewards)
    return [0.0 if std == 0 else (r - mean) / (std + 1e-4) for r in rewards]


def test_one_step_shows_rewards_advantages_and_moves_the_weights(coin):
    shown = grpo_step(str(coin), TASKS, group_size=6, max_tokens=1, rank=4, lr=1e-2)
    assert sorted(p["prompt"] for p in shown["prompts"]) == ["one", "uno"]
    samples = [s for p in shown["prompts"] for s in p["samples"]]
    for prompt in shown["prompts"]:
        rewards = [s["reward"] for s in prompt["samples"]]
        assert [s["advantage"] for s in prompt["samples"]] == pytest.approx(
            hand_advantages(rewards), abs=1e-6)
    learning = [s for s in samples if s["advantage"] != 0]
    assert learning  # seeded: a group with right and wrong replies
    assert shown["update_norm"] > 0 and shown["trainable"] > 0
    assert shown["kl_before"] == pytest.approx(0, abs=1e-6)  # the policy is the reference
    assert shown["kl_after"] > 0 and shown["clip_fraction"] == 0
    # the update pushes replies with a positive advantage up, the others down
    up = [s["logp_after"] - s["logp_before"] for s in learning if s["advantage"] > 0]
    down = [s["logp_after"] - s["logp_before"] for s in learning if s["advantage"] < 0]
    assert statistics.mean(up) > 0 > statistics.mean(down)


def test_bad_groups_name_the_problem(coin):
    with pytest.raises(ConfigError, match="group_size=1 is invalid"):
        grpo_step(str(coin), TASKS, group_size=1)
    with pytest.raises(ConfigError, match="needs a prompt and its answer"):
        grpo_step(str(coin), [{"prompt": "x", "answer": " "}])
