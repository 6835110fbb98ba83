"""Self-consistency: sample k chains of thought, answer with the most common final answer.

Wang et al., 2023, "Self-Consistency Improves Chain of Thought Reasoning in Language
Models": greedy decoding commits to one reasoning path; sampling k paths and taking a
majority vote over their *parsed final answers* (not over the texts) marginalises over the
paths, since different correct paths tend to agree on the answer and wrong ones scatter.

    votes = self_consistency(model, conversations, k=5, parse=read_answer,
                             sampling=Sampling(max_tokens=128, temperature=0.7, seed=0))
    votes[0].answer, votes[0].counts          # '8', {'8': 3, '7': 1}

All k x len(conversations) samples go to the model in one `complete` call (one Engine
batch). Sample i of every question uses seed + i, so the first 5 of a k=10 run are a k=5
run. Answers are compared after the verifiers' normaliser ("8", "8.0" and "8." are one
vote); a reply with no readable answer casts no vote. Ties go to the answer that reached
the top count first (in sample order), so the vote is deterministic.
Test: `pytest tests/prompting/test_self_consistency.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from lmforge.errors import ConfigError
from lmforge.prompting.completer import Conversation, Sampling
from lmforge.verify.answers import normalize_answer

Parse = Callable[[int, str], str | None]
"""(question index, reply) -> the final answer, or None when there is none."""


@dataclass
class Vote:
    answer: str | None
    """The winning answer as first written; None when no sample had one."""
    count: int
    counts: dict[str, int] = field(default_factory=dict)
    """Votes per normalised answer, in order of first appearance."""
    samples: list[str] = field(default_factory=list)


def majority_vote(answers: list[str | None]) -> Vote:
    """The most common answer; ties to the one that reached the top count first."""
    counts: dict[str, int] = {}
    first_written: dict[str, str] = {}
    leader, best = None, 0
    for answer in answers:
        if answer is None or not normalize_answer(answer):
            continue
        key = normalize_answer(answer)
        counts[key] = counts.get(key, 0) + 1
        first_written.setdefault(key, answer)
        if counts[key] > best:  # strictly more: an equal count does not take the lead
            leader, best = key, counts[key]
    return Vote(first_written[leader] if leader else None, best, counts)


def self_consistency(model, conversations: list[Conversation], k: int, parse: Parse,
                     sampling: Sampling) -> list[Vote]:
    """One vote per conversation over k samples; k x len(conversations) model calls."""
    if k < 1:
        raise ConfigError(f"self-consistency needs k >= 1 samples, got k={k}")
    if k > 1 and sampling.temperature <= 0:
        raise ConfigError("self-consistency with k > 1 needs temperature > 0 (greedy samples "
                          "are all the same)")
    seed = sampling.seed or 0
    many = [c for c in conversations for _ in range(k)]
    replies = model.complete(many, replace(sampling, seed=None),
                             seeds=[seed + i for _ in conversations for i in range(k)])
    votes = []
    for q in range(len(conversations)):
        samples = replies[q * k:(q + 1) * k]
        vote = majority_vote([parse(q, s) for s in samples])
        vote.samples = samples
        votes.append(vote)
    return votes
