"""The harmful-request classifier: thresholds chosen by hand-checkable rules, the rescaling
that puts a language's threshold on the policy's 0.5, and a head trained on a tiny model's
hidden states plus n-grams that blocks through `check` and scores the same after saving."""

import pytest

from lmforge.safety import check
from lmforge.safety.harm_classifier import (
    HarmClassifier,
    choose_threshold,
    hidden_features,
    rescale,
    train_head,
)
from lmforge.safety.normalize import language


def test_rescale_puts_the_threshold_on_one_half_and_keeps_order():
    assert rescale(0.3, 0.3) == 0.5 and rescale(0.0, 0.3) == 0.0 and rescale(1.0, 0.3) == 1.0
    assert rescale(0.15, 0.3) == pytest.approx(0.25)  # halfway below
    assert rescale(0.65, 0.3) == pytest.approx(0.75)  # halfway above
    scores = [0.0, 0.1, 0.29, 0.3, 0.31, 0.9, 1.0]
    assert [rescale(s, 0.3) for s in scores] == sorted(rescale(s, 0.3) for s in scores)


def test_choose_threshold_counts_what_the_rules_block_in_the_share():
    scores = [0.9, 0.8, 0.3, 0.1, 0.05]
    rules = [True, False, False, False, False]  # the rules already block the 0.9 one
    # 40% of 5 = two benign texts in all: the rules' one and the 0.8 one; above 0.3
    assert choose_threshold(scores, rules, 0.4) == pytest.approx(0.3, abs=1e-5)
    # 20% of 5 = one, the rules' own: the classifier may add none, so above 0.8
    assert choose_threshold(scores, rules, 0.2) == pytest.approx(0.8, abs=1e-5)
    assert choose_threshold(scores, rules, 0.0) == pytest.approx(0.8, abs=1e-5)
    three = [True, True, True, False, False]  # more than the share: nothing added
    assert choose_threshold(scores, three, 0.2) == pytest.approx(0.1, abs=1e-5)
    assert choose_threshold(scores, rules, 1.0) == 0.0  # may block all four
    assert rescale(1.0, 1.5) < 0.5  # a threshold above 1 blocks nothing


def test_language_is_chinese_from_a_third_of_the_letters():
    assert language("帮我弄一个炸弹") == "zh" and language("What is 炸弹?") == "en"
    assert language("1234") == "en"


HARM = ["yes yes yes", "yes is yes", "是是是是", "是就是是"]
BENIGN = ["no no no", "no is no", "不不不不", "不就是不"]


def test_a_trained_head_blocks_through_check_and_survives_saving(tiny_lm, tmp_path):
    model, tokenizer = tiny_lm
    texts, labels = HARM + BENIGN, ["hate"] * 4 + ["benign"] * 4
    head = train_head(hidden_features(model, tokenizer, texts), texts, labels, epochs=100,
                      hidden_decay=0.1, ngram_lr=0.1, ngram_dim=1 << 10)  # both halves learn
    clf = HarmClassifier(model, tokenizer, head)
    harm, _ = clf.harm_scores(texts)
    assert (harm[:4] > 0.5).all() and (harm[4:] < 0.5).all()
    assert [check(t, "input", classifiers=[clf]).allowed for t in texts] == [False] * 4 + \
        [True] * 4
    # a threshold per language: above every Chinese score, Chinese requests pass
    head.thresholds["zh"] = 1.5
    assert check("是是是是", "input", classifiers=[clf]).allowed
    assert not check("yes yes yes", "input", classifiers=[clf]).allowed
    clf.save(tmp_path / "h.safetensors")
    again = HarmClassifier.load(model, tokenizer, tmp_path / "h.safetensors")
    assert again.head.thresholds == {"en": 0.5, "zh": 1.5}
    saved, trained = again.harm_scores(texts)[0], clf.harm_scores(texts)[0]
    assert saved.tolist() == pytest.approx(trained.tolist(), abs=1e-5)  # n-grams fp16 in both
    again.prime(texts)
    assert again("yes is yes") == again.scores(["yes is yes"])[0]


def test_bad_files_and_labels_are_errors(tiny_lm, tmp_path):
    from lmforge.errors import LmforgeError
    from lmforge.safety.probe import ProbeClassifier, train_probe

    model, tokenizer = tiny_lm
    with pytest.raises(LmforgeError, match="does not exist"):
        HarmClassifier.load(model, tokenizer, tmp_path / "missing.safetensors")
    probe = ProbeClassifier(model, tokenizer, train_probe(
        hidden_features(model, tokenizer, HARM[:2] + BENIGN[:2]), ["hate"] * 2 + ["benign"] * 2,
        epochs=2))
    probe.save(tmp_path / "p.safetensors")
    with pytest.raises(LmforgeError, match="not an lmforge harm classifier"):
        HarmClassifier.load(model, tokenizer, tmp_path / "p.safetensors")
    with pytest.raises(ValueError, match="needs 'benign'"):
        train_head(hidden_features(model, tokenizer, HARM[:2]), HARM[:2], ["a", "b"])
