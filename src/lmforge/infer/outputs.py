"""What the Engine hands back: a `StreamEvent` per request per step, a `Completion` per
finished request.

    step 1  StreamEvent(req-0, token 17, "Once")             stream / astream yield these
    step 2  StreamEvent(req-0, token 9,  " upon")
    ...
    step n  StreamEvent(req-0, token 2,  "", finished=True, finish_reason="stop")
            Completion(req-0, token_ids=[17, 9, ..., 2], text="Once upon ...")   generate

Plain data: the server, RL rollouts and agents read these and nothing else.

Test: through `pytest tests/infer/test_engine.py`.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lmforge.infer.sequence import Sequence, TokenLogprob

if TYPE_CHECKING:
    from lmforge.infer.sampler import SampleOutput


@dataclass(slots=True)
class StreamEvent:
    """One request's progress in one step: a new token and the text it completed."""

    request_id: str
    token_id: int | None
    """The token sampled this step (None for an abort event)."""
    text: str
    """New text (a delta); held back while it could still be the start of a stop string."""
    logprob: TokenLogprob | None
    """The token's logprob record when the request asked for logprobs."""
    finished: bool
    finish_reason: str | None
    """'stop', 'length' or 'abort' on the last event of a request."""


@dataclass(slots=True)
class Completion:
    """A finished request. token_ids include a final stop token; text never does."""

    request_id: str
    prompt_token_ids: list[int]
    token_ids: list[int]
    text: str
    finish_reason: str
    logprobs: list[TokenLogprob] | None
    cumulative_logprob: float


def completion_of(seq: Sequence) -> Completion:
    """The Completion of a sequence the Engine has finished."""
    return Completion(seq.request_id, seq.prompt_ids, list(seq.output_ids), seq.text,
                      seq.finish_reason or "length", seq.logprobs, seq.cumulative_logprob)


def token_records(out: "SampleOutput", n_tops: list[int]) -> list[TokenLogprob]:
    """The sampler's picks as records, one per row, each with its request's n_tops[row]
    most likely alternatives (the sampler returned max(n_tops) for every row)."""
    tokens, chosen = out.token_ids.tolist(), out.logprobs.tolist()  # the one host sync
    top_ids, top_logprobs = out.top_ids.tolist(), out.top_logprobs.tolist()
    return [TokenLogprob(tokens[i], chosen[i], list(zip(top_ids[i][:n], top_logprobs[i][:n],
                                                        strict=True)))
            for i, n in enumerate(n_tops)]
