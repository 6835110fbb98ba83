"""The scheduler: who runs this step, and how many tokens each. Plain Python, no torch.

Requests wait in a FIFO queue. Each step has a token budget (`max_num_batched_tokens`):

1. Running sequences go first. A decoding sequence computes one token (its last sampled
   one; plus its draft tokens under speculative decoding); a sequence still prefilling
   computes the next chunk of its prompt that fits the budget (chunked prefill). So a long
   prompt arriving never stalls the streams already running: they get their token this
   step, and the prompt takes what budget is left.
2. Waiting requests are admitted in order while seats (`max_num_seqs`), budget and KV
   blocks last. Admission allocates blocks for the whole prompt, reusing cached prefix
   blocks (block_manager.py): a hit starts the prefill after the shared prefix.

Continuous batching (Orca, Yu et al. 2022) falls out: a finished request frees its blocks
at once, and the next waiting request joins on the following step.

When a running sequence needs a new block and none is free, the most recently admitted
sequence is *preempted*: its blocks are freed and it goes back to the front of the queue,
to be recomputed from its tokens when it is readmitted (its prefix blocks are often still
cached, so the recompute is cheap). Its output so far is kept.

Test: `pytest tests/infer/test_scheduler.py` (milliseconds).
"""

from collections import deque
from dataclasses import dataclass, field

from lmforge.infer.block_manager import BlockManager
from lmforge.infer.sequence import Sequence, Status


@dataclass(slots=True)
class Schedule:
    """One step's work: which sequences run and how many new tokens each computes."""

    seqs: list[Sequence] = field(default_factory=list)
    num_tokens: list[int] = field(default_factory=list)

    def add(self, seq: Sequence, n: int) -> None:
        self.seqs.append(seq)
        self.num_tokens.append(n)

    @property
    def is_empty(self) -> bool:
        return not self.seqs


class Scheduler:
    """FIFO admission under a per-step token budget; preemption by recompute."""

    def __init__(self, block_manager: BlockManager, max_num_seqs: int,
                 max_num_batched_tokens: int) -> None:
        if max_num_seqs < 1:
            raise ValueError(f"max_batch_size must be >= 1, got {max_num_seqs}")
        if max_num_batched_tokens < 1:
            raise ValueError(f"max_num_batched_tokens must be >= 1, got {max_num_batched_tokens}")
        self.block_manager = block_manager
        self.max_num_seqs = max_num_seqs
        self.max_num_batched_tokens = max_num_batched_tokens
        self.waiting: deque[Sequence] = deque()
        self.running: list[Sequence] = []  # in admission order
        self.num_preemptions = 0

    def add(self, seq: Sequence) -> None:
        seq.status = Status.WAITING
        self.waiting.append(seq)

    def has_unfinished(self) -> bool:
        return bool(self.waiting or self.running)

    def schedule(self) -> Schedule:
        """Running sequences first (decode or next prefill chunk), then admissions."""
        batch, budget = Schedule(), self.max_num_batched_tokens
        i = 0
        while i < len(self.running) and budget > 0:
            seq = self.running[i]
            # drafts ride along only if the sequence's own token fits too
            seq.draft_ids = seq.draft_ids[: max(0, budget - seq.num_uncomputed)]
            n = min(seq.num_uncomputed + len(seq.draft_ids), budget)
            if not self._make_room(seq, seq.num_cached_tokens + n):
                continue  # seq itself was preempted: running[i] is now the next one
            batch.add(seq, n)
            budget -= n
            i += 1
        while self.waiting and budget > 0 and len(self.running) < self.max_num_seqs:
            seq = self.waiting[0]
            if not self.block_manager.can_allocate(seq):
                break  # FIFO: later requests wait too, so a long prompt is not starved
            self.waiting.popleft()
            self.block_manager.allocate(seq)
            seq.status = Status.RUNNING
            seq.draft_ids = []
            self.running.append(seq)
            n = min(seq.num_uncomputed, budget)
            batch.add(seq, n)
            budget -= n
        return batch

    def _make_room(self, seq: Sequence, num_tokens: int) -> bool:
        """Give seq blocks for num_tokens, preempting the newest others; False if seq
        itself had to be preempted."""
        manager = self.block_manager
        while not manager.can_ensure(seq, num_tokens):
            victim = self.running[-1]
            self.preempt(victim)
            if victim is seq:
                return False
        manager.ensure(seq, num_tokens)
        return True

    def preempt(self, seq: Sequence) -> None:
        """Free a running sequence's blocks; it waits at the front to be recomputed."""
        self.running.remove(seq)
        self.block_manager.free_blocks(seq)
        seq.status = Status.WAITING
        seq.draft_ids, seq.draft_cached_tokens = [], 0  # its blocks will be new ones
        self.waiting.appendleft(seq)
        self.num_preemptions += 1

    def finish(self, seq: Sequence) -> None:
        """Release a finished or aborted sequence's blocks (or drop it from the queue)."""
        if seq in self.running:
            self.running.remove(seq)
            self.block_manager.free_blocks(seq)
        elif seq in self.waiting:
            self.waiting.remove(seq)
        seq.status = Status.FINISHED

    def find(self, request_id: str) -> Sequence | None:
        """The waiting or running sequence with this id, or None."""
        for seq in (*self.running, *self.waiting):
            if seq.request_id == request_id:
                return seq
        return None
