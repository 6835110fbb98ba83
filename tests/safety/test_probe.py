"""The hidden-state probe: a batch's right padding changes no text's features, training on
features separates labels, and a saved head scores exactly as the trained one."""

import pytest
import torch

from lmforge.safety.probe import ProbeClassifier, hidden_features, train_probe


def test_right_padding_changes_no_features(tiny_lm):
    model, tokenizer = tiny_lm
    alone = hidden_features(model, tokenizer, ["yes no"])
    batched = hidden_features(model, tokenizer, ["yes no", "the quick brown fox jumps over"])
    assert alone.shape == (1, 2 * model.config.hidden_size)
    torch.testing.assert_close(batched[:1], alone, atol=1e-5, rtol=1e-5)


def test_a_trained_head_separates_the_labels_and_survives_saving(tiny_lm, tmp_path):
    model, tokenizer = tiny_lm
    texts = ["yes yes yes", "yes is yes", "no no no", "no is no"]
    labels = ["harm", "harm", "benign", "benign"]
    head = train_probe(hidden_features(model, tokenizer, texts), labels, epochs=200)
    probe = ProbeClassifier(model, tokenizer, head)
    scores = probe.scores(texts)
    assert head.labels == ["benign", "harm"]
    assert [s["harm"] > 0.5 for s in scores] == [True, True, False, False]
    probe.save(tmp_path / "p.safetensors")
    again = ProbeClassifier.load(model, tokenizer, tmp_path / "p.safetensors")
    assert again("yes yes yes", "input") == pytest.approx(scores[0])


def test_one_label_is_an_error(tiny_lm):
    with pytest.raises(ValueError, match="at least two labels"):
        train_probe(torch.zeros(2, 4), ["a", "a"])
