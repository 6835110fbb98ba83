"""DPO: the loss equals a hand computation, reference log-probs are computed once, the
LoRA reference is the base with adapters off, training raises held-out accuracy, resume."""

import math

import pytest
import torch
from finetune_helpers import chat_tokenizer, preference_examples, tiny_llama
from train_helpers import tiny_settings

from lmforge.data.records import RecordLoader
from lmforge.train.lora import LoRASettings, apply_lora
from lmforge.train.objectives import build_objective
from lmforge.train.objectives.dpo import preference_loss, sequence_logprobs
from lmforge.train.trainer import Trainer


def test_dpo_and_ipo_losses_by_hand():
    pc, pr = torch.tensor([-4.0, -6.0]), torch.tensor([-5.0, -5.0])
    rc, rr = torch.tensor([-4.5, -5.0]), torch.tensor([-5.5, -6.0])
    loss, m = preference_loss(pc, pr, rc, rr, beta=0.5)
    # pair 1: h = (0.5) - (0.5) = 0;  pair 2: h = (-1) - (1) = -2
    expected = (-math.log(1 / (1 + math.exp(-0.0))) - math.log(1 / (1 + math.exp(1.0)))) / 2
    assert loss.item() == pytest.approx(expected)
    assert m["reward_chosen"].item() == pytest.approx((0.25 - 0.5) / 2)
    assert m["reward_rejected"].item() == pytest.approx((0.25 + 0.5) / 2)
    assert m["reward_margin"].item() == pytest.approx((0 - 1.0) / 2)
    assert m["accuracy"].item() == 0.0  # pair 1 ties, pair 2 prefers the rejected reply
    ipo, _ = preference_loss(pc, pr, rc, rr, beta=0.5, loss_type="ipo")
    assert ipo.item() == pytest.approx(((0 - 1) ** 2 + (-2 - 1) ** 2) / 2)


def test_sequence_logprobs_sum_reply_tokens_only():
    model = tiny_llama(chat_tokenizer().vocab_size).eval()
    objective = build_objective("dpo", pad_id=0, reference=tiny_llama(400))
    batch = objective.batch(preference_examples(2))
    got = sequence_logprobs(model, batch)
    with torch.no_grad():
        logp = model.logits(model(batch["input_ids"], positions=batch["positions"],
                                  attention_mask=batch["attention_mask"])).log_softmax(-1)
    labels = batch["labels"]
    for row in range(4):
        where = (labels[row] != -100).nonzero().squeeze(1)
        expected = logp[row, where, labels[row, where]].sum()
        torch.testing.assert_close(got[row], expected, atol=1e-4, rtol=1e-5)


def dpo_trainer(out_dir, lora: bool = True, train_pairs: int = 16, val_pairs: int = 8,
                **changes):
    tok = chat_tokenizer()
    settings = tiny_settings(out_dir, **{"lr": 5e-3, "max_steps": 12, "batch_size": 4,
                                         "block_size": 128, "log_every": 4, **changes})
    model = tiny_llama(tok.vocab_size)
    torch.manual_seed(0)
    reference = None
    if lora:
        apply_lora(model, LoRASettings(rank=4, alpha=8))
    else:
        import copy

        reference = copy.deepcopy(model)
    objective = build_objective("dpo", pad_id=tok.pad_id, beta=0.5, reference=reference)
    loader = RecordLoader(preference_examples(train_pairs), settings.batch_size, settings.seed)
    val = RecordLoader(preference_examples(val_pairs, seed=9, offset=100), 4, settings.seed)
    return Trainer(model, objective, loader, settings, val, tok)


def test_reference_logprobs_are_computed_once(tmp_path):
    trainer = dpo_trainer(tmp_path, max_steps=8, eval_every=4)  # 2 epochs, 2 evaluations
    trainer.fit()
    # 16 training pairs + 8 held-out pairs, each chosen and rejected, scored once
    assert trainer.objective.reference_passes == 2 * (16 + 8)
    assert len(trainer.objective.cache) == 24


def test_lora_reference_is_base_at_start(tmp_path):
    trainer = dpo_trainer(tmp_path)
    batch = trainer.objective.batch(preference_examples(4))
    loss, m = trainer.objective.loss(trainer.model, batch)
    assert loss.item() == pytest.approx(math.log(2), abs=1e-4)  # pi == ref: h = 0
    assert m["reward_margin"].abs().item() < 1e-4


@pytest.mark.parametrize("lora", [True, False])
def test_dpo_raises_held_out_accuracy(tmp_path, lora):
    # at step 0 the policy is the reference: every implicit reward is 0, accuracy 0
    trainer = dpo_trainer(tmp_path, lora=lora, train_pairs=64, val_pairs=16, max_steps=24,
                          eval_every=24, lr=5e-3)
    final = trainer.fit()
    assert final["val_accuracy"] >= 0.65, final  # measured 0.75 (LoRA), 0.81 (full)
    assert final["val_reward_margin"] > 0.2, final


def test_dpo_resume_is_exact(tmp_path):
    full = dpo_trainer(tmp_path / "a", max_steps=8, checkpoint_every=4, lr_decay_steps=8)
    full.fit()
    dpo_trainer(tmp_path / "b", max_steps=4, lr_decay_steps=8).fit()
    resumed = dpo_trainer(tmp_path / "b", max_steps=8, resume="latest", lr_decay_steps=8)
    assert resumed.step == 4 and len(resumed.objective.cache) == 16
    resumed.fit()
    for (name, a), b in zip(full.model.state_dict().items(), resumed.model.state_dict().values(),
                            strict=True):
        torch.testing.assert_close(a, b, msg=name, atol=0, rtol=0)
