"""The model runner: one schedule in, one forward, logits for the tokens to sample out.

Every sequence of the step contributes its new tokens (a prefill chunk, one decode token,
or a token plus drafts) to one flat batch, so the linear layers see N tokens and no padding:

    seq a  decode          [a9]                 positions 9          slots 9 of a's table
    seq b  prefill chunk   [b0 b1 b2 b3]        positions 0..3       ...
    seq c  decode          [c4]                 positions 4
    input_ids (1, N=6) = [a9 b0 b1 b2 b3 c4]

The tensors built here, once per step and shared by every layer: input ids and positions,
the slot of each new token (writes), each sequence's key slots (reads, from its block table)
and the attention mask. Only attention regroups tokens by sequence (kv_pool.PagedView).
Then the LM head runs only on the positions whose next token is sampled. A recurrent model
(Mamba) gets a state pool instead: its view says which state slot each sequence uses
(state_pool.StateView), and the same flat batch goes through the same forward.

Test: `pytest tests/infer/test_paged.py`.
"""

from dataclasses import dataclass

import torch

from lmforge.infer.kv_pool import KVPool, PagedView
from lmforge.infer.sampler import SampleOutput, SamplingTensors, sample, token_counts
from lmforge.infer.scheduler import Schedule
from lmforge.infer.sequence import Sequence
from lmforge.infer.state_pool import StatePool
from lmforge.model.backend import backend, prepare
from lmforge.model.transformer import Transformer
from lmforge.threads import set_cpu_threads  # noqa: F401  (the Engine imports it from here)


@dataclass(slots=True)
class Feed:
    """One sequence's part of a forward: tokens at positions start.., stored via its block
    table; the logits of its last `rows` tokens are wanted (0 mid-prefill)."""

    token_ids: list[int]
    start: int
    block_table: list[int]
    rows: int


class ModelRunner:
    """Turns a Schedule into one forward of `model` over the paged `pool`."""

    def __init__(self, model: Transformer, pool: KVPool | StatePool) -> None:
        self.model, self.pool = model, pool
        prepare(model, pool)  # the fast paths for this model and pool (model/backend.py)
        self.device = next(model.parameters()).device
        self.forward_fn = model  # replaced by a compiled forward when the Engine asks
        self.last_layout = ""

    def run(self, batch: Schedule) -> tuple[torch.Tensor, list[tuple[Sequence, int]]]:
        """Forward the step's tokens. Returns logits (M, V) for the positions to sample and
        [(seq, rows)]: consecutive rows per sequence (1, or 1 + drafts), in order.
        A sequence in the middle of its prefill gets no row."""
        feeds, owners, computes_prompt = [], [], False
        for seq, n in zip(batch.seqs, batch.num_tokens, strict=True):
            start = seq.num_cached_tokens
            tokens = seq.token_ids[start : start + n]
            tokens += seq.draft_ids[: n - len(tokens)]  # drafts follow the last real token
            rows = 0
            if start + n == seq.num_tokens + len(seq.draft_ids):  # reached its end: sample
                rows = 1 + len(seq.draft_ids)
                owners.append((seq, rows))
            feeds.append(Feed(tokens, start, seq.block_table, rows))
            computes_prompt |= start < len(seq.prompt_ids)
        return self.forward(feeds, computes_prompt), owners

    def forward(self, feeds: list["Feed"], computes_prompt: bool = False) -> torch.Tensor:
        """One forward over every feed's tokens; logits (M, V) of each feed's last `rows`.
        A step computing prompt tokens runs the stack on the prefill routes (backend.
        prompt_step); the head's few sampled rows take the same route either way."""
        input_ids, positions, view, sample_index = self.inputs(feeds)
        self.last_layout = view.layout  # for tests: which attention layout ran
        with backend.prompt_step(computes_prompt):
            hidden = self.forward_fn(input_ids, positions, cache=view)  # (1, N, C)
        if not sample_index:
            return hidden.new_zeros(0, self.model.config.vocab_size)
        index = torch.tensor(sample_index, device=self.device)
        return self.model.logits(hidden[0].index_select(0, index))  # (M, V)

    def inputs(self, feeds: list["Feed"]):
        """Flat inputs (1, N), the cache view (PagedView or StateView), and the flat indices
        of the rows to sample."""
        ids, positions, sample_index = [], [], []
        for feed in feeds:
            start, n, offset = feed.start, len(feed.token_ids), len(ids)
            ids += feed.token_ids
            positions += range(start, start + n)
            sample_index += range(offset + n - feed.rows, offset + n)
        device = self.device
        input_ids = torch.tensor([ids], device=device)  # (1, N)
        position_ids = torch.tensor([positions], device=device)  # (1, N)
        starts, lengths = [f.start for f in feeds], [len(f.token_ids) for f in feeds]
        if isinstance(self.pool, StatePool):  # one state slot a sequence: its one block
            view = self.pool.view([f.block_table[0] for f in feeds], [s == 0 for s in starts],
                                  lengths)
            return input_ids, position_ids, view, sample_index
        bs = self.pool.block_size
        slots = [f.block_table[p // bs] * bs + p % bs
                 for f in feeds for p in range(f.start, f.start + len(f.token_ids))]
        view = self._view(torch.tensor(slots, device=device), starts, lengths,
                          [f.block_table for f in feeds])
        return input_ids, position_ids, view, sample_index

    def _view(self, slot_mapping, starts, lengths, tables) -> PagedView:
        """Key slots and mask for sequences that computed `lengths` tokens after `starts`."""
        pool, bs, device = self.pool, self.pool.block_size, self.device
        n_seq = len(starts)
        contexts = [s + n for s, n in zip(starts, lengths, strict=True)]
        S, width = max(contexts), max(len(t) for t in tables)
        padded = [t + [pool.num_blocks] * (width - len(t)) for t in tables]  # zero block
        block_table = torch.tensor(padded, device=device)  # (n_seq, blocks)
        key_pos = torch.arange(S, device=device)  # (S,)
        key_slots = block_table[:, key_pos // bs] * bs + key_pos % bs  # (n_seq, S)
        context = torch.tensor(contexts, device=device)[:, None]  # (n_seq, 1)
        # slots past a sequence's end may hold garbage (even NaN): read the zero block there
        key_slots = torch.where(key_pos < context, key_slots, pool.zero_slot)
        Tq = max(lengths)
        start = torch.tensor(starts, device=device)[:, None]  # (n_seq, 1)
        query_pos = start + torch.arange(Tq, device=device)  # (n_seq, Tq)
        mask = (key_pos <= query_pos[:, :, None])[:, None]  # (n_seq, 1, Tq, S)
        query_index = output_index = None
        if n_seq == 1:
            layout = "one"
            is_causal = starts[0] == 0 and Tq > 1  # T == S: SDPA's causal kernel
            if is_causal or Tq == 1:
                mask = None
        elif Tq == 1:
            layout, is_causal = "decode", False
            if len(set(contexts)) == 1:
                mask = None  # every query sees every key
        else:
            layout = "ragged"
            is_causal = not any(starts) and len(set(lengths)) == 1  # fresh prompts, T == S
            if is_causal:
                mask = None  # SDPA's causal kernel, not the math path a mask takes
            offsets = torch.tensor([0, *lengths[:-1]], device=device).cumsum(0)[:, None]
            last = torch.tensor(lengths, device=device)[:, None] - 1
            # padding queries repeat the sequence's last one; their outputs are dropped
            query_index = offsets + torch.arange(Tq, device=device).clamp(max=last)
            output_index = torch.tensor([i * Tq + t for i, n in enumerate(lengths)
                                         for t in range(n)], device=device)
        decode_lengths = context[:, 0] if Tq == 1 else None
        return PagedView(pool, slot_mapping, key_slots, mask, is_causal, layout,
                         query_index, output_index, decode_lengths)

    def compile(self) -> None:
        """torch.compile the forward; shapes vary with the batch, so compile dynamically."""
        self.forward_fn = torch.compile(self.model, dynamic=True)

    # -- sampling ---------------------------------------------------------------------------

    def sample(self, seqs: list[Sequence], logits: torch.Tensor) -> SampleOutput:
        """One batched sampler call for one logits row (M, V) per sequence."""
        params = [s.params for s in seqs]
        V = logits.shape[-1]
        settings = SamplingTensors.from_params(params, V, self.device)
        seen = counts = None  # only requests with penalties pay for their history
        if any(p.repetition_penalty != 1 for p in params):
            seen = token_counts([s.token_ids if s.params.repetition_penalty != 1 else []
                                 for s in seqs], V, self.device) > 0
        if any(p.frequency_penalty != 0 or p.presence_penalty != 0 for p in params):
            counts = token_counts([s.output_ids if s.params.has_penalties else []
                                   for s in seqs], V, self.device)
        processors = [(s.output_ids, s.params.logits_processors)
                      if s.params.logits_processors else None for s in seqs]
        n_top = max(p.logprobs or 0 for p in params)
        return sample(logits, settings, [s.generator for s in seqs], seen, n_top, counts,
                      processors)
