"""BLEU, chrF and ROUGE equal the reference libraries (and hand computations); pass@k
equals the unbiased estimator's formula."""

import math

import pytest
import sacrebleu
from rouge_score import rouge_scorer

from lmforge.eval import metrics

PREDICTIONS = ["the cat sat on the mat", "a quick brown fox", "hello there world"]
REFERENCES = ["the cat sat on a mat", "the quick brown fox jumps", "hello world"]


def test_bleu_equals_sacrebleu_and_a_hand_computation():
    assert metrics.bleu(PREDICTIONS, REFERENCES) == pytest.approx(
        sacrebleu.corpus_bleu(PREDICTIONS, [REFERENCES]).score, abs=1e-9)
    # one pair by hand: precisions 5/6, 3/5, 2/4, 1/3; equal lengths so no brevity penalty
    hand = 100 * (5 / 6 * 3 / 5 * 2 / 4 * 1 / 3) ** 0.25
    assert metrics.bleu(PREDICTIONS[:1], REFERENCES[:1]) == pytest.approx(hand, abs=1e-6)


def test_chinese_bleu_tokenizes_characters():
    pred, ref = ["今天天气很好"], ["今天天气不错"]
    assert metrics.bleu(pred, ref, tokenize="zh") == pytest.approx(
        sacrebleu.corpus_bleu(pred, [ref], tokenize="zh").score, abs=1e-9)
    assert metrics.bleu(pred, ref, tokenize="zh") > 0


def test_chrf_equals_sacrebleu():
    assert metrics.chrf(PREDICTIONS, REFERENCES) == pytest.approx(
        sacrebleu.corpus_chrf(PREDICTIONS, [REFERENCES]).score, abs=1e-9)


def test_rouge_equals_rouge_score_and_hand_values():
    ours = metrics.rouge(PREDICTIONS, REFERENCES)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"])
    ref_scores = [scorer.score(r, p) for p, r in zip(PREDICTIONS, REFERENCES, strict=True)]
    for key in ("rouge1", "rouge2", "rougeL"):
        expected = sum(s[key].fmeasure for s in ref_scores) / len(ref_scores)
        assert ours[key] == pytest.approx(expected, abs=1e-12)
    single = metrics.rouge(["the cat sat"], ["the cat ran"])
    assert single["rouge1"] == pytest.approx(2 / 3) and single["rouge2"] == pytest.approx(0.5)


def test_chinese_rouge_needs_the_chinese_aware_tokenizer():
    pred, ref = ["今天天气很好"], ["今天天气不错"]
    # rouge-score's default tokenizer drops every Chinese character: no tokens, score 0
    assert metrics.rouge(pred, ref)["rouge1"] == 0.0
    chars = metrics.rouge(pred, ref, tokenize="zh-char")
    assert chars["rouge1"] == pytest.approx(4 / 6)  # 今 天 天 气 shared of 6 characters each
    assert chars["rouge2"] == pytest.approx(3 / 5)  # 今天 天天 天气 shared of 5 bigrams
    words = metrics.rouge(pred, ref, tokenize="zh")  # jieba words
    assert 0 < words["rouge1"] < 1


@pytest.mark.parametrize(("n", "c", "k"), [(10, 3, 1), (10, 3, 5), (20, 0, 5), (5, 5, 1),
                                           (200, 37, 10), (7, 1, 7), (10, 8, 3)])
def test_pass_at_k_is_the_unbiased_estimator(n, c, k):
    expected = 1 - math.comb(n - c, k) / math.comb(n, k)
    assert metrics.pass_at_k(n, c, k) == pytest.approx(expected, abs=1e-12)


def test_pass_at_k_known_values_and_bad_counts():
    assert metrics.pass_at_k(10, 3, 1) == pytest.approx(0.3)
    assert metrics.pass_at_k(10, 3, 5) == pytest.approx(1 - 21 / 252)
    with pytest.raises(ValueError, match="pass@k needs"):
        metrics.pass_at_k(5, 6, 1)
    with pytest.raises(ValueError, match="pass@k needs"):
        metrics.pass_at_k(5, 1, 6)


def test_exact_match_uses_the_verifiers_normaliser():
    assert metrics.exact_match(" 42.", "42") == 1.0
    assert metrics.exact_match("1,000", "1000") == 1.0
    assert metrics.exact_match("Paris", "paris") == 1.0
    assert metrics.exact_match("41", "42") == 0.0


def test_metrics_need_one_reference_per_prediction():
    with pytest.raises(ValueError, match="one reference per prediction"):
        metrics.bleu(["a", "b"], ["a"])
