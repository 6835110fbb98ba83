"""Per-request state: one `Sequence` for each prompt the Engine is working on.

A Sequence is plain data (no tensors), created once per request and updated once per
generated token: its prompt and output ids, its sampling params, where its keys/values live
(a block table: see block_manager.py) and how many of its tokens are already in the cache,
why it finished, and its text. Text is produced
incrementally by a `StreamDecoder`; stop strings are matched on that text, and any tail
that could still grow into a stop string is held back from the stream until it cannot.

    text:     "Hello wor"  + "ld\\n\\nUser"   stop = ["\\nUser:"]
    released: "Hello wor"    "ld"            ("\\n\\nUser" held: it may become "\\nUser:")

Test: through `pytest tests/infer/test_engine.py` (stop strings) and test_scheduler.py.
"""

from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from lmforge.infer.params import SamplingParams

if TYPE_CHECKING:  # the scheduler imports this module and must stay free of torch
    import torch

    from lmforge.tokenizer.streaming import StreamDecoder


class Status(Enum):
    WAITING = "waiting"  # queued (new, or preempted: its blocks were freed), no blocks
    RUNNING = "running"  # holds blocks; prefilling in chunks or decoding
    FINISHED = "finished"  # done; its blocks are released


@dataclass(slots=True)
class TokenLogprob:
    """One generated token's logprob and the top alternatives (model's raw distribution)."""

    token_id: int
    logprob: float
    top: list[tuple[int, float]]


@dataclass(slots=True)
class Sequence:
    """Everything the Engine tracks about one request between steps."""

    request_id: str
    prompt_ids: list[int]
    params: SamplingParams
    stop_ids: frozenset[int]
    """Token ids that end this request (tokenizer stop ids unless ignore_eos, + params)."""
    max_len: int
    """Total length (prompt + output) at which generation stops: context or max_tokens."""
    decoder: "StreamDecoder | None" = None
    generator: "torch.Generator | None" = None
    status: Status = Status.WAITING
    output_ids: list[int] = field(default_factory=list)
    token_ids: list[int] = field(default_factory=list)
    """prompt_ids + output_ids, kept as one list (the block manager hashes its blocks)."""
    block_table: list[int] = field(default_factory=list)
    """KV-cache blocks holding this sequence's tokens, in order (empty while waiting)."""
    num_cached_tokens: int = 0
    """Leading tokens whose keys/values are in the cache (prefix hits + computed)."""
    num_committed_blocks: int = 0
    """Leading blocks already hashed for prefix sharing (block_manager.commit)."""
    draft_ids: list[int] = field(default_factory=list)
    """Speculative tokens proposed for this step (speculative.py), verified by the model."""
    draft_probs: "torch.Tensor | None" = None
    """(K, V) the draft model's distributions for draft_ids (None for n-gram drafts)."""
    draft_cached_tokens: int = 0
    """Leading tokens whose keys/values are in the draft model's pool."""
    finish_reason: str | None = None
    """'stop' (stop token or string), 'length' (max_tokens or context) or 'abort'."""
    text: str = ""
    """Output text decoded so far, cut before a stop string once one is found."""
    released: int = 0
    """Characters of `text` already handed out in stream events."""
    text_closed: bool = False
    """A stop string was found: no later text (e.g. a decoder flush) may be added."""
    logprobs: list[TokenLogprob] | None = None
    cumulative_logprob: float = 0.0

    def __post_init__(self) -> None:
        self.token_ids = list(self.prompt_ids) + list(self.output_ids)

    @property
    def num_tokens(self) -> int:
        return len(self.token_ids)

    @property
    def last_token(self) -> int:
        return self.token_ids[-1]

    @property
    def num_uncomputed(self) -> int:
        """Tokens still to feed through the model: the prompt's rest, or the last token."""
        return self.num_tokens - self.num_cached_tokens

    @property
    def is_finished(self) -> bool:
        return self.status is Status.FINISHED

    def append_token(self, token_id: int, record: TokenLogprob | None) -> str:
        """Record a sampled token, decide whether it ends the request; return new text."""
        self.output_ids.append(token_id)
        self.token_ids.append(token_id)
        if record is not None:
            self.cumulative_logprob += record.logprob
            if self.logprobs is not None:
                self.logprobs.append(record)
        if token_id in self.stop_ids:  # the stop token itself never becomes text
            self.finish_reason = "stop"
        elif self.decoder is not None:
            self._add_text(self.decoder.push(token_id))
        if self.finish_reason is None and self.num_tokens >= self.max_len:
            self.finish_reason = "length"
        if self.finish_reason is not None and self.decoder is not None:
            self._add_text(self.decoder.flush())
        return self._release()

    def finish(self, reason: str) -> str:
        """Mark finished (e.g. 'abort'), releasing held-back text; return that text."""
        if self.finish_reason is None:
            self.finish_reason = reason
        self.status = Status.FINISHED
        return self._release()

    def _add_text(self, delta: str) -> None:
        if not delta or self.text_closed:
            return
        start = self.released  # held-back text never contains a whole stop string
        self.text += delta
        cut = first_stop(self.text, self.params.stop, start)
        if cut is not None:
            self.text = self.text[:cut]
            self.text_closed = True
            self.finish_reason = "stop"

    def _release(self) -> str:
        """Hand out text that can no longer turn into a stop string."""
        end = len(self.text)
        if self.finish_reason is None:
            end -= held_back(self.text, self.params.stop, self.released)
        delta = self.text[self.released : end]
        self.released = max(self.released, end)
        return delta


def first_stop(text: str, stops: list[str], start: int = 0) -> int | None:
    """Index of the earliest stop string in text[start:], or None."""
    hits = [i for s in stops if (i := text.find(s, start)) >= 0]
    return min(hits) if hits else None


def held_back(text: str, stops: list[str], start: int = 0) -> int:
    """Length of the longest tail of text[start:] that is a proper prefix of a stop string."""
    longest = 0
    for stop in stops:
        for n in range(min(len(stop) - 1, len(text) - start), longest, -1):
            if text.endswith(stop[:n]):
                longest = n
                break
    return longest
