"""Lesson 7: the three objectives' views of one sentence, built by the training code, and
the loaded decoder's causal-LM loss equal to a plain cross-entropy."""

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError, DataError
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


def test_each_family_gets_a_real_loss_from_a_tiny_model_trained_on_the_sentences(tmp_path):
    from lmforge.learn.objectives import causal_view
    from lmforge.learn.tiny_families import CORPUS, family_losses, train_families

    shown = family_losses(EXAMPLE, steps=40)
    families = shown["families"]
    assert list(families) == ["causal_lm", "masked_lm", "seq2seq"]
    assert [f["kind"] for f in families.values()] == ["decoder", "encoder", "encoder-decoder"]
    for name, drop in (("causal_lm", 2.0), ("masked_lm", 0.5), ("seq2seq", 1.5)):
        curve = [loss for _, loss in families[name]["curve"]]
        assert curve[-1] < curve[0] - drop, (name, curve)  # each learns from the text
        assert families[name]["sentence_loss"] > 0
    # the causal loss shown is the objective's own on the trained decoder
    trained = train_families(CORPUS, 0, 40)  # the models just trained (cached)
    model, tokenizer = trained["families"]["causal_lm"]["model"], trained["tokenizer"]
    ids = torch.tensor(tokenizer.encode(EXAMPLE, add_special=False, parse_special=False))
    with torch.no_grad():
        assert families["causal_lm"]["sentence_loss"] == pytest.approx(
            causal_view(model, tokenizer, ids, True)["loss"], abs=1e-6)
    (tmp_path / "short.txt").write_text("too short")
    with pytest.raises(DataError, match="short.txt: 9 characters"):
        family_losses(EXAMPLE, corpus=tmp_path / "short.txt")
    with pytest.raises(ConfigError, match="steps=0 is invalid"):
        family_losses(EXAMPLE, steps=0)

