"""SmolLM2's perplexity on a held-out text equals transformers' (same window and stride)."""

import math

import pytest
import torch
import torch.nn.functional as F

from lmforge.errors import DataError
from lmforge.eval.perplexity import perplexity

# Written for this test (not in any training set we know of).
HELD_OUT = (
    "The lighthouse keeper on the northern island kept a notebook of every ship that "
    "passed. In winter the entries grew short: a name, a time, the colour of the sky. "
    "When the supply boat failed to arrive for three weeks, he began to ration the lamp "
    "oil, lighting the great lens only when the fog rolled in from the west. Years later, "
    "his granddaughter found the notebook in a tin box and read it aloud to the village, "
    "who had long forgotten that the light had ever gone dark."
)


def hf_perplexity(model, ids, context, stride):
    """The same sliding window with transformers' model (the reference)."""
    total, scored, prev_end = 0.0, 0, 0
    for begin in range(0, len(ids), stride):
        end = min(begin + context, len(ids))
        window = torch.tensor([ids[begin:end]])
        with torch.no_grad():
            logits = model(window).logits[0].float()
        logprobs = F.log_softmax(logits, dim=-1)
        first = max(prev_end, begin + 1)
        for t in range(first, end):
            total += logprobs[t - begin - 1, ids[t]].item()
        scored += end - first
        prev_end = end
        if end == len(ids):
            break
    return math.exp(-total / scored), scored


@pytest.mark.slow
def test_smollm2_perplexity_equals_transformers(smollm2, hf_smollm2, context=64, stride=32):
    hf_model, hf_tok = hf_smollm2
    ids = smollm2.tokenizer.encode(HELD_OUT, add_special=False, parse_special=False)
    assert ids == hf_tok(HELD_OUT, add_special_tokens=False)["input_ids"]
    ours = perplexity(smollm2.model, smollm2.tokenizer, HELD_OUT, context, stride)
    reference, scored = hf_perplexity(hf_model, ids, context, stride)
    assert ours.tokens == scored == len(ids) - 1  # overlapping windows score all but one
    assert ours.perplexity == pytest.approx(reference, rel=0.005)
    assert 2 < ours.perplexity < 200  # a real model on real English, not noise


def test_perplexity_of_a_text_too_short(tiny_lm):
    with pytest.raises(DataError, match="at least 2"):
        perplexity(tiny_lm.model, tiny_lm.tokenizer, "a")
