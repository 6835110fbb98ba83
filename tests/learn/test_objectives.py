"""Lesson 7: the three objectives' views of one sentence, built by the training code, and
the loaded decoder's causal-LM loss equal to a plain cross-entropy."""

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.learn.objectives import EXAMPLE, objectives_lesson


def test_three_views_of_one_sentence(decoder, tiny_tokenizer):
    shown = objectives_lesson(decoder, tiny_tokenizer, EXAMPLE, seed=3)
    tokens = shown["tokens"]
    causal = shown["causal_lm"]
    assert causal["inputs"] == tokens[:-1] and causal["targets"] == tokens[1:]
    ids = torch.tensor([tiny_tokenizer.encode(EXAMPLE, add_special=False, parse_special=False)])
    logits = decoder.logits(decoder(ids[:, :-1]))[0]
    assert causal["loss"] == pytest.approx(F.cross_entropy(logits, ids[0, 1:]).item(), abs=1e-5)

    masked = shown["masked_lm"]
    picked = [i for i, label in enumerate(masked["labels"]) if label is not None]
    assert picked and all(masked["labels"][i] == tokens[i] for i in picked)
    assert all(masked["inputs"][i] == tokens[i] for i in range(len(tokens)) if i not in picked)
    assert "[MASK]" in masked["inputs"] or len(picked) < 3  # 80% of picks become [MASK]
    assert masked["loss"] is None  # a decoder has no masked-LM head

    s2s = shown["seq2seq"]
    assert s2s["source"].count("<X0>") == 1 and s2s["target"][0] == "<X0>"
    assert s2s["decoder_input"] == ["<start>"] + s2s["target"][:-1]
    kept = [t for t in s2s["source"] if not t.startswith("<X")]
    hidden = [t for t in s2s["target"] if not t.startswith("<X") and t != "<|endoftext|>"]
    assert sorted(kept + hidden) == sorted(tokens)  # every token is kept or hidden, once
    assert s2s["loss"] is None


def test_an_encoder_is_not_scored_as_a_causal_lm(encoder, tiny_tokenizer):
    shown = objectives_lesson(encoder, tiny_tokenizer, EXAMPLE)
    assert shown["family"] == "encoder" and shown["causal_lm"]["loss"] is None


def test_too_short_a_text(decoder, tiny_tokenizer):
    with pytest.raises(ConfigError, match="this lesson takes 4..128"):
        objectives_lesson(decoder, tiny_tokenizer, "the")
