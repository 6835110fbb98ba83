"""GRPO: advantages, clipped loss, k3 KL on hand-computed cases; rollouts on current weights;
a tiny policy learns a verifiable reward through the one Trainer."""

import copy
import math

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from train_helpers import tiny_settings

from lmforge.errors import ConfigError
from lmforge.infer.engine import Engine
from lmforge.infer.params import SamplingParams
from lmforge.train.lora import LoRASettings, apply_lora
from lmforge.train.objectives.grpo import (
    GRPO,
    RolloutLoader,
    clipped_policy_loss,
    group_advantages,
    kl_k3,
)
from lmforge.train.trainer import Trainer
from lmforge.verify.base import Verdict, Verifier


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models run fastest on one thread (more only add contention on a shared CPU)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def test_group_advantages_by_hand_and_zero_std_groups():
    rewards = torch.tensor([[1.0, 0.0, 0.0, 1.0], [1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0],
                            [2.0, 0.0, 1.0, 1.0]])
    adv = group_advantages(rewards, eps=0.0)
    s = math.sqrt(1 / 3)  # unbiased std of (1, 0, 0, 1)
    assert torch.allclose(adv[0], torch.tensor([0.5, -0.5, -0.5, 0.5]) / s)
    assert torch.equal(adv[1], torch.zeros(4)) and torch.equal(adv[2], torch.zeros(4))
    s = math.sqrt(2 / 3)  # (2, 0, 1, 1): mean 1, squared deviations 1+1+0+0 over 3
    assert torch.allclose(adv[3], torch.tensor([1.0, -1.0, 0.0, 0.0]) / s)


def test_kl_k3_by_hand():
    logp = torch.log(torch.tensor([0.5, 0.25, 0.3]))
    ref = torch.log(torch.tensor([0.25, 0.5, 0.3]))
    kl = kl_k3(logp, ref)
    # exp(d) - d - 1 with d = log(ref / p)
    expected = [0.5 - math.log(0.5) - 1, 2 - math.log(2) - 1, 0.0]
    assert torch.allclose(kl, torch.tensor(expected), atol=1e-6)
    assert (kl >= 0).all()


def test_clipped_policy_loss_by_hand():
    old = torch.zeros(4)
    logp = torch.log(torch.tensor([1.5, 0.5, 0.5, 1.1]))  # ratios 1.5, 0.5, 0.5, 1.1
    adv = torch.tensor([1.0, 1.0, -1.0, -1.0])
    loss, clipped = clipped_policy_loss(logp, old, adv, clip_eps=0.2)
    # A>0, r=1.5: min(1.5, 1.2) = 1.2 (clipped); A>0, r=0.5: min(0.5, 0.8) = 0.5;
    # A<0, r=0.5: min(-0.5, -0.8) = -0.8 (clipped); A<0, r=1.1: inside the range, -1.1
    assert torch.allclose(loss, torch.tensor([-1.2, -0.5, 0.8, 1.1]), atol=1e-6)
    assert clipped.tolist() == [1.0, 0.0, 1.0, 0.0]


class LetterShare(Verifier):
    """Reward: the share of the completion's characters that are 'e' (learnable by a toy)."""

    name = "letter_share"

    def __call__(self, completion, task):
        return Verdict(completion.count("e") / max(len(completion), 1), "share of e")


def make_grpo(model, tok, **changes):
    tasks = [{"prompt": p} for p in ("add two numbers", "reverse a word", "count letters",
                                     "what is larger")]
    options = dict(group_size=8, prompts_per_rollout=4, max_new_tokens=8, beta=0.0, seed=0)
    return GRPO(tasks, LetterShare(), tok, **{**options, **changes})


def test_grpo_raises_the_reward_of_a_tiny_policy(tmp_path):
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=2)
    objective = make_grpo(model, tok, updates_per_rollout=2, group_size=6, max_new_tokens=6)
    settings = tiny_settings(tmp_path, max_steps=12, lr=5e-2, min_lr=5e-2, warmup_steps=0)
    trainer = Trainer(model, objective, RolloutLoader(objective), settings, tokenizer=tok)
    trainer.fit()
    rewards = [h["reward"] for h in objective.history]
    assert len(rewards) == 6  # 12 steps, 2 updates per rollout batch
    assert sum(rewards[-2:]) / 2 > sum(rewards[:2]) / 2 + 0.06, rewards
    logged = trainer.history[-1]
    assert {"reward", "accuracy", "best_of_group", "clip_fraction", "completion_len"} <= set(logged)


def test_rollouts_sample_the_updated_weights(tmp_path):
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=2)
    objective = make_grpo(model, tok)
    greedy = SamplingParams(max_tokens=8, temperature=0)
    prompt = objective.prompt_ids(objective.tasks[0])
    objective.rollout(model, 1)  # builds the Engine once, on this model
    engine = objective.engine
    before = engine.generate([prompt], greedy)[0].token_ids
    settings = tiny_settings(tmp_path, max_steps=4, lr=5e-2, min_lr=5e-2, warmup_steps=0)
    Trainer(model, objective, RolloutLoader(objective), settings, tokenizer=tok).fit()
    assert objective.engine is engine  # not rebuilt
    engine.reset_prefix_cache()
    after = engine.generate([prompt], greedy)[0].token_ids
    fresh = Engine(copy.deepcopy(model), tok).generate([prompt], greedy)[0].token_ids
    assert after == fresh and after != before


def test_lora_reference_is_the_base_and_first_update_is_on_policy():
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=3)
    apply_lora(model, LoRASettings(rank=4, alpha=8))
    objective = make_grpo(model, tok, beta=0.1, updates_per_rollout=2)  # keeps pi_old
    batches = objective.rollout(model, 1)
    batch = next(b for b in batches if b["input_ids"].shape[0])
    # B = 0 at the start: the policy is its base, so old == ref and the KL is zero
    assert torch.allclose(batch["old_logp"], batch["ref_logp"], atol=1e-6)
    loss, metrics = objective.loss(model.train(), batch)
    assert metrics["kl"].item() == pytest.approx(0, abs=1e-6)
    assert metrics["clip_fraction"].item() == 0
    loss.backward()
    lora_b = [p for n, p in model.named_parameters() if n.endswith("lora_B.weight")]
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in lora_b)


def test_bad_settings_are_clear_errors():
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size)
    with pytest.raises(ConfigError, match="group_size >= 2"):
        make_grpo(model, tok, group_size=1)
    objective = make_grpo(model, tok, beta=0.1)  # no reference, no LoRA
    with pytest.raises(ConfigError, match="needs a reference model"):
        objective.rollout(model, 1)
