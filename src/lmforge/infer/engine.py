"""The Engine: the one place lmforge generates text.

    engine = Engine(model, tokenizer, max_batch_size=8)
    [completion] = engine.generate("Once upon a time", SamplingParams(max_tokens=50))
    for event in engine.stream(["a", "b"], params): print(event.text, end="")

Requests (text or token ids, plus SamplingParams) go in; whole `Completion`s, or a stream
of `StreamEvent`s interleaved across requests, come out. Batching is the Engine's business.

One `step()` is three calls, like nano-vllm: schedule (who runs and how many tokens each:
decode tokens and prefill chunks under one token budget; scheduler.py), run (one forward
over all of them on the paged KV pool; model_runner.py), postprocess (sample, append
tokens, detect stops, free finished sequences' blocks). New requests join between steps:
continuous batching. Around the step, each mechanism has its own home:

    requests.py      prompt + params -> a checked Sequence
    speculative.py   Speculator: propose drafts, verify them, roll back the rejected ones
    streaming.py     Inboxes: each step's events to the stream / generate calls following them
    state_pool.py    a recurrent model's (Mamba) states, in its KV pool's place
    beam.py          beam search, for generate's requests with n_beams > 1
    outputs.py       StreamEvent and Completion

The server, RL rollouts and agents drive it through `add_request` / `step` / `abort`;
`generate`, `stream` and `astream` are loops over those.

Test: `pytest tests/infer/test_engine.py`.
"""

import threading
from collections.abc import AsyncIterator, Iterator

import torch

from lmforge.errors import ConfigError
from lmforge.infer.beam import beam_completion, refuse_beam_search, uses_beam_search
from lmforge.infer.block_manager import BlockManager
from lmforge.infer.kv_pool import KVPool
from lmforge.infer.model_runner import ModelRunner, set_cpu_threads
from lmforge.infer.outputs import Completion, StreamEvent, completion_of, token_records
from lmforge.infer.params import SamplingParams
from lmforge.infer.requests import ParamsArg, Prompt, Prompts, RequestBuilder, as_lists
from lmforge.infer.scheduler import Schedule, Scheduler
from lmforge.infer.sequence import Sequence, TokenLogprob
from lmforge.infer.speculative import Speculator, row_spans
from lmforge.infer.state_pool import StatePool
from lmforge.infer.streaming import Inboxes
from lmforge.memory import release_freed_memory
from lmforge.model.transformer import Transformer

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
        torch.float16 halves its memory, as llama.cpp's default cache does. A recurrent model
        (Mamba) ignores num_kv_blocks, block_size and kv_dtype: it holds one fixed-size state
        per running sequence (state_pool.py)."""
        config = model.config
        self.max_seq_len = max_seq_len or config.max_position_embeddings
        _check_generates(model, self.max_seq_len, draft_model)
        if device is not None:
            model.to(device)
        self.model = model.eval()
        self.tokenizer = tokenizer
        self.device = next(model.parameters()).device
        if self.device.type == "cpu":
            set_cpu_threads(num_threads)
        if config.is_recurrent:  # a seat's state is its one block, spanning the whole context
            num_kv_blocks, block_size = max_batch_size, self.max_seq_len
            pool = StatePool.for_model(model, num_kv_blocks)
        else:
            if num_kv_blocks is None:
                num_kv_blocks = -(-max(self.max_seq_len, max_batch_size * 512) // block_size)
            pool = KVPool.for_model(model, num_kv_blocks, block_size, kv_dtype)
        self.block_manager = BlockManager(num_kv_blocks, block_size)
        self.scheduler = Scheduler(self.block_manager, max_batch_size, max_num_batched_tokens)
        self.runner = ModelRunner(model, pool)
        if compile:
            self.runner.compile()
        self.speculator = Speculator(draft_model, config.vocab_size, num_kv_blocks, block_size,
                                     self.device)
        self.requests = RequestBuilder(tokenizer, config.vocab_size, self.max_seq_len,
                                       self.block_manager, self.device, draft_model is not None,
                                       config.is_recurrent)
        self.inboxes = Inboxes()  # the stream / generate calls following their requests
        self._pending: list[StreamEvent] = []  # abort events, returned by the next step
        self._lock = threading.Lock()  # step() may run in a worker thread (astream)

    # -- requests ---------------------------------------------------------------------------

    def add_request(self, prompt: Prompt, params: SamplingParams | None = None,
                    request_id: str | None = None) -> str:
        """Queue one request; it joins the running batch at the next step. Returns its id."""
        seq = self.requests.build(prompt, params, request_id)
        refuse_beam_search(seq.params, "the streaming API")
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
            batch = self._schedule()
            if not batch.is_empty:
                logits, owners = self.runner.run(batch)
                events += self._postprocess(batch, logits, owners)
                self._return_heap(batch)
        self.inboxes.deliver(events)
        return events

    def _schedule(self) -> Schedule:
        """Who runs this step; speculative requests bring their drafts along."""
        self.speculator.propose(self.scheduler.running)
        batch = self.scheduler.schedule()
        self.speculator.draft(batch)  # after scheduling: the drafts' blocks exist now
        return batch

    def _postprocess(self, batch: Schedule, logits: torch.Tensor,
                     owners: list[tuple[Sequence, int]]) -> list[StreamEvent]:
        """Verify drafts, mark the computed tokens cached, sample, append the new tokens,
        detect stops, and release finished sequences' blocks."""
        verified = self.speculator.verify_drafts(logits, owners)
        for seq, n in zip(batch.seqs, batch.num_tokens, strict=True):
            seq.num_cached_tokens += n
        self.speculator.roll_back(verified)  # less the drafts the model rejected
        for seq in batch.seqs:
            self.block_manager.commit(seq)  # full blocks become shareable prefixes
        plain = [(seq, start) for seq, start, rows in row_spans(owners) if rows == 1]
        new_tokens = self._sample(plain, logits) + [(s, v.records) for s, v in verified]
        return [event for seq, records in new_tokens for event in self._append(seq, records)]

    def _sample(self, plain: list[tuple[Sequence, int]],
                logits: torch.Tensor) -> list[tuple[Sequence, list[TokenLogprob]]]:
        """One batched sampler call for the sequences with one logits row: (seq, row)."""
        if not plain:
            return []
        seqs = [seq for seq, _ in plain]
        index = torch.tensor([row for _, row in plain], device=logits.device)
        out = self.runner.sample(seqs, logits.index_select(0, index))
        records = token_records(out, [seq.params.logprobs or 0 for seq in seqs])
        return [(seq, [record]) for seq, record in zip(seqs, records, strict=True)]

    def _append(self, seq: Sequence, records: list[TokenLogprob]) -> list[StreamEvent]:
        """Add new tokens to a sequence, an event each; a stop token or string ends it there."""
        events = []
        for record in records:
            text = seq.append_token(record.token_id, record)
            if seq.finish_reason is not None:
                self.scheduler.finish(seq)
                seq.finish(seq.finish_reason)
            event_logprob = record if seq.params.logprobs is not None else None
            events.append(StreamEvent(seq.request_id, record.token_id, text, event_logprob,
                                      seq.is_finished, seq.finish_reason))
            if seq.is_finished:
                break
        return events

    def _return_heap(self, batch: Schedule) -> None:
        """A prefill's activations go back to the OS (~0.5 ms), not into glibc's free
        lists to sit beside a KV pool that decode steps keep filling."""
        if sum(batch.num_tokens) >= TRIM_AFTER_TOKENS and self.device.type == "cpu":
            release_freed_memory()

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
                "draft_tokens": self.speculator.num_draft_tokens,
                "draft_tokens_accepted": self.speculator.num_accepted_tokens,
            }

    def reset_prefix_cache(self) -> None:
        """Forget cached prompt prefixes; call after changing the model's weights."""
        with self._lock:
            self.block_manager.reset_prefix_cache()

    # -- loops over add_request / step ----------------------------------------------------

    def generate(self, prompts: Prompts, params: ParamsArg = None) -> list[Completion]:
        """Complete every prompt; one Completion per prompt, in order."""
        prompts, params = as_lists(prompts, params)
        beams = [i for i, p in enumerate(params) if uses_beam_search(p)]
        sampled = [i for i in range(len(prompts)) if i not in beams]
        results: dict[int, Completion] = {}
        if sampled:
            seqs = self._submit([prompts[i] for i in sampled], [params[i] for i in sampled])
            for _ in self.inboxes.follow(seqs, self.step, self.abort):
                pass
            results.update(zip(sampled, map(completion_of, seqs), strict=True))
        for i in beams:
            seq = self.requests.build(prompts[i], params[i])
            with self._lock:
                results[i] = beam_completion(self.model, self.tokenizer, seq)
        return [results[i] for i in range(len(prompts))]

    def stream(self, prompts: Prompts, params: ParamsArg = None) -> Iterator[StreamEvent]:
        """Events token by token, interleaved across the prompts' requests."""
        seqs = self._submit(*as_lists(prompts, params))
        yield from self.inboxes.follow(seqs, self.step, self.abort)

    async def astream(self, prompts: Prompts,
                      params: ParamsArg = None) -> AsyncIterator[StreamEvent]:
        """`stream` for asyncio: steps run in a worker thread, so the event loop stays free.
        Concurrent astream calls share steps, so their requests batch together."""
        seqs = self._submit(*as_lists(prompts, params))
        async for event in self.inboxes.afollow(seqs, self.step, self.abort):
            yield event

    def _submit(self, prompts: list[Prompt], params: list[SamplingParams | None]) -> list[Sequence]:
        """Check every request first (all or none are queued), then queue and follow them."""
        seqs = [self.requests.build(p, sp) for p, sp in zip(prompts, params, strict=True)]
        for seq in seqs:
            refuse_beam_search(seq.params, "stream")
        with self._lock:
            self.inboxes.open(seqs)
            for seq in seqs:
                self.scheduler.add(seq)
        return seqs


def _check_generates(model: Transformer, max_seq_len: int,
                     draft_model: Transformer | None) -> None:
    """A decoder whose positions reach max_seq_len (and a cache a draft model can rewind)."""
    config = model.config
    if config.kind != "decoder":
        raise ConfigError(f"Engine generates from decoder models; this model is kind "
                          f"{config.kind!r} (use model.encode for encoder outputs)")
    if config.is_recurrent and draft_model is not None:
        raise ConfigError(f"speculative decoding rolls back rejected drafts; a {config.arch} "
                          f"model's recurrent state cannot be rolled back (no draft_model)")
    if config.position == "learned" and max_seq_len > config.max_position_embeddings:
        raise ConfigError(f"max_seq_len {max_seq_len} exceeds the model's learned "
                          f"position table ({config.max_position_embeddings})")
