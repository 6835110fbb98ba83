"""Objectives: masking statistics, span-corruption structure, and loss falling for each kind."""

import pytest
import torch
from train_helpers import EOS, MASK, PAD, SENTINELS, VOCAB, logged_losses, tiny_trainer

from lmforge.train.objectives import IGNORE_INDEX
from lmforge.train.objectives.masked_lm import mask_tokens
from lmforge.train.objectives.seq2seq import span_corrupt, teacher_forcing


def test_mask_tokens_statistics_and_specials():
    g = torch.Generator().manual_seed(0)
    ids = torch.randint(3, VOCAB, (100, 1000), generator=g)
    ids[:, ::10] = EOS  # 10% specials: never picked
    inputs, labels = mask_tokens(ids, MASK, VOCAB, {EOS, PAD}, g)
    picked = labels != IGNORE_INDEX
    maskable = (ids != EOS).sum()
    assert picked.sum() / maskable == pytest.approx(0.15, abs=0.005)
    assert not picked[ids == EOS].any()
    assert (inputs[ids == EOS] == EOS).all()
    assert torch.equal(labels[picked], ids[picked])  # labels are the original tokens
    n = picked.sum()
    to_mask = (inputs == MASK) & picked
    unchanged = (inputs == ids) & picked
    changed = ~to_mask & ~unchanged & picked
    assert to_mask.sum() / n == pytest.approx(0.8, abs=0.01)
    # a random replacement can draw the original token (1/64 of the time)
    assert unchanged.sum() / n == pytest.approx(0.1 + 0.1 / VOCAB, abs=0.01)
    assert changed.sum() / n == pytest.approx(0.1 - 0.1 / VOCAB, abs=0.01)
    assert (inputs[~picked] == ids[~picked]).all()  # unpicked positions are untouched


def test_span_corrupt_structure():
    ids = torch.arange(100, 200)
    g = torch.Generator().manual_seed(3)
    source, target = span_corrupt(ids, SENTINELS, 0.15, 3.0, g, eos_id=EOS)
    num_noise, num_spans = 15, 5
    assert len(source) == 100 - num_noise + num_spans
    assert len(target) == num_noise + num_spans + 1 and target[-1] == EOS
    # sentinels appear in order, once each, in both; the source starts with kept tokens
    src_sent = [int(t) for t in source if t in SENTINELS]
    tgt_sent = [int(t) for t in target if t in SENTINELS]
    assert src_sent == tgt_sent == SENTINELS[:num_spans]
    assert source[0] not in SENTINELS
    # filling each sentinel with its span restores the original sequence exactly
    spans, current = {}, None
    for t in target[:-1].tolist():
        if t in SENTINELS:
            current = t
            spans[t] = []
        else:
            spans[current].append(t)
    assert all(len(s) >= 1 for s in spans.values())
    restored = [x for t in source.tolist() for x in (spans[t] if t in SENTINELS else [t])]
    assert restored == ids.tolist()


def test_teacher_forcing_shifts_right():
    target = torch.tensor([[5, 6, 7, EOS]])
    assert teacher_forcing(target, PAD).tolist() == [[PAD, 5, 6, 7]]


def test_seq2seq_pair_batch_padding():
    from train_helpers import objective_for

    batch = objective_for("encoder-decoder").pair_batch([([5, 6, 7], [8]), ([9], [10, 11])])
    assert batch["input_ids"].tolist() == [[5, 6, 7], [9, PAD, PAD]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1], [1, 0, 0]]
    assert batch["labels"].tolist() == [[8, EOS, IGNORE_INDEX], [10, 11, EOS]]
    assert batch["decoder_input_ids"].tolist() == [[PAD, 8, PAD], [PAD, 10, 11]]


@pytest.mark.parametrize("family", ["decoder", "llama", "encoder-decoder"])
def test_loss_goes_down(tmp_path, family):
    trainer = tiny_trainer(tmp_path, family, max_steps=40, log_every=5)
    trainer.fit()
    losses = [loss for _, loss in logged_losses(trainer)]
    assert losses[-1] < 0.6 * losses[0], losses


def test_masked_lm_loss_goes_down(tmp_path):
    # Only 15% of positions carry a label, and filling a blank needs attention to the
    # neighbours (a decoder can start with the current token alone), so MLM learns slower.
    trainer = tiny_trainer(tmp_path, "encoder", max_steps=40, log_every=10, lr=3e-3,
                           batch_size=16, block_size=32)
    trainer.fit()
    losses = [loss for _, loss in logged_losses(trainer)]
    assert losses[-1] < losses[0] - 0.2, losses
