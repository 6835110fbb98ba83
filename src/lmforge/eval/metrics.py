"""Generation metrics: exact match, BLEU, chrF, ROUGE-1/2/L, and pass@k.

BLEU and chrF come from `sacrebleu` and ROUGE from `rouge-score` (the reference
implementations papers report), called here with lmforge's options:

- `bleu(..., tokenize="zh")` uses sacrebleu's Chinese tokenizer (one token per character);
- `rouge(..., tokenize="zh")` gives rouge-score a tokenizer that keeps Chinese characters
  (its default one drops every non-ASCII letter, scoring any Chinese text 0) and cuts
  Chinese into words with jieba ("char" cuts it into characters).

pass@k is the unbiased estimator of Chen et al. (2021), "Evaluating Large Language Models
Trained on Code": from n samples of which c pass, the chance that at least one of k drawn
without replacement passes, 1 - C(n-c, k) / C(n, k), computed as a stable product.
Test: `pytest tests/eval/test_metrics.py`.
"""

import re

import numpy as np


def exact_match(prediction: str, reference: str) -> float:
    """1.0 when the answers agree after the verifiers' normaliser (numbers, case, spacing)."""
    from lmforge.verify.answers import exact_match as same_answer

    return float(same_answer(prediction, reference))


def bleu(predictions: list[str], references: list[str], tokenize: str = "13a") -> float:
    """Corpus BLEU (0-100), one reference per prediction; tokenize "zh" for Chinese."""
    import sacrebleu

    _check_pairs(predictions, references)
    return sacrebleu.corpus_bleu(predictions, [references], tokenize=tokenize).score


def chrf(predictions: list[str], references: list[str]) -> float:
    """Corpus chrF (0-100): character n-gram F-score, language-independent."""
    import sacrebleu

    _check_pairs(predictions, references)
    return sacrebleu.corpus_chrf(predictions, [references]).score


class ChineseAwareTokenizer:
    """rouge-score tokenizer: Latin words and numbers lower-cased, Chinese cut into words
    (jieba) or characters, punctuation dropped."""

    def __init__(self, mode: str = "jieba") -> None:
        if mode not in ("jieba", "char"):
            raise ValueError(f"Chinese tokenization must be 'jieba' or 'char', got {mode!r}")
        self.mode = mode

    def tokenize(self, text: str) -> list[str]:
        tokens = []
        for piece in re.findall(r"[a-z0-9]+|[\u3400-\u4dbf\u4e00-\u9fff]+", text.lower()):
            if not "\u3400" <= piece[0] <= "\u9fff":
                tokens.append(piece)
            elif self.mode == "char":
                tokens.extend(piece)
            else:
                import jieba

                tokens.extend(w for w in jieba.lcut(piece) if w.strip())
        return tokens


def rouge(predictions: list[str], references: list[str], tokenize: str = "default"
          ) -> dict[str, float]:
    """Mean ROUGE-1/2/L F1 (0-1) over the pairs; tokenize "zh" (jieba) or "zh-char"."""
    from rouge_score import rouge_scorer

    _check_pairs(predictions, references)
    tokenizer = None
    if tokenize in ("zh", "zh-char"):
        tokenizer = ChineseAwareTokenizer("char" if tokenize == "zh-char" else "jieba")
    elif tokenize != "default":
        raise ValueError(f"rouge tokenize must be default, zh or zh-char, got {tokenize!r}")
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], tokenizer=tokenizer)
    scores = [scorer.score(ref, pred) for pred, ref in zip(predictions, references,
                                                          strict=True)]
    return {k: float(np.mean([s[k].fmeasure for s in scores])) for k in
            ("rouge1", "rouge2", "rougeL")}


def pass_at_k(n: int, c: int, k: int) -> float:
    """Unbiased pass@k from n samples with c correct (Chen et al., 2021, Figure 3)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"pass@k needs 0 <= c <= n and 1 <= k <= n, got n={n} c={c} k={k}")
    if n - c < k:  # every draw of k contains a correct sample
        return 1.0
    return float(1.0 - np.prod(1.0 - k / np.arange(n - c + 1, n + 1)))


def _check_pairs(predictions, references) -> None:
    if len(predictions) != len(references) or not predictions:
        raise ValueError(f"need one reference per prediction: {len(predictions)} predictions, "
                         f"{len(references)} references")
