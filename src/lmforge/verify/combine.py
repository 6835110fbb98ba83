"""Weighted combination of verifiers: one reward from several checks.

    reward = 0.8 * exact_match + 0.2 * tags       (weights normalised to sum to 1)

RL on a small model often adds a small format reward to the correctness reward, so the
model first learns where to put its answer; report the two apart (the metrics keep each
part's mean). Test: `pytest tests/verify/test_verifiers.py -k combine`.
"""

from collections.abc import Mapping, Sequence

from lmforge.errors import ConfigError
from lmforge.verify.base import Verdict, Verifier


class Combined(Verifier):
    name = "combined"

    def __init__(self, parts: Sequence[tuple[Verifier, float]]) -> None:
        if not parts:
            raise ConfigError("a combined verifier needs at least one part")
        for verifier, weight in parts:
            if not weight >= 0:
                raise ConfigError(f"weight of {verifier.name} must be >= 0, got {weight}")
        total = sum(weight for _, weight in parts)
        if total <= 0:
            raise ConfigError("combined verifier weights sum to 0")
        self.parts = [(verifier, weight / total) for verifier, weight in parts]
        self.required_fields = tuple(sorted({f for v, _ in parts for f in v.required_fields}))

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        return self.score_many([completion], [task])[0]

    def score_many(self, completions: Sequence[str], tasks: Sequence[Mapping]) -> list[Verdict]:
        # each part scores the whole batch at once (the code verifier runs in parallel)
        per_part = [verifier.score_many(completions, tasks) for verifier, _ in self.parts]
        verdicts = []
        for i in range(len(completions)):
            score = sum(w * per_part[p][i].score for p, (_, w) in enumerate(self.parts))
            reason = "; ".join(f"{v.name} {per_part[p][i].score:g} ({per_part[p][i].reason})"
                               for p, (v, _) in enumerate(self.parts))
            verdicts.append(Verdict(score, reason))
        return verdicts

    def part_scores(self, completions: Sequence[str], tasks: Sequence[Mapping]
                    ) -> dict[str, list[float]]:
        """Each part's own scores, so format gains are reported apart from correctness."""
        return {v.name: [d.score for d in v.score_many(completions, tasks)]
                for v, _ in self.parts}
