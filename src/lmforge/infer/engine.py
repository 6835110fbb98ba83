"""The Engine: the one place lmforge generates text.

    engine = Engine(model, tokenizer, max_batch_size=8)
    [completion] = engine.generate("Once upon a time", SamplingParams(max_tokens=50))
    for event in engine.stream(["a", "b"], params): print(event.text, end="")

Callers hand in requests (text or token ids, plus SamplingParams) and get per-request
outputs back: whole `Completion`s, or a stream of `StreamEvent`s interleaved across
requests. Batching is the Engine's business; no padding or row policy leaks out.

One `step()` is three calls, like nano-vllm: schedule (who runs and how many tokens each:
decode tokens and prefill chunks under one token budget; scheduler.py), run (one forward
over all of them on the paged KV pool, then one batched sampler call; model_runner.py),
postprocess (append tokens, detect stops, release finished sequences' blocks). New
requests join between steps: continuous batching. KV memory is blocks (block_manager.py),
shared between requests with the same prompt prefix. Beam search (n_beams > 1) runs on its
own path (beam.py).

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
from lmforge.infer.block_manager import BlockManager
from lmforge.infer.kv_pool import KVPool
from lmforge.infer.model_runner import ModelRunner, set_cpu_threads
from lmforge.infer.params import SamplingParams
from lmforge.infer.scheduler import Schedule, Scheduler
from lmforge.infer.sequence import Sequence, TokenLogprob
from lmforge.infer.speculative import DraftModel, propose_ngram, verify
from lmforge.memory import release_freed_memory
from lmforge.model.transformer import Transformer
from lmforge.tokenizer.streaming import StreamDecoder

Prompt = str | list[int]


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


TRIM_AFTER_TOKENS = 256  # steps this large return freed heap to the OS (16-stream peak RSS)


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
        num_kv_blocks: int | None = None,
        block_size: int = 16,
        max_num_batched_tokens: int = 512,
        num_threads: int | None = None,
        compile: bool = False,
        draft_model: Transformer | None = None,
        kv_dtype: torch.dtype | None = None,
    ) -> None:
        """max_batch_size: most sequences running at once. num_kv_blocks x block_size token
        slots of KV cache (default: one max_seq_len sequence, or max_batch_size x 512
        tokens, whichever is more). max_num_batched_tokens: tokens computed per step (decode
        tokens + prefill chunks). num_threads: CPU threads (default: torch's, capped at the
        cores this process may use). compile: torch.compile the forward (slow first steps).
        draft_model: a small model with the same vocabulary, for speculative="draft".
        kv_dtype: how the KV cache stores keys and values (default: the model's dtype);
        torch.float16 halves its memory, as llama.cpp's default cache does."""
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
        if self.device.type == "cpu":
            set_cpu_threads(num_threads)
        if num_kv_blocks is None:
            tokens = max(self.max_seq_len, max_batch_size * 512)
            num_kv_blocks = -(-tokens // block_size)
        self.block_manager = BlockManager(num_kv_blocks, block_size)
        self.scheduler = Scheduler(self.block_manager, max_batch_size, max_num_batched_tokens)
        self.runner = ModelRunner(model, KVPool.for_model(model, num_kv_blocks, block_size,
                                                          kv_dtype))
        if compile:
            self.runner.compile()
        self.draft = None
        if draft_model is not None:
            draft_vocab = draft_model.config.vocab_size
            if draft_vocab != config.vocab_size:
                raise ConfigError(f"the draft model's vocabulary has {draft_vocab} tokens, the "
                                  f"target's {config.vocab_size}: speculative decoding needs "
                                  "the same tokenizer")
            draft_model.to(self.device)
            self.draft = DraftModel(draft_model, num_kv_blocks, block_size)
        self.num_draft_tokens = self.num_accepted_tokens = 0  # speculative decoding counters
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
        """Stop a request now and free its blocks; its final event comes with the next step."""
        with self._lock:
            seq = self.scheduler.find(request_id)
            if seq is None:
                return False
            self.scheduler.finish(seq)
            text = seq.finish("abort")
            self._pending.append(StreamEvent(request_id, None, text, None, True, "abort"))
            return True

    def has_unfinished(self) -> bool:
        return self.scheduler.has_unfinished() or bool(self._pending)

    # -- one step: schedule, run, postprocess ---------------------------------------------

    def step(self) -> list[StreamEvent]:
        """Advance every running request by one token (or one prefill chunk)."""
        with self._lock, torch.inference_mode():
            events, self._pending = self._pending, []
            self._set_drafts()
            batch = self.scheduler.schedule()
            drafted = [seq for seq in batch.seqs if seq.draft_ids
                       and seq.params.speculative == "draft"]
            if drafted:  # after scheduling: the drafts' blocks exist now
                self.draft.propose(drafted)
            if not batch.is_empty:
                logits, owners = self.runner.run(batch)
                events += self._postprocess(batch, logits, owners)
                if sum(batch.num_tokens) >= TRIM_AFTER_TOKENS and self.device.type == "cpu":
                    # a prefill's activations go back to the OS (~0.5 ms), not into glibc's
                    # free lists to sit beside a KV pool that decode steps keep filling
                    release_freed_memory()
        for event in events:  # hand events to the stream/generate calls following them
            inbox = self._inboxes.get(event.request_id)
            if inbox is not None:
                inbox.append(event)
        return events

    def _set_drafts(self) -> None:
        """Propose tokens for decoding speculative requests (n-gram now; for a draft
        model, placeholders it fills once the scheduler has found their blocks)."""
        for seq in self.scheduler.running:
            seq.draft_ids, seq.draft_probs = [], None
            if seq.params.speculative is None or seq.num_uncomputed != 1:
                continue
            k = min(seq.params.draft_tokens, seq.max_len - seq.num_tokens - 1)
            if k <= 0:
                continue
            if seq.params.speculative == "ngram":
                seq.draft_ids = propose_ngram(seq.token_ids, k)
            else:
                seq.draft_ids = [0] * k

    def _postprocess(self, batch: Schedule, logits: torch.Tensor,
                     owners: list[tuple[Sequence, int]]) -> list[StreamEvent]:
        """Verify drafts, mark the computed tokens cached, sample, append each token,
        detect stops, and release finished sequences' blocks."""
        verdicts, plain, plain_rows, row = {}, [], [], 0
        for seq, rows in owners:
            if rows > 1:
                verdicts[seq.request_id] = verify(seq, logits[row : row + rows])
            else:
                plain.append(seq)
                plain_rows.append(row)
            row += rows
        for seq, n in zip(batch.seqs, batch.num_tokens, strict=True):
            seq.num_cached_tokens += n
            verdict = verdicts.get(seq.request_id)
            if verdict is not None:  # rejected drafts' keys/values are not the sequence's
                self.num_draft_tokens += len(seq.draft_ids)
                self.num_accepted_tokens += verdict.num_accepted
                seq.num_cached_tokens -= len(seq.draft_ids) - verdict.num_accepted
                seq.draft_cached_tokens = min(seq.draft_cached_tokens,
                                              seq.num_tokens + verdict.num_accepted)
            self.block_manager.commit(seq)  # full blocks become shareable prefixes
        events = []
        if plain:
            index = torch.tensor(plain_rows, device=logits.device)
            events += self._sample(plain, logits.index_select(0, index))
        for seq, _ in owners:
            verdict = verdicts.get(seq.request_id)
            if verdict is None:
                continue
            for token, logprob, top in zip(verdict.token_ids, verdict.logprobs, verdict.top,
                                           strict=True):
                events.append(self._append(seq, token, TokenLogprob(token, logprob, top)))
                if seq.is_finished:  # a stop inside the accepted drafts ends it there
                    break
        return events

    def _sample(self, seqs: list[Sequence], logits: torch.Tensor) -> list[StreamEvent]:
        out = self.runner.sample(seqs, logits)
        tokens, chosen = out.token_ids.tolist(), out.logprobs.tolist()  # the one host sync
        top_ids, top_lps = out.top_ids.tolist(), out.top_logprobs.tolist()
        events = []
        for i, seq in enumerate(seqs):
            n_top = seq.params.logprobs or 0
            record = TokenLogprob(tokens[i], chosen[i], list(zip(top_ids[i][:n_top],
                                                                 top_lps[i][:n_top],
                                                                 strict=True)))
            events.append(self._append(seq, tokens[i], record))
        return events

    def _append(self, seq: Sequence, token: int, record: TokenLogprob) -> StreamEvent:
        """Add one sampled token to a sequence; finish it if it stopped."""
        text = seq.append_token(token, record)
        if seq.finish_reason is not None:
            self.scheduler.finish(seq)
            seq.finish(seq.finish_reason)
        event_logprob = record if seq.params.logprobs is not None else None
        return StreamEvent(seq.request_id, token, text, event_logprob, seq.is_finished,
                           seq.finish_reason)

    # -- introspection ----------------------------------------------------------------------

    def stats(self) -> dict:
        """Queue sizes, KV blocks and prefix-cache counters, for servers and dashboards."""
        with self._lock:
            manager = self.block_manager
            return {
                "waiting": len(self.scheduler.waiting),
                "running": len(self.scheduler.running),
                "kv_blocks_total": manager.num_blocks,
                "kv_blocks_used": manager.num_blocks - manager.num_free,
                "kv_blocks_free": manager.num_free,
                "prefix_cache_hit_tokens": manager.hit_tokens,
                "prefix_cache_query_tokens": manager.query_tokens,
                "preemptions": self.scheduler.num_preemptions,
                "draft_tokens": self.num_draft_tokens,
                "draft_tokens_accepted": self.num_accepted_tokens,
            }

    def reset_prefix_cache(self) -> None:
        """Forget cached prompt prefixes; call after changing the model's weights."""
        with self._lock:
            self.block_manager.reset_prefix_cache()

    # -- building requests ----------------------------------------------------------------

    def _make_sequence(
        self, prompt: Prompt, params: SamplingParams | None, request_id: str | None
    ) -> Sequence:
        params = (params or SamplingParams()).validate()
        prompt_ids = self._encode(prompt)
        if params.speculative == "draft" and self.draft is None:
            raise SamplingError('speculative="draft" needs a draft model: '
                                "Engine(model, tokenizer, draft_model=small_model)")
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
        max_len = min(len(prompt_ids) + params.max_tokens, self.max_seq_len)
        manager = self.block_manager
        if manager.blocks_for(max_len) > manager.num_blocks:
            raise ContextLengthError(
                f"a request of {max_len} tokens (prompt + max_tokens) needs "
                f"{manager.blocks_for(max_len)} KV blocks of {manager.block_size} tokens; the "
                f"Engine has {manager.num_blocks} (raise num_kv_blocks or lower max_tokens)")
        return Sequence(
            request_id=request_id or f"req-{next(self._ids)}",
            prompt_ids=prompt_ids,
            params=params,
            stop_ids=frozenset(stop_ids),
            max_len=max_len,
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
