"""The Engine: the one place lmforge generates text.

    engine = Engine(model, tokenizer, max_batch_size=8)
    [completion] = engine.generate("Once upon a time", SamplingParams(max_tokens=50))
    for event in engine.stream(["a", "b"], params): print(event.text, end="")

Callers hand in requests (text or token ids, plus SamplingParams) and get per-request
outputs back: whole `Completion`s, or a stream of `StreamEvent`s interleaved across
requests. Batching is the Engine's business; no padding or row policy leaks out.

One `step()` is three calls, like nano-vllm: schedule (who prefills, who decodes; see
scheduler.py), run (one right-padded forward prefills all newly admitted rows, one forward
decodes one token for every running row, then one batched sampler call), postprocess
(append tokens, detect stops, free finished rows). New requests join between steps:
continuous batching. Beam search (n_beams > 1) runs on its own path (beam.py).

The server, RL rollouts and agents drive it through `add_request` / `step` / `abort`;
`generate`, `stream` and `astream` are loops over those.

Test: `pytest tests/infer/test_engine.py`.
"""

import asyncio
import itertools
import threading
from collections import deque
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import torch

from lmforge.errors import ConfigError, ContextLengthError, SamplingError
from lmforge.infer.beam import beam_search
from lmforge.infer.params import SamplingParams
from lmforge.infer.sampler import SamplingTensors, sample, token_counts
from lmforge.infer.scheduler import RowMove, Schedule, Scheduler
from lmforge.infer.sequence import Sequence, TokenLogprob
from lmforge.model.kv_cache import KVCache
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.streaming import StreamDecoder

Prompt = str | list[int]
CAPACITY_STEP = 256  # the cache grows in chunks of slots, so growth (a copy) is rare


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


class Engine:
    """Generates text from a decoder model; see the module docstring."""

    def __init__(
        self,
        model: Transformer,
        tokenizer=None,
        *,
        max_batch_size: int = 8,
        max_seq_len: int | None = None,
        device: torch.device | str | None = None,
    ) -> None:
        config = model.config
        if config.kind != "decoder":
            raise ConfigError(f"Engine generates from decoder models; this model is kind "
                              f"{config.kind!r} (use model.encode for encoder outputs)")
        if device is not None:
            model.to(device)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.device = next(model.parameters()).device
        self.max_seq_len = max_seq_len or config.max_position_embeddings
        if config.position == "learned" and self.max_seq_len > config.max_position_embeddings:
            raise ConfigError(f"max_seq_len {self.max_seq_len} exceeds the model's learned "
                              f"position table ({config.max_position_embeddings})")
        self.scheduler = Scheduler(max_batch_size)
        self.cache: KVCache | None = None  # allocated on first use, grown on demand
        # (rows, V) which tokens each row's prompt+output holds, for the repetition penalty
        self.seen = torch.zeros(max_batch_size, config.vocab_size, dtype=torch.bool,
                                device=self.device)
        self._pending: list[StreamEvent] = []  # abort events, returned by the next step
        self._inboxes: dict[str, deque[StreamEvent]] = {}  # requests stream/generate follow
        self._lock = threading.Lock()  # step() may run in a worker thread (astream)
        self._ids = itertools.count()

    # -- requests ---------------------------------------------------------------------------

    def add_request(
        self, prompt: Prompt, params: SamplingParams | None = None, request_id: str | None = None
    ) -> str:
        """Queue one request; it joins the running batch at the next step. Returns its id."""
        seq = self._make_sequence(prompt, params, request_id)
        if seq.params.n_beams > 1:
            raise SamplingError(f"n_beams={seq.params.n_beams}: beam search runs through "
                                "Engine.generate, not the streaming API")
        with self._lock:
            self.scheduler.add(seq)
        return seq.request_id

    def abort(self, request_id: str) -> bool:
        """Stop a request now and free its row; its final event comes with the next step."""
        with self._lock, torch.inference_mode():  # the cache is an inference tensor
            seq = self.scheduler.find(request_id)
            if seq is None:
                return False
            text = seq.finish("abort")
            self._apply(self.scheduler.finish(seq))
            self._pending.append(StreamEvent(request_id, None, text, None, True, "abort"))
            return True

    def has_unfinished(self) -> bool:
        return self.scheduler.has_unfinished() or bool(self._pending)

    # -- one step: schedule, run, postprocess ---------------------------------------------

    def step(self) -> list[StreamEvent]:
        """Advance every running request by one token; return their events."""
        with self._lock, torch.inference_mode():
            events, self._pending = self._pending, []
            batch = self.scheduler.schedule()
            if not batch.is_empty:
                sequences, logits = self._run(batch)
                events += self._postprocess(sequences, logits)
        for event in events:  # hand events to the stream/generate calls following them
            inbox = self._inboxes.get(event.request_id)
            if inbox is not None:
                inbox.append(event)
        return events

    def _run(self, batch: Schedule) -> tuple[list[Sequence], torch.Tensor]:
        """Prefill new rows and decode running rows; one (N, V) logits row per sequence."""
        self._reserve(batch.prefill)
        parts = []
        if batch.decode:
            parts.append(self._decode(batch.decode))
        if batch.prefill:
            parts.append(self._prefill(batch.prefill))
        return batch.decode + batch.prefill, torch.cat(parts)

    def _decode(self, seqs: list[Sequence]) -> torch.Tensor:
        """Feed each running sequence's last token; rows 0..n-1 hold them in order."""
        tokens = torch.tensor([[s.last_token] for s in seqs], device=self.device)  # (n, 1)
        positions = torch.tensor([[s.num_tokens - 1] for s in seqs], device=self.device)
        span = max(s.num_tokens for s in seqs)  # attention reads only the slots in use
        hidden = self.model(tokens, positions, cache=self.cache.view(0, len(seqs), span))
        return self.model.logits(hidden[:, -1])  # (n, V)

    def _prefill(self, seqs: list[Sequence]) -> torch.Tensor:
        """One forward for all new prompts, right-padded: padding slots past a short prompt
        are overwritten by its own later tokens before any of its queries can see them."""
        lengths = [len(s.prompt_ids) for s in seqs]
        T = max(lengths)
        tokens = torch.tensor([s.prompt_ids + [0] * (T - len(s.prompt_ids)) for s in seqs],
                              device=self.device)  # (k, T)
        positions = torch.arange(T, device=self.device).expand(len(seqs), -1)
        first = seqs[0].row  # admitted rows are contiguous
        hidden = self.model(tokens, positions, cache=self.cache.view(first, first + len(seqs), T))
        last = torch.tensor(lengths, device=self.device) - 1
        return self.model.logits(hidden[torch.arange(len(seqs)), last])  # (k, V)

    def _postprocess(self, seqs: list[Sequence], logits: torch.Tensor) -> list[StreamEvent]:
        """Sample, append each token, detect stops, free finished rows."""
        out = self._sample(seqs, logits)
        tokens, chosen = out.token_ids.tolist(), out.logprobs.tolist()
        top_ids, top_lps = out.top_ids.tolist(), out.top_logprobs.tolist()
        rows = torch.tensor([s.row for s in seqs], device=self.device)
        self.seen[rows, out.token_ids] = True
        events = []
        for i, seq in enumerate(seqs):
            n_top = seq.params.logprobs or 0
            record = TokenLogprob(tokens[i], chosen[i], list(zip(top_ids[i][:n_top],
                                                                 top_lps[i][:n_top],
                                                                 strict=True)))
            text = seq.append_token(tokens[i], record)
            event_logprob = record if seq.params.logprobs is not None else None
            if seq.finish_reason is not None:
                seq.finish(seq.finish_reason)
                self._apply(self.scheduler.finish(seq))
            events.append(StreamEvent(seq.request_id, tokens[i], text, event_logprob,
                                      seq.is_finished, seq.finish_reason))
        return events

    def _sample(self, seqs: list[Sequence], logits: torch.Tensor):
        params = [s.params for s in seqs]
        settings = SamplingTensors.from_params(params, logits.shape[-1], self.device)
        needs_seen = any(p.repetition_penalty != 1 for p in params)
        seen = self.seen[[s.row for s in seqs]] if needs_seen else None
        counts = None  # only requests with frequency/presence penalties pay for their history
        if any(p.frequency_penalty != 0 or p.presence_penalty != 0 for p in params):
            histories = [s.output_ids if s.params.has_penalties else [] for s in seqs]
            counts = token_counts(histories, logits.shape[-1], self.device)
        processors = [(s.output_ids, s.params.logits_processors)
                      if s.params.logits_processors else None for s in seqs]
        n_top = max(p.logprobs or 0 for p in params)
        return sample(logits, settings, [s.generator for s in seqs], seen, n_top, counts,
                      processors)

    # -- introspection ----------------------------------------------------------------------

    def stats(self) -> dict:
        """Queue sizes and KV-cache use, for servers and dashboards."""
        with self._lock:
            return {
                "waiting": len(self.scheduler.waiting),
                "running": len(self.scheduler.running),
                "kv_blocks_total": 0,  # this engine keeps dense rows, not blocks
                "kv_blocks_used": 0,
                "kv_blocks_free": 0,
                "prefix_cache_hit_tokens": 0,
                "prefix_cache_query_tokens": 0,
            }

    def reset_prefix_cache(self) -> None:
        """Forget cached prompt prefixes; call after changing the model's weights."""
        # dense rows keep no prefix cache yet: nothing outlives its request

    # -- cache rows -------------------------------------------------------------------------

    def _reserve(self, admitted: list[Sequence]) -> None:
        """Make room for newly admitted sequences: cache slots and a fresh `seen` row."""
        needed = max((s.max_len for s in self.scheduler.running), default=1)
        capacity = min(self.max_seq_len, -(-needed // CAPACITY_STEP) * CAPACITY_STEP)
        if self.cache is None:
            self.cache = KVCache.for_model(self.model, self.scheduler.max_batch_size, capacity)
        elif needed > self.cache.capacity:
            self.cache.grow(capacity)
        for seq in admitted:
            self.seen[seq.row] = False
            self.seen[seq.row, seq.prompt_ids] = True

    def _apply(self, move: RowMove | None) -> None:
        """Copy a moved sequence's cache row (the scheduler keeps rows packed)."""
        if move is not None and self.cache is not None:
            self.cache.copy_row(move.src, move.dst)
            self.seen[move.dst] = self.seen[move.src]

    # -- building requests ----------------------------------------------------------------

    def _make_sequence(
        self, prompt: Prompt, params: SamplingParams | None, request_id: str | None
    ) -> Sequence:
        params = (params or SamplingParams()).validate()
        prompt_ids = self._encode(prompt)
        if params.stop and self.tokenizer is None:
            raise SamplingError(f"stop={params.stop!r} needs text: give the Engine a tokenizer")
        stop_ids = set(params.stop_token_ids)
        if not params.ignore_eos and self.tokenizer is not None:
            stop_ids |= self.tokenizer.stop_ids
        generator = None
        if params.seed is not None and not params.greedy:  # greedy ignores the seed
            generator = torch.Generator(device=self.device).manual_seed(params.seed)
        decoder = None
        if self.tokenizer is not None:
            decoder = StreamDecoder(self.tokenizer, skip_special=True)
        return Sequence(
            request_id=request_id or f"req-{next(self._ids)}",
            prompt_ids=prompt_ids,
            params=params,
            stop_ids=frozenset(stop_ids),
            max_len=min(len(prompt_ids) + params.max_tokens, self.max_seq_len),
            decoder=decoder,
            generator=generator,
            logprobs=[] if params.logprobs is not None else None,
        )

    def _encode(self, prompt: Prompt) -> list[int]:
        """Text (with the tokenizer's own BOS convention) or token ids -> checked ids."""
        if isinstance(prompt, str):
            if self.tokenizer is None:
                raise ConfigError("a text prompt needs a tokenizer: Engine(model, tokenizer)")
            ids = self.tokenizer.encode(prompt, add_special=True, parse_special=True)
        else:
            ids = list(prompt)
        if not ids:
            raise ContextLengthError("the prompt is empty: generation needs at least one "
                                     "token to condition on")
        V = self.model.config.vocab_size
        bad = [i for i in ids if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < V]
        if bad:
            raise ConfigError(f"prompt token id {bad[0]!r} is not an id in 0..{V - 1}")
        if len(ids) >= self.max_seq_len:
            raise ContextLengthError(f"the prompt has {len(ids)} tokens but the context holds "
                                     f"{self.max_seq_len}, leaving no room to generate")
        return ids

    # -- loops over add_request / step ----------------------------------------------------

    def generate(
        self, prompts: Prompt | list[Prompt],
        params: SamplingParams | list[SamplingParams] | None = None,
    ) -> list[Completion]:
        """Complete every prompt; one Completion per prompt, in order."""
        prompts, params = _as_lists(prompts, params)
        beams = [i for i, p in enumerate(params) if p is not None and p.n_beams > 1]
        rest = [i for i in range(len(prompts)) if i not in beams]
        results: dict[int, Completion] = {}
        if rest:
            seqs = self._submit([prompts[i] for i in rest], [params[i] for i in rest])
            for _ in self._follow(seqs):
                pass
            results.update(zip(rest, map(_completion, seqs), strict=True))
        for i in beams:
            results[i] = self._beam(prompts[i], params[i])
        return [results[i] for i in range(len(prompts))]

    def stream(
        self, prompts: Prompt | list[Prompt],
        params: SamplingParams | list[SamplingParams] | None = None,
    ) -> Iterator[StreamEvent]:
        """Events token by token, interleaved across the prompts' requests."""
        seqs = self._submit(*_as_lists(prompts, params))
        yield from self._follow(seqs)

    async def astream(
        self, prompts: Prompt | list[Prompt],
        params: SamplingParams | list[SamplingParams] | None = None,
    ) -> AsyncIterator[StreamEvent]:
        """`stream` for asyncio: steps run in a worker thread, so the event loop stays free.
        Concurrent astream calls share steps, so their requests batch together."""
        seqs = self._submit(*_as_lists(prompts, params))
        inbox = self._inboxes[seqs[0].request_id]
        remaining = {s.request_id for s in seqs}
        try:
            while remaining:
                while inbox:
                    event = inbox.popleft()
                    if event.finished:
                        remaining.discard(event.request_id)
                    yield event
                if remaining:
                    await asyncio.to_thread(self.step)
        finally:
            self._unfollow(seqs)

    def _submit(self, prompts: list[Prompt], params: list[SamplingParams | None]):
        """Check every request first (all or none are queued), then queue and follow them."""
        seqs = [self._make_sequence(p, sp, None) for p, sp in zip(prompts, params, strict=True)]
        for seq in seqs:
            if seq.params.n_beams > 1:
                raise SamplingError(f"n_beams={seq.params.n_beams}: beam search runs "
                                    "through Engine.generate, not stream")
        inbox: deque[StreamEvent] = deque()  # one inbox keeps the events in step order
        with self._lock:
            for seq in seqs:
                self._inboxes[seq.request_id] = inbox
                self.scheduler.add(seq)
        return seqs

    def _follow(self, seqs: list[Sequence]) -> Iterator[StreamEvent]:
        inbox = self._inboxes[seqs[0].request_id]
        remaining = {s.request_id for s in seqs}
        try:
            while remaining:
                if not inbox:
                    self.step()
                while inbox:
                    event = inbox.popleft()
                    if event.finished:
                        remaining.discard(event.request_id)
                    yield event
        finally:
            self._unfollow(seqs)

    def _unfollow(self, seqs: list[Sequence]) -> None:
        """Forget the inboxes; abort requests the caller stopped listening to."""
        for seq in seqs:
            if not seq.is_finished:
                self.abort(seq.request_id)
            self._inboxes.pop(seq.request_id, None)

    def _beam(self, prompt: Prompt, params: SamplingParams) -> Completion:
        seq = self._make_sequence(prompt, params, None)
        with self._lock, torch.inference_mode():
            best = beam_search(self.model, seq.prompt_ids, seq.params, seq.stop_ids, seq.max_len)
        ids = best.token_ids
        text_ids = ids[:-1] if best.finish_reason == "stop" else ids
        text, reason = "", best.finish_reason
        if self.tokenizer is not None:
            text = self.tokenizer.decode(text_ids, skip_special=True)
            stops = [i for s in params.stop if (i := text.find(s)) >= 0]
            if stops:
                text, reason = text[: min(stops)], "stop"
        return Completion(seq.request_id, seq.prompt_ids, ids, text, reason or "length",
                          best.records if params.logprobs is not None else None, best.logprob)


def _completion(seq: Sequence) -> Completion:
    return Completion(seq.request_id, seq.prompt_ids, list(seq.output_ids), seq.text,
                      seq.finish_reason or "length", seq.logprobs, seq.cumulative_logprob)


def _as_lists(prompts, params) -> tuple[list[Prompt], list[SamplingParams | None]]:
    """One prompt or a list; one params for all or one per prompt."""
    is_single = isinstance(prompts, str) or (
        isinstance(prompts, list | tuple) and all(isinstance(t, int) for t in prompts))
    prompts = [prompts] if is_single else list(prompts)
    if not prompts:
        raise ContextLengthError("no prompts given")
    if params is None or isinstance(params, SamplingParams):
        return prompts, [params] * len(prompts)
    if len(params) != len(prompts):
        raise SamplingError(f"got {len(params)} SamplingParams for {len(prompts)} prompts")
    return prompts, list(params)
