"""SamplingParams: how one request turns next-token distributions into text.

Every knob a caller can set on a generation request lives here, with the same names and
meanings as vLLM / the OpenAI API where they exist. `validate()` rejects impossible values
with a `SamplingError` naming the field, so a bad request fails at the door, not deep inside
the sampler. Order of processing in the sampler: logits processors, repetition penalty,
frequency/presence penalties, temperature, top-k, top-p, min-p, then draw (see `sampler.py`).

Test: `pytest tests/infer/test_params.py`.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lmforge.errors import SamplingError

if TYPE_CHECKING:  # params stay torch-free: the scheduler imports them
    import torch

LogitsProcessor = Callable[[list[int], "torch.Tensor"], "torch.Tensor"]
"""fn(output_ids, logits (V,) float32) -> logits (V,): e.g. a grammar mask (-inf = forbidden)."""


@dataclass(slots=True)
class SamplingParams:
    """Sampling settings for one request; temperature 0 means greedy."""

    max_tokens: int = 256
    """Most new tokens to generate (the context window may end generation sooner)."""
    temperature: float = 1.0
    """Divide logits by this before sampling; 0 picks the most likely token (ignores seed)."""
    top_k: int | None = None
    """Sample only among the k most likely tokens; None keeps all."""
    top_p: float = 1.0
    """Nucleus sampling: keep the smallest set of tokens whose probability mass >= top_p."""
    min_p: float = 0.0
    """Drop tokens whose probability is below min_p times the most likely token's."""
    repetition_penalty: float = 1.0
    """CTRL penalty on tokens already in prompt or output; > 1 discourages repeats."""
    frequency_penalty: float = 0.0
    """OpenAI: subtract count * this from the logit of each token generated count times."""
    presence_penalty: float = 0.0
    """OpenAI: subtract this from the logit of each token generated at least once."""
    logits_processors: list[LogitsProcessor] = field(default_factory=list)
    """Called in order on this request's raw logits each step, before penalties."""
    stop: list[str] = field(default_factory=list)
    """Strings that end generation; the output text ends right before the stop string."""
    stop_token_ids: list[int] = field(default_factory=list)
    """Token ids that end generation, in addition to the tokenizer's EOS/end-of-turn ids."""
    ignore_eos: bool = False
    """Keep generating past the tokenizer's EOS/end-of-turn ids (stop_token_ids still stop)."""
    seed: int | None = None
    """Seed for this request's own random generator: same seed, same tokens, any batch."""
    logprobs: int | None = None
    """Return each chosen token's logprob plus this many top alternatives (0 = chosen only)."""
    n_beams: int = 1
    """Beam search width; > 1 runs deterministic beam search instead of sampling."""
    length_penalty: float = 1.0
    """Beam search scores finished hypotheses by sum logprob / length**length_penalty."""
    speculative: str | None = None
    """Speculative decoding: "ngram" (prompt lookup) or "draft" (the Engine's draft model);
    the output keeps the target's distribution (greedy: identical tokens)."""
    draft_tokens: int = 4
    """Tokens proposed per step under speculative decoding."""

    @property
    def has_penalties(self) -> bool:
        """Whether the sampler needs this request's token history."""
        return (self.repetition_penalty != 1 or self.frequency_penalty != 0
                or self.presence_penalty != 0)

    def __post_init__(self) -> None:
        if isinstance(self.stop, str):  # a single stop string is a common shorthand
            self.stop = [self.stop]

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def validate(self) -> "SamplingParams":
        """Raise SamplingError naming the first out-of-range field; return self."""
        _check(_is_int(self.max_tokens) and self.max_tokens >= 1, "max_tokens", self.max_tokens,
               "must be an integer >= 1")
        _check(_is_real(self.temperature) and self.temperature >= 0, "temperature",
               self.temperature, "must be >= 0 (0 means greedy)")
        _check(self.top_k is None or (_is_int(self.top_k) and self.top_k >= 1), "top_k",
               self.top_k, "must be None (no limit) or an integer >= 1")
        _check(_is_real(self.top_p) and 0 < self.top_p <= 1, "top_p", self.top_p,
               "must be in (0, 1]")
        _check(_is_real(self.min_p) and 0 <= self.min_p < 1, "min_p", self.min_p,
               "must be in [0, 1)")
        _check(_is_real(self.repetition_penalty) and self.repetition_penalty > 0,
               "repetition_penalty", self.repetition_penalty, "must be > 0 (1 means off)")
        for name in ("frequency_penalty", "presence_penalty"):
            value = getattr(self, name)
            _check(_is_real(value) and -2 <= value <= 2, name, value, "must be in [-2, 2]")
        _check(isinstance(self.logits_processors, list)
               and all(callable(f) for f in self.logits_processors), "logits_processors",
               self.logits_processors, "must be a list of callables fn(output_ids, logits)")
        _check(isinstance(self.stop, list) and all(isinstance(s, str) and s for s in self.stop),
               "stop", self.stop, "must be a list of non-empty strings")
        _check(isinstance(self.stop_token_ids, list)
               and all(_is_int(t) and t >= 0 for t in self.stop_token_ids),
               "stop_token_ids", self.stop_token_ids, "must be a list of token ids >= 0")
        _check(self.seed is None or _is_int(self.seed), "seed", self.seed,
               "must be None or an integer")
        _check(self.logprobs is None or (_is_int(self.logprobs) and self.logprobs >= 0),
               "logprobs", self.logprobs, "must be None or an integer >= 0")
        _check(_is_int(self.n_beams) and self.n_beams >= 1, "n_beams", self.n_beams,
               "must be an integer >= 1")
        _check(_is_real(self.length_penalty), "length_penalty", self.length_penalty,
               "must be a finite number")
        _check(self.speculative in (None, "ngram", "draft"), "speculative", self.speculative,
               'must be None, "ngram" or "draft"')
        _check(_is_int(self.draft_tokens) and 1 <= self.draft_tokens <= 32, "draft_tokens",
               self.draft_tokens, "must be an integer in 1..32")
        _check(self.speculative is None or not (self.has_penalties or self.logits_processors
                                                or self.n_beams > 1),
               "speculative", self.speculative, "does not combine with penalties, logits "
               "processors or beam search (they need each token before the next)")
        return self


def _is_int(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_real(x: object) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


def _check(ok: bool, name: str, value: object, rule: str) -> None:
    if not ok:
        raise SamplingError(f"{name}={value!r} is invalid: {rule}")
