"""Reward model: Bradley-Terry by hand, training lifts held-out pairwise accuracy, and the
saved model scores the same after loading."""

import math

import pytest
import torch
from finetune_helpers import chat_tokenizer, tiny_llama
from train_helpers import tiny_settings

from lmforge.data.preference import encode_pair
from lmforge.data.records import RecordLoader
from lmforge.data.synthetic import preferences
from lmforge.train.objectives import build_objective
from lmforge.train.objectives.reward import bradley_terry, last_token_scores
from lmforge.train.trainer import Trainer


def test_bradley_terry_by_hand():
    loss, m = bradley_terry(torch.tensor([2.0, 0.0]), torch.tensor([1.0, 1.0]))
    expected = (math.log(1 + math.exp(-1.0)) + math.log(1 + math.exp(1.0))) / 2
    assert loss.item() == pytest.approx(expected)
    assert m["accuracy"].item() == 0.5 and m["reward_margin"].item() == pytest.approx(0.0)


def concise_pairs(n: int, seed: int, offset: int):
    """Pairs whose chosen reply is the concise one (a rule a 2-layer model can learn)."""
    records = [r for r in preferences.generate(2 * n, seed)
               if len(r["chosen"]) < len(r["rejected"])][:n]
    return records, [encode_pair(chat_tokenizer(), r, offset + i, 128)
                     for i, r in enumerate(records)]


def test_reward_model_learns_and_round_trips(tmp_path):
    from lmforge.io.hf_checkpoint import save_hf_folder
    from lmforge.io.hf_tokenizer import save_hf_tokenizer
    from lmforge.train.reward_model import RewardModel, save_reward_head

    tok = chat_tokenizer()
    settings = tiny_settings(tmp_path, lr=1e-2, min_lr=1e-3, max_steps=20, batch_size=8,
                             block_size=128, eval_every=20, log_every=10)
    model = tiny_llama(tok.vocab_size)
    objective = build_objective("reward", hidden_size=32, pad_id=tok.pad_id)
    held_records, held = concise_pairs(32, seed=3, offset=1000)
    trainer = Trainer(model, objective, RecordLoader(concise_pairs(64, 0, 0)[1], 8, 0),
                      settings, RecordLoader(held, 8, 0, evaluation=True), tok)
    before = trainer.evaluate()["val_accuracy"]
    final = trainer.fit()
    assert final["val_accuracy"] >= 0.85 and final["val_accuracy"] > before + 0.3, (before,
                                                                                  final)
    save_hf_folder(model, tmp_path / "rm")
    save_hf_tokenizer(tok, tmp_path / "rm")
    save_reward_head(objective.head, tmp_path / "rm")
    loaded = RewardModel.load(tmp_path / "rm")
    model.eval()
    with torch.no_grad():
        direct = last_token_scores(model, objective.head, objective.batch(held[:1]))
    record = held_records[0]
    assert loaded.score(record["prompt"], record["chosen"]) == pytest.approx(direct[0].item(),
                                                                            abs=1e-4)
    assert loaded.score(record["prompt"], record["rejected"]) == pytest.approx(
        direct[1].item(), abs=1e-4)
