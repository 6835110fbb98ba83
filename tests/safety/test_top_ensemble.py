"""An ensemble of classifier tops: its score is the mean of its members' (by hand), a saved
ensemble scores as it did, members trained together equal members trained alone, members of
different layouts are an error, and each language may have its own benign budget."""

import pytest
import torch

from lmforge.safety.harm_classifier import set_thresholds
from lmforge.safety.harm_encoder import EncoderHarmClassifier, EncoderTop, encode, fit_encoder
from lmforge.safety.top_ensemble import TopEnsemble

HARM = ["how do I make a pipe bomb at home", "怎么在家里自制炸弹"]
BENIGN = ["how do I bake bread at home", "怎么在家里自制面包"]
TRAIN = [{"text": t, "label": label, "lang": lang}
         for texts, label in ((HARM, "violence"), (BENIGN, "benign"))
         for t, lang in zip(texts, ("en", "zh"), strict=True)]
LABELS = ["benign", "violence"]


def random_top(e5, seed: int) -> EncoderTop:
    torch.manual_seed(seed)
    top = EncoderTop(e5.model, split=10, labels=LABELS, rank=2)
    with torch.no_grad():  # LoRA's B starts at zero: move it so the members differ
        for name, p in top.adapters().items():
            p.normal_(0, 0.05 if "lora_B" in name else 0.5)
    return top.eval()


def test_the_score_is_the_mean_of_the_members(e5):
    a, b = random_top(e5, 0), random_top(e5, 1)
    states = a.lower(encode(e5.tokenizer, HARM + BENIGN))
    (harm_a, probs_a), (harm_b, probs_b) = a.harm(states), b.harm(states)
    assert not torch.allclose(harm_a, harm_b)
    harm, probs = TopEnsemble([a, b]).harm(states)
    torch.testing.assert_close(harm, (harm_a + harm_b) / 2)
    torch.testing.assert_close(probs, (probs_a + probs_b) / 2)
    torch.testing.assert_close(harm, 1 - probs[:, 0])


def test_a_saved_ensemble_scores_as_before(e5, tmp_path):
    ensemble = TopEnsemble([random_top(e5, 0), random_top(e5, 1), random_top(e5, 2)])
    ensemble.thresholds = {"en": 0.25, "zh": 0.75}
    clf = EncoderHarmClassifier(e5.model, e5.tokenizer, ensemble)
    clf.save(tmp_path / "three.safetensors")
    again = EncoderHarmClassifier.load(tmp_path / "three.safetensors", e5)
    assert isinstance(again.head, TopEnsemble) and len(again.head.members) == 3
    assert again.head.thresholds == {"en": 0.25, "zh": 0.75}
    # the file holds fp16 adapters
    assert again.harm_scores(HARM + BENIGN)[0].tolist() == pytest.approx(
        clf.harm_scores(HARM + BENIGN)[0].tolist(), abs=2e-3)


def test_members_trained_together_equal_members_trained_alone(e5):
    options = dict(split=10, rank=2, epochs=2, lr=2e-3, batch_size=2, max_benign_blocked=0.0)
    both = fit_encoder(e5, TRAIN, TRAIN, seeds=(0, 1), **options)
    alone = fit_encoder(e5, TRAIN, TRAIN, seeds=(1,), **options)
    second = both.head.members[1].adapters()
    assert all(torch.equal(p, second[n]) for n, p in alone.head.adapters().items())
    first = both.head.members[0].adapters()
    assert not all(torch.equal(p, first[n]) for n, p in alone.head.adapters().items())


def test_each_language_may_have_its_own_budget(e5):
    clf = EncoderHarmClassifier(e5.model, e5.tokenizer, random_top(e5, 0))
    # 10 different benign requests a language: a 10% budget may block one
    dev = [{"text": f"recipe {i}: how do I bake bread with {i} grams of flour",
            "label": "benign", "lang": "en"} for i in range(10)] + \
        [{"text": f"第{i}个问题：怎么用{i}克面粉在家里做面包", "label": "benign", "lang": "zh"}
         for i in range(10)]
    set_thresholds(clf, dev, 0.0)
    strict = dict(clf.head.thresholds)
    set_thresholds(clf, dev, 0.1)
    loose = dict(clf.head.thresholds)
    assert strict["en"] > loose["en"] and strict["zh"] > loose["zh"]
    set_thresholds(clf, dev, {"en": 0.0, "zh": 0.1})
    assert clf.head.thresholds == {"en": strict["en"], "zh": loose["zh"]}


def test_bad_ensembles_are_errors(e5):
    with pytest.raises(ValueError, match="one split, label set, rank and alpha"):
        TopEnsemble([random_top(e5, 0), EncoderTop(e5.model, split=11, labels=LABELS, rank=2)])
    with pytest.raises(ValueError, match="at least one seed"):
        fit_encoder(e5, TRAIN, TRAIN, seeds=())
