"""Log-likelihoods of continuations, and of whole texts with a sliding window.

    loglikelihoods(model, [(context_ids, continuation_ids), ...])  # [(sum log p, greedy?)]
    rolling_loglikelihood(model, ids, context=1024, stride=512)    # (sum log p, tokens)

Multiple-choice scoring, perplexity and the lm-evaluation-harness adapter all read the model
through these two functions, so they agree with each other.

Sliding window (the method of Hugging Face's perplexity guide): windows of `context` tokens
start every `stride` tokens; each window scores only the tokens the previous window did not,
each with at least `context - stride` tokens of left context. With overlap (stride <
context) every token after the first is scored once; without it (stride == context) the
first token of each window has no context and is not scored, as in the guide.
Test: `pytest tests/eval/test_loglikelihood.py`.
"""

import torch
import torch.nn.functional as F

from lmforge.errors import ContextLengthError


@torch.inference_mode()
def loglikelihoods(model, requests: list[tuple[list[int], list[int]]], batch_size: int = 8,
                   max_length: int | None = None) -> list[tuple[float, bool]]:
    """For each (context, continuation): sum of log p(continuation | context), and whether
    greedy decoding would produce the continuation. Contexts longer than the model's window
    lose their oldest tokens."""
    max_length = max_length or model.config.max_position_embeddings
    results: list[tuple[float, bool]] = []
    for start in range(0, len(requests), batch_size):
        results += _score_batch(model, requests[start:start + batch_size], max_length)
    return results


def _score_batch(model, batch, max_length: int) -> list[tuple[float, bool]]:
    rows, spans = [], []
    for context, continuation in batch:
        if not continuation:
            raise ValueError("a continuation must have at least one token")
        if len(continuation) > max_length:
            raise ContextLengthError(f"continuation of {len(continuation)} tokens exceeds the "
                                     f"model's window of {max_length}")
        ids = (list(context) + list(continuation))[-(max_length + 1):]
        row = ids[:-1]  # the last token is only ever a target
        rows.append(row)
        spans.append((len(row) - len(continuation), len(row)))
    T = max(len(r) for r in rows)
    device = next(model.parameters()).device
    tokens = torch.tensor([r + [0] * (T - len(r)) for r in rows], device=device)  # (B, T)
    hidden = model(tokens)  # causal: right padding never reaches the real positions
    out = []
    for i, ((lo, hi), (_, continuation)) in enumerate(zip(spans, batch, strict=True)):
        logits = model.logits(hidden[i, lo:hi]).float()  # (n_cont, V): only where needed
        logprobs = F.log_softmax(logits, dim=-1)
        target = torch.tensor(continuation, device=device)
        total = logprobs.gather(-1, target[:, None]).sum().item()
        greedy = bool((logits.argmax(-1) == target).all())
        out.append((total, greedy))
    return out


@torch.inference_mode()
def rolling_loglikelihood(model, ids: list[int], context: int | None = None,
                          stride: int | None = None) -> tuple[float, int]:
    """Sum of log p(token_t | the window before it) over the scored tokens, and how many."""
    context = context or model.config.max_position_embeddings
    stride = stride or context
    if not 0 < stride <= context:
        raise ValueError(f"stride must be in 1..context ({context}), got {stride}")
    if context > model.config.max_position_embeddings and model.config.position == "learned":
        raise ContextLengthError(f"context {context} exceeds the model's "
                                 f"{model.config.max_position_embeddings} positions")
    if len(ids) < 2:
        raise ValueError(f"need at least 2 tokens to score, got {len(ids)}")
    device = next(model.parameters()).device
    total, scored, prev_end = 0.0, 0, 0
    for begin in range(0, len(ids), stride):
        end = min(begin + context, len(ids))
        window = torch.tensor([ids[begin:end]], device=device)  # (1, T)
        first = max(prev_end, begin + 1)  # the first token this window scores
        hidden = model(window)[0, first - begin - 1:end - begin - 1]  # predicts first..end-1
        logprobs = F.log_softmax(model.logits(hidden).float(), dim=-1)
        targets = window[0, first - begin:end - begin]
        total += logprobs.gather(-1, targets[:, None]).sum().item()
        scored += end - first
        prev_end = end
        if end == len(ids):
            break
    return total, scored
