"""From an OpenAI request to Engine requests and back: sampling fields, the n choices,
streaming, logprobs and usage, shared by /v1/chat/completions and /v1/completions.

Each of the `n` choices is its own Engine request (seed + i, so a seeded n=3 gives three
different but reproducible choices); they run in the same batch. Events come back from
the stepping thread (runner.py) on one asyncio queue per choice.

Test: `pytest tests/serve/test_openai_client.py`.
"""

import asyncio
import secrets
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from lmforge.errors import LmforgeError
from lmforge.infer import SamplingParams, StreamEvent
from lmforge.infer.defaults import ChatDefaults
from lmforge.infer.sequence import TokenLogprob
from lmforge.serve.errors import APIError, bad_request
from lmforge.serve.runner import EngineRunner, Failure
from lmforge.serve.schemas import SamplingFields

# a field a request leaves unset, where the endpoint has no defaults of its own (completions)
OPENAI_DEFAULTS = {"temperature": 1.0, "top_p": 1.0, "repetition_penalty": 1.0}
MAX_N = 16
MAX_STOP = 4
MAX_TOP_LOGPROBS = 20
DISCONNECT_POLL_S = 1.0


@dataclass
class ChoiceResult:
    """One choice gathered from its events."""

    index: int
    text: str = ""
    token_ids: list[int] = field(default_factory=list)
    logprobs: list[TokenLogprob] = field(default_factory=list)
    finish_reason: str | None = None


def new_id(prefix: str) -> str:
    return f"{prefix}-{secrets.token_hex(12)}"


def now() -> int:
    return int(time.time())


def sampling_params(body: SamplingFields, prompt_len: int, context: int, max_tokens: int | None,
                    logprobs: int | None, processors: list[Callable] | None = None,
                    defaults: ChatDefaults | None = None) -> list[SamplingParams]:
    """One SamplingParams per choice, checked; errors name the request field. Fields the
    request leaves unset take `defaults` (chat: infer/defaults.py), else OpenAI's own."""
    if not 1 <= body.n <= MAX_N:
        raise APIError(400, f"n={body.n} is invalid: must be between 1 and {MAX_N}", "n")
    if prompt_len >= context:
        raise APIError(400, f"the prompt has {prompt_len} tokens but the model's context is "
                       f"{context} tokens; shorten the prompt", "messages",
                       "context_length_exceeded")
    room = context - prompt_len
    if max_tokens is None:
        max_tokens = room if defaults is None else min(defaults.max_tokens, room)
    elif max_tokens < 1 or max_tokens > room:
        raise APIError(400, f"max_tokens={max_tokens} is invalid: the context is {context} "
                       f"tokens and the prompt uses {prompt_len}, so at most {room} can be "
                       "generated", "max_tokens", "context_length_exceeded")
    stop = [body.stop] if isinstance(body.stop, str) else list(body.stop or [])
    if len(stop) > MAX_STOP:
        raise APIError(400, f"stop has {len(stop)} strings; at most {MAX_STOP}", "stop")
    top_k = body.top_k if body.top_k and body.top_k > 0 else None  # vLLM: -1 or 0 = off
    sampling = given_or_default(body, defaults)
    out = []
    for i in range(body.n):
        params = SamplingParams(
            max_tokens=max_tokens, **sampling, top_k=top_k, min_p=body.min_p,
            frequency_penalty=body.frequency_penalty, presence_penalty=body.presence_penalty,
            stop=stop, seed=None if body.seed is None else body.seed + i, logprobs=logprobs,
            ignore_eos=body.ignore_eos,
            logits_processors=[make() for make in processors or []])
        try:
            out.append(params.validate())
        except LmforgeError as e:
            raise bad_request(e, str(e).split("=")[0]) from e
    return out


def given_or_default(body: SamplingFields, defaults: ChatDefaults | None) -> dict[str, float]:
    """temperature, top_p and repetition_penalty exactly as the request gives them; one it
    leaves out (or sends as null) takes `defaults`, or OpenAI's own without (all 1)."""
    fallback = defaults.to_json() if defaults is not None else OPENAI_DEFAULTS
    return {name: getattr(body, name) if name in body.model_fields_set
            and getattr(body, name) is not None else fallback[name] for name in OPENAI_DEFAULTS}


def admit(runner: EngineRunner, n: int) -> None:
    """503 while shutting down; 429 when the bounded queue is full (before queuing work)."""
    if not runner.accepting:
        raise APIError(503, "the server is shutting down", None, "shutting_down")
    if runner.in_flight + n > runner.max_in_flight:
        raise APIError(429, f"the server is busy: {runner.in_flight} requests in flight, "
                       f"limit {runner.max_in_flight} (--max-batch + --max-queue); retry",
                       None, "queue_full", headers={"Retry-After": "1"})


async def stream_events(runner: EngineRunner, prompt_ids: list[int],
                        params: list[SamplingParams], request=None
                        ) -> AsyncIterator[tuple[int, StreamEvent]]:
    """Yield (choice index, event) as the Engine produces them; abort all on exit early.

    `request` (when given) is polled for a disconnect while waiting, for non-streamed
    responses; a streamed response is cancelled by the server when its client goes."""
    base = new_id("req")
    ids = [f"{base}-{i}" for i in range(len(params))]
    merged: asyncio.Queue = asyncio.Queue()
    pumps = [asyncio.create_task(_pump(runner.submit(prompt_ids, p, rid), i, merged))
             for i, (p, rid) in enumerate(zip(params, ids, strict=True))]
    remaining = set(range(len(params)))
    try:
        while remaining:
            try:
                index, item = await asyncio.wait_for(merged.get(), DISCONNECT_POLL_S)
            except TimeoutError:
                if request is not None and await request.is_disconnected():
                    return
                continue
            if isinstance(item, Failure):
                raise _failure(item.error)
            if item.finished:
                remaining.discard(index)
            yield index, item
    finally:
        for task in pumps:
            task.cancel()
        for rid in ids:
            runner.abort(rid)  # no-op for requests that finished


async def _pump(source: asyncio.Queue, index: int, merged: asyncio.Queue) -> None:
    while True:
        item = await source.get()
        await merged.put((index, item))
        if isinstance(item, Failure) or item.finished:
            return


def _failure(error: Exception) -> APIError:
    if isinstance(error, LmforgeError | ValueError):
        return bad_request(error)
    return APIError(500, f"generation failed: {type(error).__name__}: {error}")


async def collect(runner: EngineRunner, prompt_ids: list[int], params: list[SamplingParams],
                  request=None) -> list[ChoiceResult]:
    """Run every choice to the end (a non-streamed response)."""
    results = [ChoiceResult(i) for i in range(len(params))]
    async for index, event in stream_events(runner, prompt_ids, params, request):
        add_event(results[index], event)
    return results


def add_event(result: ChoiceResult, event: StreamEvent) -> None:
    result.text += event.text
    if event.token_id is not None:
        result.token_ids.append(event.token_id)
    if event.logprob is not None:
        result.logprobs.append(event.logprob)
    if event.finished:
        result.finish_reason = "length" if event.finish_reason == "length" else "stop"


def usage(prompt_len: int, results: list[ChoiceResult]) -> dict:
    generated = sum(len(r.token_ids) for r in results)
    return {"prompt_tokens": prompt_len, "completion_tokens": generated,
            "total_tokens": prompt_len + generated}


def sse(data: dict | str) -> str:
    """One server-sent event carrying JSON (or the final '[DONE]')."""
    import json

    payload = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return f"data: {payload}\n\n"
