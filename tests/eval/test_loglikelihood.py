"""Continuation log-likelihoods and sliding-window scores equal hand computations."""

import pytest
import torch
import torch.nn.functional as F

from lmforge.eval.loglikelihood import loglikelihoods, rolling_loglikelihood


def full_logprobs(model, ids):
    """log p(ids[t] | ids[:t]) for t = 1..n-1, from one plain forward (the hand way)."""
    with torch.no_grad():
        logits = model.logits(model(torch.tensor([ids])))[0]  # (T, V)
    logprobs = F.log_softmax(logits.float(), dim=-1)
    return [logprobs[t - 1, ids[t]].item() for t in range(1, len(ids))], logits


def test_continuation_loglikelihoods_equal_a_hand_computation(tiny_lm):
    model = tiny_lm.model
    requests = [([5, 9, 13], [20, 7]), ([1, 2], [3]), ([40, 41, 42, 43, 44, 45], [46, 47, 48])]
    scored = loglikelihoods(model, requests, batch_size=2)  # padding and two batches
    for (context, continuation), (total, greedy) in zip(requests, scored, strict=True):
        per_token, logits = full_logprobs(model, context + continuation)
        assert total == pytest.approx(sum(per_token[len(context) - 1:]), abs=1e-4)
        argmax = logits[len(context) - 1:-1].argmax(-1).tolist()
        assert greedy == (argmax == continuation)


def test_greedy_continuation_is_recognised(tiny_lm):
    model = tiny_lm.model
    context = [3, 4, 5]
    with torch.no_grad():
        best = model.logits(model(torch.tensor([context])))[0, -1].argmax().item()
    [(_, greedy)] = loglikelihoods(model, [(context, [best])])
    assert greedy


def test_long_contexts_lose_their_oldest_tokens(tiny_lm):
    model = tiny_lm.model
    context, continuation = list(range(1, 41)), [50, 51]
    [(total, _)] = loglikelihoods(model, [(context, continuation)], max_length=16)
    kept = (context + continuation)[-17:]
    per_token, _ = full_logprobs(model, kept)
    assert total == pytest.approx(sum(per_token[-2:]), abs=1e-4)


@pytest.mark.parametrize(("context", "stride"), [(16, 16), (16, 8), (16, 5), (64, 64)])
def test_rolling_window_scores_each_token_at_most_once(tiny_lm, context, stride):
    model = tiny_lm.model
    ids = [(i * 7 + 3) % 250 + 1 for i in range(41)]
    total, scored = rolling_loglikelihood(model, ids, context, stride)
    windows = len(range(0, len(ids) - context + stride, stride)) if context < len(ids) else 1
    # overlapping windows score every token after the first; without overlap the first
    # token of each window has no context and is skipped (as in HF's perplexity guide)
    assert scored == (len(ids) - 1 if stride < context else len(ids) - windows)
    # the same windows by hand: a window starting at b scores tokens it has not scored yet
    expected, prev_end = 0.0, 0
    for begin in range(0, len(ids), stride):
        end = min(begin + context, len(ids))
        per_token, _ = full_logprobs(model, ids[begin:end])
        first = max(prev_end, begin + 1)
        expected += sum(per_token[first - begin - 1:])
        prev_end = end
        if end == len(ids):
            break
    assert total == pytest.approx(expected, abs=1e-3)
    if context >= len(ids):  # one window: the plain full-sequence log-likelihood
        assert total == pytest.approx(sum(full_logprobs(model, ids)[0]), abs=1e-3)


def test_rolling_window_rejects_bad_settings(tiny_lm):
    with pytest.raises(ValueError, match="stride"):
        rolling_loglikelihood(tiny_lm.model, [1, 2, 3], context=8, stride=9)
    with pytest.raises(ValueError, match="at least 2 tokens"):
        rolling_loglikelihood(tiny_lm.model, [1], context=8)
