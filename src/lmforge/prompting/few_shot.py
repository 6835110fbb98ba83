"""Few-shot prompting: solved examples as earlier chat turns, then the question.

    user: <example question>        assistant: <its answer>        (x shots)
    user: <the question>            assistant: ...

Which examples: `random` draws them with a seed per question (the draw of the evaluation
chapter, eval/prompting.py `draw_examples`, so a run is reproducible and each question gets
its own set); `similar` takes the examples whose questions are nearest to the asked one by
cosine of sentence embeddings (Liu et al., 2021, "What makes good in-context examples for
GPT-3?"), embedded by the bundled all-MiniLM-L6-v2 through infer/embeddings.py. A question
is never its own example.
Test: `pytest tests/prompting/test_few_shot.py`.
"""

from collections.abc import Callable

import numpy as np

from lmforge.errors import ConfigError
from lmforge.eval.prompting import draw_examples
from lmforge.prompting.completer import Conversation
from lmforge.prompting.tasks import Problem

SELECTIONS = ("random", "similar")
Embed = Callable[[list[str]], np.ndarray]
"""texts -> (N, C) unit vectors."""


def final_text(problem: Problem) -> str:
    """What a solved example's assistant turn says: its final answer, no working."""
    if problem.kind == "game24":
        return problem.solution
    return problem.solution.split(". ")[-1] if ". " in problem.solution else problem.solution


def few_shot_conversation(examples: list[Problem], question: str,
                          worked: bool = False) -> Conversation:
    """Examples as user/assistant turns (their worked solutions when `worked`), then the
    question."""
    turns: Conversation = []
    for example in examples:
        reply = example.solution if worked else final_text(example)
        turns += [{"role": "user", "content": example.question},
                  {"role": "assistant", "content": reply}]
    return [*turns, {"role": "user", "content": question}]


def select_random(pool: list[Problem], question: Problem, shots: int, seed: int,
                  index: int = 0) -> list[Problem]:
    """`shots` examples drawn with seed + index, never the question itself."""
    own = next((i for i, p in enumerate(pool) if p.question == question.question), None)
    _check_shots(shots, len(pool) - (own is not None))
    return [pool[i] for i in draw_examples(len(pool), own, shots, seed + index)]


class SimilarSelector:
    """Picks the pool's examples nearest to a question (embeddings computed once)."""

    def __init__(self, pool: list[Problem], embed: Embed | None = None) -> None:
        self.pool, self.embed = pool, embed or minilm_embed()
        self.vectors = self.embed([p.question for p in pool])  # (N, C)

    def select(self, question: Problem, shots: int) -> list[Problem]:
        others = [i for i, p in enumerate(self.pool) if p.question != question.question]
        _check_shots(shots, len(others))
        similarity = self.vectors[others] @ self.embed([question.question])[0]  # (N,)
        order = np.argsort(-similarity, kind="stable")[:shots]
        return [self.pool[others[i]] for i in order]


def minilm_embed(name: str = "all-minilm-l6-v2") -> Embed:
    """Sentence embeddings from a bundled encoder (infer/embeddings.py)."""
    from lmforge.infer.embeddings import embed_texts
    from lmforge.io.registry import load

    encoder = load(name)

    def embed(texts: list[str]) -> np.ndarray:
        return embed_texts(encoder.model, encoder.tokenizer, texts).numpy()

    return embed


def _check_shots(shots: int, available: int) -> None:
    if shots < 1:
        raise ConfigError(f"shots={shots} must be >= 1 for few-shot prompting")
    if shots > available:
        raise ConfigError(f"shots={shots} but only {available} other examples to choose from")
