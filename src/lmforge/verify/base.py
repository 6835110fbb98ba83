"""What a verifier is: a callable from (completion, task) to a score in [0, 1] and a reason.

    verdict = verifier("... The answer is 42.", {"prompt": "...", "answer": "42"})
    verdict.score, verdict.reason          # 1.0, "42 == 42"

A task is a dict (one JSONL record): `prompt` plus the fields its verifier reads
(`answer`, `tests`, `schema`, ...), listed in the verifier's `required_fields` so a task
file can be checked before a run starts. RL turns verdicts into rewards, evaluation into
accuracies; both call `score_many`, which a verifier that runs programs does in parallel.
Test: `pytest tests/verify/test_verifiers.py`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float  # 0 (wrong) .. 1 (right)
    reason: str  # one line a person can read: why this score


class Verifier:
    """Base class: subclasses set `name`, `required_fields` and implement `__call__`."""

    name = "verifier"
    required_fields: tuple[str, ...] = ()

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        raise NotImplementedError

    def score_many(self, completions: Sequence[str], tasks: Sequence[Mapping]) -> list[Verdict]:
        return [self(c, t) for c, t in zip(completions, tasks, strict=True)]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"
