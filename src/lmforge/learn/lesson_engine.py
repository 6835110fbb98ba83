"""The Engine the lessons run on, the prompt it reads, and the logits its sampler sees.

    engine = lesson_engine(lm.model, lm.tokenizer)
    ids = prompt_ids(engine, "今天天气真")           # as `lmforge generate` encodes it
    logits = raw_logits(engine, ids)               # (V,) what the sampler was handed

Lessons never run their own forward for the next token: they ask the Engine, through the
hook grammar masks use (a logits processor, called on the raw logits before penalties and
temperature; infer/sampler.py), and copy the row it sees. So the numbers a lesson shows
are the numbers `generate` samples from.

The lessons' Engine is small: prompts up to LESSON_CONTEXT tokens, 16 requests at once
(lesson 2 samples every strategy through it, in one continuous batch).
Test: `pytest tests/learn/test_word_by_word.py`.
"""

from collections.abc import Sequence

import torch

from lmforge.errors import ConfigError, ContextLengthError, SamplingError
from lmforge.infer import Engine, SamplingParams
from lmforge.model.backend import backend
from lmforge.viz.tokens import readable_token

LESSON_CONTEXT = 1024  # tokens a lesson's prompt and continuation may hold
# Lessons ask for one prompt again and again (a token longer each step, or N samples of it):
# small KV blocks let the prefix cache hold all but its last few tokens.
BLOCK_SIZE = 4


def check_generates(model) -> None:
    """Lessons 1-3 need a next token: an encoder (BERT-style) model has none."""
    kind = model.config.kind
    if kind != "decoder":
        raise ConfigError(f"this lesson generates text, which needs a decoder model; this "
                          f"model is kind {kind!r} (the tokens and attention lessons work "
                          "with it)")


def lesson_engine(model, tokenizer) -> Engine:
    """An Engine over `model` for the lessons: its own small KV pool (two full contexts).

    A step computes at most backend.gemv_max_rows tokens: up to that many rows a quantized
    model (the bundled SmolLM2 runs on its Q4_1 blocks) multiplies on its codes, past it
    every step would dequantize its matrices first (model/backend.py: quantized_route)."""
    check_generates(model)
    context = min(model.config.max_position_embeddings, LESSON_CONTEXT)
    rows = backend.gemv_max_rows
    return Engine(model, tokenizer, max_batch_size=rows, max_num_batched_tokens=rows,
                  max_seq_len=context, num_kv_blocks=2 * -(-context // BLOCK_SIZE),
                  block_size=BLOCK_SIZE)


def prompt_ids(engine: Engine, prompt: str, continuation: Sequence[int] = ()) -> list[int]:
    """The raw prompt's ids (no chat template, as `generate` encodes it) and the tokens a
    learner chose after it; errors say what is wrong with them."""
    if not isinstance(prompt, str) or not prompt:
        raise ContextLengthError("the prompt is empty: type some text for the model to "
                                 "continue")
    ids = engine.tokenizer.encode(prompt, add_special=True, parse_special=False)
    V = engine.model.config.vocab_size
    bad = [i for i in continuation if isinstance(i, bool) or not isinstance(i, int)
           or not 0 <= i < V]
    if bad:
        raise ConfigError(f"continuation token {bad[0]!r} is not an id in 0..{V - 1}")
    ids += list(continuation)
    if len(ids) >= engine.max_seq_len:
        raise ContextLengthError(
            f"the prompt has {len(ids)} tokens; lessons hold at most {engine.max_seq_len - 1} "
            f"(the model's context is {engine.model.config.max_position_embeddings} tokens, "
            f"a lesson's at most {LESSON_CONTEXT}): shorten it")
    return ids


def check_top(top: int) -> int:
    """How many candidates to show: at least one."""
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise SamplingError(f"top={top!r} is invalid: show at least 1 candidate")
    return top


@torch.inference_mode()
def raw_logits(engine: Engine, ids: list[int]) -> torch.Tensor:
    """(V,) float32 next-token logits for `ids`, as the Engine's sampler receives them."""
    seen: list[torch.Tensor] = []

    def record(output_ids: list[int], logits: torch.Tensor) -> torch.Tensor:
        seen.append(logits.clone())
        return logits

    engine.generate(ids, SamplingParams(max_tokens=1, temperature=0,
                                        logits_processors=[record]))
    return seen[0].cpu()


def candidate_list(tokenizer, probs: torch.Tensor, top: int) -> list[dict]:
    """The `top` most likely tokens of probs (V,), best first: {"id", "text", "p"}."""
    values, ids = probs.topk(min(top, probs.numel()))
    return [{"id": i, "text": readable_token(tokenizer, i), "p": p}
            for i, p in zip(ids.tolist(), values.tolist(), strict=True)]
