"""The scheduler: who runs this step. Waiting and running queues, continuous batching.

Requests wait in a FIFO queue. Between steps, `schedule()` admits waiting requests into
free KV-cache rows (they are prefilled this step) while the running ones decode one token
each; when a request finishes or is aborted its row is freed at once, so the next waiting
request can join on the following step. That is continuous batching (Orca, Yu et al. 2022):
the batch is refilled token by token instead of waiting for its slowest member.

Rows stay packed: running sequences own rows 0..n-1 in order, so a decode step hands the
model one contiguous slice of the cache. When a request in the middle finishes, the last
running sequence moves into its row and `finish` returns that move for the Engine to copy.

    rows:  [a b c d]   c finishes  ->  [a b d]   (move row 3 -> row 2)

Plain Python, no torch. Test: `pytest tests/infer/test_scheduler.py` (milliseconds).
"""

from collections import deque
from dataclasses import dataclass, field

from lmforge.infer.sequence import Sequence, Status


@dataclass(slots=True)
class RowMove:
    """The Engine must copy cache row `src` to row `dst` (the sequence already moved)."""

    src: int
    dst: int


@dataclass(slots=True)
class Schedule:
    """One step's work: rows to prefill (just admitted) and rows to decode (one token)."""

    prefill: list[Sequence] = field(default_factory=list)
    decode: list[Sequence] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.prefill and not self.decode


class Scheduler:
    """FIFO admission into at most `max_batch_size` packed rows."""

    def __init__(self, max_batch_size: int) -> None:
        if max_batch_size < 1:
            raise ValueError(f"max_batch_size must be >= 1, got {max_batch_size}")
        self.max_batch_size = max_batch_size
        self.waiting: deque[Sequence] = deque()
        self.running: list[Sequence] = []  # running[i].row == i

    def add(self, seq: Sequence) -> None:
        seq.status = Status.WAITING
        self.waiting.append(seq)

    def has_unfinished(self) -> bool:
        return bool(self.waiting or self.running)

    def schedule(self) -> Schedule:
        """Decode everyone running; admit waiting requests into the free rows."""
        batch = Schedule(decode=list(self.running))
        while self.waiting and len(self.running) < self.max_batch_size:
            seq = self.waiting.popleft()
            seq.status = Status.RUNNING
            seq.row = len(self.running)
            self.running.append(seq)
            batch.prefill.append(seq)
        return batch

    def finish(self, seq: Sequence) -> RowMove | None:
        """Free the sequence's row (or drop it from the queue); keep the rows packed."""
        seq.status = Status.FINISHED
        if seq.row is None:  # never admitted
            if seq in self.waiting:
                self.waiting.remove(seq)
            return None
        row, seq.row = seq.row, None
        last = self.running.pop()
        if last is seq:
            return None
        self.running[row] = last
        last.row = row
        return RowMove(src=len(self.running), dst=row)

    def find(self, request_id: str) -> Sequence | None:
        """The waiting or running sequence with this id, or None."""
        for seq in (*self.running, *self.waiting):
            if seq.request_id == request_id:
                return seq
        return None
