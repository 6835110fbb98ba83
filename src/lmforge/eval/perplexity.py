"""Perplexity of a text under a model: exp(mean negative log-likelihood per token).

    result = perplexity(model, tokenizer, open("held_out.txt").read(), context=512, stride=256)
    result.perplexity, result.tokens

Lower is better; a model that spreads probability evenly over V tokens scores V. The text
is tokenized once (no BOS added, so the first token is context only) and scored with a
sliding window (loglikelihood.py); `lmforge eval perplexity FILE --context N --stride S`.
Test: `pytest tests/eval/test_perplexity.py` (equals transformers' on SmolLM2).
"""

import math
from dataclasses import dataclass

from lmforge.errors import DataError
from lmforge.eval.loglikelihood import rolling_loglikelihood


@dataclass
class PerplexityResult:
    perplexity: float
    tokens: int
    """How many tokens were scored (all but the first when stride < context)."""
    nll: float
    """Mean negative log-likelihood per scored token (nats)."""
    context: int
    stride: int


def perplexity(model, tokenizer, text: str, context: int | None = None,
               stride: int | None = None) -> PerplexityResult:
    ids = tokenizer.encode(text, add_special=False, parse_special=False)
    if len(ids) < 2:
        raise DataError(f"the text has {len(ids)} token(s); perplexity needs at least 2")
    context = context or model.config.max_position_embeddings
    stride = stride or context
    total, scored = rolling_loglikelihood(model, ids, context, stride)
    nll = -total / scored
    return PerplexityResult(math.exp(nll), scored, nll, context, stride)
