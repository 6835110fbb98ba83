"""Run one prompting technique over a task: accuracy, its 95% bootstrap interval, calls.

    model = EngineCompleter(Engine(lm.model, lm.tokenizer, max_batch_size=32))
    report = evaluate(model, "word_problems", Settings("self-consistency", k=5), limit=50)
    report["accuracy"], report["ci95"], report["calls_per_question"]

Techniques (one module each):

    direct            the question, greedy                                   1 call
    few-shot          `shots` solved examples as earlier turns (few_shot.py)  1 call
    cot               the question + "Let's think step by step." (chain_of_thought.py)  1
    self-consistency  k sampled CoT replies, majority vote (self_consistency.py)  k calls
    tot               tree of thoughts (tree_of_thoughts.py): game24 and word problems only
                                                                  <= budget calls

Every technique asks for all its replies at one time in one batched call over the whole
task (the Engine batches them). The interval is a percentile bootstrap over questions
(Efron & Tibshirani, 1993): resample the per-question 0/1 scores with replacement 2,000
times, take the 2.5th and 97.5th percentiles of the mean.
Test: `pytest tests/prompting/test_evaluate.py`.
"""

from dataclasses import asdict, dataclass, field

import numpy as np

from lmforge.errors import ConfigError
from lmforge.prompting.chain_of_thought import COT_TOKENS, DIRECT_TOKENS, cot_conversation
from lmforge.prompting.completer import Sampling, user
from lmforge.prompting.few_shot import (
    SELECTIONS,
    SimilarSelector,
    few_shot_conversation,
    select_random,
)
from lmforge.prompting.self_consistency import self_consistency
from lmforge.prompting.tasks import Problem, load_problems, parse_answer

TECHNIQUES = ("direct", "few-shot", "cot", "self-consistency", "tot")


@dataclass
class Settings:
    """One technique and its knobs (each used only by the technique it names)."""

    technique: str = "direct"
    """direct, few-shot, cot, self-consistency or tot."""
    k: int = 5
    """self-consistency: samples per question."""
    shots: int = 3
    """few-shot: solved examples per question."""
    selection: str = "random"
    """few-shot: random or similar (by sentence embeddings)."""
    breadth: int = 3
    """tot: states kept per level."""
    depth: int | None = None
    """tot: levels (default: 3 for game24, 1 for word problems)."""
    proposals: int = 5
    """tot: thoughts proposed per kept state."""
    budget: int = 40
    """tot: most model calls per question."""
    value: str = "verifier"
    """tot: who values a state, verifier or model."""
    temperature: float = 0.7
    """Sampling temperature of self-consistency and tot."""
    seed: int = 0
    """Seed of few-shot draws and of samples."""

    def check(self) -> "Settings":
        if self.technique not in TECHNIQUES:
            raise ConfigError(f"unknown technique {self.technique!r} (known: "
                              f"{', '.join(TECHNIQUES)})")
        if self.k < 1:
            raise ConfigError(f"self-consistency needs k >= 1 samples, got k={self.k}")
        if self.selection not in SELECTIONS:
            raise ConfigError(f"few-shot selection must be one of {', '.join(SELECTIONS)}, "
                              f"got {self.selection!r}")
        for name in ("breadth", "depth", "proposals", "budget"):
            n = getattr(self, name)
            if n is not None and n < 1:
                raise ConfigError(f"tree of thoughts needs {name} >= 1, got {name}={n}")
        return self


@dataclass
class Outcome:
    answer: str | None
    correct: bool
    calls: int
    reply: str
    samples: list[str] = field(default_factory=list)
    """self-consistency: every sampled reply, in seed order."""


def solve(model, problems: list[Problem], pool: list[Problem], settings: Settings
          ) -> list[Outcome]:
    """Answer every problem with one technique."""
    settings.check()
    technique = settings.technique
    if technique == "tot":
        return _tree_of_thoughts(model, problems, settings)
    if technique == "self-consistency":
        return _self_consistency(model, problems, settings)
    if technique == "few-shot":
        conversations = _few_shot(problems, pool, settings)
    elif technique == "cot":
        conversations = [cot_conversation(p) for p in problems]
    else:
        conversations = [user(p.question) for p in problems]
    tokens = COT_TOKENS if technique == "cot" else DIRECT_TOKENS
    replies = model.complete(conversations, Sampling(max_tokens=tokens))
    return [_outcome(p, r, 1) for p, r in zip(problems, replies, strict=True)]


def _outcome(problem: Problem, reply: str, calls: int, answer: str | None = None) -> Outcome:
    answer = parse_answer(problem, reply) if answer is None else answer
    return Outcome(answer, problem.is_correct(answer), calls, reply)


def _few_shot(problems: list[Problem], pool: list[Problem], settings: Settings) -> list:
    if settings.selection == "similar":
        selector = SimilarSelector(pool)
        chosen = [selector.select(p, settings.shots) for p in problems]
    else:
        chosen = [select_random(pool, p, settings.shots, settings.seed, i)
                  for i, p in enumerate(problems)]
    return [few_shot_conversation(examples, p.question) for examples, p in
            zip(chosen, problems, strict=True)]


def _self_consistency(model, problems: list[Problem], settings: Settings) -> list[Outcome]:
    sampling = Sampling(max_tokens=COT_TOKENS, temperature=settings.temperature,
                        seed=settings.seed)
    votes = self_consistency(model, [cot_conversation(p) for p in problems], settings.k,
                             lambda q, reply: parse_answer(problems[q], reply), sampling)
    outcomes = [_outcome(p, v.samples[0], settings.k, v.answer)
                for p, v in zip(problems, votes, strict=True)]
    for outcome, vote in zip(outcomes, votes, strict=True):
        outcome.samples = vote.samples
    return outcomes


def _tree_of_thoughts(model, problems: list[Problem], settings: Settings) -> list[Outcome]:
    from lmforge.prompting.thought_problems import EquationThoughts, Game24Thoughts
    from lmforge.prompting.tree_of_thoughts import tree_of_thoughts

    kinds = {p.kind for p in problems}
    if not kinds <= {"game24", "number"}:
        raise ConfigError("tree of thoughts is defined here for game24 and arithmetic word "
                          "problems (a thought is a step of a calculation), not for "
                          f"{', '.join(sorted(kinds - {'game24', 'number'}))} problems")
    outcomes = []
    for p in problems:  # one search each; within a search every level is one batched call
        thoughts = Game24Thoughts(p.numbers) if p.kind == "game24" else EquationThoughts(p)
        depth = settings.depth or (3 if p.kind == "game24" else 1)
        result = tree_of_thoughts(
            model, thoughts, breadth=settings.breadth, depth=depth,
            proposals=settings.proposals, budget=settings.budget, value=settings.value,
            sampling=Sampling(max_tokens=24, temperature=settings.temperature,
                              seed=settings.seed, stop=["\n"]))
        # an unfinished search has no answer: its partial steps are not parsed as one
        answer = thoughts.answer(result.best) if result.kept else ""
        outcomes.append(_outcome(p, " / ".join(result.best.thoughts), result.calls, answer))
    return outcomes


def bootstrap_ci(scores, resamples: int = 2000, seed: int = 0, level: float = 0.95
                 ) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of per-question scores."""
    scores = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    means = scores[rng.integers(0, len(scores), (resamples, len(scores)))].mean(axis=1)
    tail = (1 - level) / 2 * 100
    return float(np.percentile(means, tail)), float(np.percentile(means, 100 - tail))


def evaluate(model, task: str, settings: Settings, limit: int | None = None) -> dict:
    """Accuracy with its 95% interval and model calls per question, for one task."""
    settings.check()
    problems, pool = load_problems(task, limit)
    outcomes = solve(model, problems, pool, settings)
    correct = [o.correct for o in outcomes]
    low, high = bootstrap_ci(correct, seed=settings.seed)
    return {"task": task, "settings": asdict(settings), "n": len(outcomes),
            "accuracy": float(np.mean(correct)), "ci95": [low, high],
            "calls_per_question": float(np.mean([o.calls for o in outcomes])),
            "examples": [asdict(o) for o in outcomes[:3]],
            "correct": [int(c) for c in correct]}
