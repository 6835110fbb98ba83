"""Lesson 1, word by word: a language model writes one token at a time.

At each step the model gives every token of its vocabulary a probability of coming next,
softmax(logits) at temperature 1 on the raw prompt (no chat template). Greedy decoding
takes the most likely one; a learner may take any other and see the text branch.

    next_token(engine, "今天天气真", top=10)
      -> {"prompt": "今天天气真", "continuation": [], "text": "",
          "candidates": [{"id": 25472, "text": "好", "p": 0.41}, ...], "chosen": 25472}
    next_token(engine, "今天天气真", continuation=[25472])     # one step further
    word_by_word(engine, "Once upon a time", steps=5)   # greedy: {"steps": [...], "text"}

Test: `pytest tests/learn/test_word_by_word.py`.
"""

from collections.abc import Sequence

from lmforge.errors import ConfigError
from lmforge.infer import Engine
from lmforge.learn.lesson_engine import candidate_list, check_top, prompt_ids, raw_logits

MAX_STEPS = 64


def next_token(engine: Engine, prompt: str, continuation: Sequence[int] = (),
               top: int = 10) -> dict:
    """The `top` most likely next tokens after prompt + continuation, best first; `chosen`
    is the one greedy decoding takes."""
    check_top(top)
    ids = prompt_ids(engine, prompt, continuation)
    probs = raw_logits(engine, ids).softmax(dim=-1)  # temperature 1: the model's own odds
    candidates = candidate_list(engine.tokenizer, probs, top)
    return {"prompt": prompt, "continuation": list(continuation),
            "text": engine.tokenizer.decode(list(continuation), skip_special=True),
            "candidates": candidates, "chosen": candidates[0]["id"]}


def word_by_word(engine: Engine, prompt: str, steps: int = 8, top: int = 5) -> dict:
    """`steps` greedy steps after prompt, each with its candidates (next_token's dicts),
    and the text they wrote."""
    if isinstance(steps, bool) or not isinstance(steps, int) or not 1 <= steps <= MAX_STEPS:
        raise ConfigError(f"steps={steps!r} is invalid: must be in 1..{MAX_STEPS}")
    continuation: list[int] = []
    shown = []
    for _ in range(steps):
        step = next_token(engine, prompt, continuation, top)
        shown.append(step)
        if step["chosen"] in engine.tokenizer.stop_ids:  # the model ended its text
            break
        continuation.append(step["chosen"])
    return {"prompt": prompt, "steps": shown, "token_ids": continuation,
            "text": engine.tokenizer.decode(continuation, skip_special=True)}
