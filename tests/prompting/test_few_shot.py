"""Few-shot selection: the random draw is the evaluation chapter's, the similar one ranks by
cosine on given embeddings, and a question is never its own example."""

import numpy as np
import pytest

from lmforge.errors import ConfigError
from lmforge.eval.prompting import draw_examples
from lmforge.prompting.few_shot import SimilarSelector, few_shot_conversation, select_random
from lmforge.prompting.tasks import Problem

POOL = [Problem(f"q{i}", str(i), "number", f"{i} + 0 = {i}. The answer is {i}.")
        for i in range(6)]
VECTORS = {"q0": [1, 0], "q1": [0, 1], "q2": [0.8, 0.6], "q3": [0.6, 0.8], "q4": [-1, 0],
           "q5": [0.99, 0.141], "new": [1, 0]}


def embed(texts):
    return np.array([VECTORS[t] for t in texts], dtype=np.float32)


def test_similar_examples_are_the_nearest_and_never_the_question():
    selector = SimilarSelector(POOL, embed)
    assert [p.question for p in selector.select(Problem("new", "", "number"), 3)] == \
        ["q0", "q5", "q2"]
    # asked q0 itself: q0 is left out, the next nearest come in
    assert [p.question for p in selector.select(POOL[0], 3)] == ["q5", "q2", "q3"]


def test_random_draw_is_the_eval_chapters_draw_without_the_question():
    chosen = select_random(POOL, POOL[2], 3, seed=5, index=1)
    assert [POOL.index(p) for p in chosen] == draw_examples(6, 2, 3, 6)
    assert POOL[2] not in chosen


def test_conversation_shape():
    conversation = few_shot_conversation(POOL[:2], "q9")
    assert conversation == [
        {"role": "user", "content": "q0"}, {"role": "assistant", "content": "The answer is 0."},
        {"role": "user", "content": "q1"}, {"role": "assistant", "content": "The answer is 1."},
        {"role": "user", "content": "q9"}]
    assert few_shot_conversation(POOL[:1], "q9", worked=True)[1]["content"] == POOL[0].solution


def test_too_many_or_no_shots_is_one_clear_error():
    with pytest.raises(ConfigError, match="shots=6 but only 5 other examples"):
        select_random(POOL, POOL[0], 6, seed=0)
    with pytest.raises(ConfigError, match="shots=0 must be >= 1"):
        SimilarSelector(POOL, embed).select(POOL[0], 0)
