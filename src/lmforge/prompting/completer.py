"""The model as the prompting techniques see it: conversations in, reply texts out, counted.

    model = EngineCompleter(engine)                  # the bundled model through the Engine
    [reply] = model.complete([[{"role": "user", "content": "2 + 2?"}]], Sampling(max_tokens=8))
    model.calls                                      # 1: one conversation, one model call

Every technique (self-consistency, tree of thoughts, ...) asks for all the replies it needs
at one moment in one `complete` call, so the Engine batches them (k samples of one question
are k requests of one batch, not a Python loop). `calls` counts conversations answered: the
"model calls per question" of docs/prompting.md. Conversations are rendered with the
model's own chat template (`Tokenizer.encode_chat`). A `ScriptedCompleter` with fixed
replies stands in for the model in tests, so votes and search orders are hand-checkable.
Test: `pytest tests/prompting/test_self_consistency.py`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

Conversation = list[dict]


@dataclass
class Sampling:
    """How replies are drawn for one `complete` call."""

    max_tokens: int = 64
    """Most tokens a reply may have."""
    temperature: float = 0.0
    """0 is greedy; self-consistency and tree of thoughts sample above 0."""
    seed: int | None = None
    """Reply i of the call uses seed + i (unless `complete` is given seeds one by one)."""
    stop: list[str] = field(default_factory=list)
    """Strings that end a reply."""
    top_p: float = 1.0
    """Nucleus sampling (only above temperature 0)."""


class EngineCompleter:
    """Replies from an lmforge Engine, one batched generate call per `complete`."""

    def __init__(self, engine) -> None:
        self.engine, self.calls = engine, 0

    @property
    def tokenizer(self):
        return self.engine.tokenizer

    def complete(self, conversations: list[Conversation], sampling: Sampling,
                 seeds: list[int] | None = None) -> list[str]:
        from lmforge.infer.params import SamplingParams

        if not conversations:
            return []
        self.calls += len(conversations)
        prompts = [self.engine.tokenizer.encode_chat(c) for c in conversations]
        params = [SamplingParams(max_tokens=sampling.max_tokens,
                                 temperature=sampling.temperature, top_p=sampling.top_p,
                                 stop=list(sampling.stop), seed=seed)
                  for seed in request_seeds(sampling, len(prompts), seeds)]
        return [c.text for c in self.engine.generate(prompts, params)]


class ScriptedCompleter:
    """Fixed replies for tests: `reply(conversation, index_in_call)` or a list consumed in
    order; records every conversation asked, in order."""

    def __init__(self, replies: list[str] | Callable[[Conversation, int], str]) -> None:
        self.replies, self.calls, self.asked = replies, 0, []
        self.seeds: list[int | None] = []  # of the last call

    def complete(self, conversations: list[Conversation], sampling: Sampling,
                 seeds: list[int] | None = None) -> list[str]:
        self.seeds = request_seeds(sampling, len(conversations), seeds)
        out = []
        for i, conversation in enumerate(conversations):
            self.asked.append(conversation)
            if callable(self.replies):
                out.append(self.replies(conversation, i))
            else:
                out.append(self.replies[self.calls + i])
        self.calls += len(conversations)
        return out


def request_seeds(sampling: Sampling, n: int, seeds: list[int] | None) -> list[int | None]:
    """The seed of each of n replies: given one by one, or sampling.seed + i, or none."""
    if seeds is not None:
        if len(seeds) != n:
            raise ValueError(f"{len(seeds)} seeds for {n} conversations")
        return list(seeds)
    return [None if sampling.seed is None else sampling.seed + i for i in range(n)]


def user(content: str, system: str | None = None) -> Conversation:
    """A one-question conversation."""
    return ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": content}]
