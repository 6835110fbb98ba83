"""PPO: GAE against a textbook loop, whitening, explained variance, tokenizer check, and a
tiny actor-critic that raises a reward model's score through the one Trainer."""

import copy

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from train_helpers import tiny_settings

from lmforge.errors import ConfigError
from lmforge.train.objectives.grpo import RolloutLoader
from lmforge.train.objectives.ppo import PPO, check_same_tokenizer, explained_variance, gae, whiten
from lmforge.train.trainer import Trainer


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny models run fastest on one thread (more only add contention on a shared CPU)."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def reference_gae(rewards: list[float], values: list[float], gamma: float, lam: float):
    """Schulman et al. 2016, eq. 16, one episode: A_t = sum_l (gamma lam)^l delta_{t+l}."""
    T = len(rewards)
    deltas = [rewards[t] + gamma * (values[t + 1] if t + 1 < T else 0.0) - values[t]
              for t in range(T)]
    return [sum((gamma * lam) ** (k - t) * deltas[k] for k in range(t, T)) for t in range(T)]


def test_gae_equals_the_reference_on_padded_rows():
    torch.manual_seed(0)
    rewards, values = torch.randn(3, 7), torch.randn(3, 7)
    mask = torch.zeros(3, 7, dtype=torch.bool)
    spans = [(2, 6), (0, 7), (3, 4)]  # prompt positions before, padding after
    for row, (start, end) in enumerate(spans):
        mask[row, start:end] = True
    got = gae(rewards, values, mask, gamma=0.9, lam=0.8)
    for row, (start, end) in enumerate(spans):
        expected = reference_gae(rewards[row, start:end].tolist(),
                                 values[row, start:end].tolist(), 0.9, 0.8)
        assert torch.allclose(got[row, start:end], torch.tensor(expected), atol=1e-5)
        assert (got[row, :start] == 0).all() and (got[row, end:] == 0).all()


def test_whiten_and_explained_variance():
    x = torch.tensor([[1.0, 2.0, 3.0, 100.0]])
    mask = torch.tensor([[True, True, True, False]])
    w = whiten(x, mask)
    assert torch.allclose(w[0, :3], torch.tensor([-1.2247, 0.0, 1.2247]), atol=1e-4)
    assert w[0, 3] == 0
    returns = torch.tensor([[1.0, 2.0, 3.0, 4.0]])
    full = torch.ones(1, 4, dtype=torch.bool)
    assert explained_variance(returns, returns, full).item() == pytest.approx(1.0)
    mean = torch.full((1, 4), 2.5)
    assert explained_variance(mean, returns, full).item() == pytest.approx(0.0, abs=1e-6)


def test_a_reward_model_with_another_tokenizer_is_an_error():
    from lmforge.tokenizer.tokenizer import Tokenizer
    from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer

    other = Tokenizer(train_tokenizer(["a different corpus, a different vocabulary"] * 5,
                                      TokenizerTrainSettings(kind="bpe", vocab_size=280)),
                      eos_token="<|endoftext|>")
    check_same_tokenizer(chat_tokenizer(), chat_tokenizer())
    with pytest.raises(ConfigError, match="reward model's tokenizer differs from the policy"):
        check_same_tokenizer(chat_tokenizer(), other)


def share_of_e(prompts, replies):
    """A stand-in reward model: the share of 'e' in the reply."""
    return [r.count("e") / max(len(r), 1) for r in replies]


def test_ppo_raises_the_reward_and_keeps_kl_bounded(tmp_path):
    tok = chat_tokenizer()
    model = tiny_llama(tok.vocab_size, seed=5)
    reference = copy.deepcopy(model)
    prompts = [{"prompt": p} for p in ("add two numbers", "reverse a word", "count letters",
                                       "what is larger", "say hello", "pick one")]
    objective = PPO(prompts, share_of_e, tok, model.config.hidden_size, reference=reference,
                    rollout_size=6, epochs=2, max_new_tokens=6, kl_coef=0.02, vf_coef=0.5)
    settings = tiny_settings(tmp_path, max_steps=20, lr=5e-2, min_lr=5e-2, warmup_steps=0)
    trainer = Trainer(model, objective, RolloutLoader(objective), settings, tokenizer=tok)
    trainer.fit()
    rewards = [h["reward"] for h in objective.history]
    assert len(rewards) == 10  # 20 steps, 2 epochs per rollout batch
    assert sum(rewards[-3:]) / 3 > sum(rewards[:3]) / 3 + 0.06, rewards
    logged = trainer.history[-1]
    assert {"reward", "kl", "entropy", "value_loss", "explained_variance"} <= set(logged)
    assert all(abs(h["kl"]) < 20 for h in objective.history)
    # the value head trained (it starts at zero) and is saved with the objective
    assert objective.value_head.value.weight.abs().sum() > 0
    assert "value_head.value.weight" in objective.trainable_state()
