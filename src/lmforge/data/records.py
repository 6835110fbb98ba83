"""One loader for record data (chat examples, packed blocks, preference pairs, seq2seq pairs).

    loader = RecordLoader(records, batch_size=8, seed=0, rank=r, world_size=w)
    batch = loader.next_batch()        # a list of batch_size records (this rank's slice)
    state = loader.state_dict()        # {"step", "seed", "global_batch_size"}: all it needs

Epoch e visits the records in a permutation seeded by (seed, e); every rank draws the same
global batch of batch_size * world_size records and keeps its own slice, so step k's global
batch is a pure function of (seed, k) for any world size, and resume needs only k.
Iterating (`for batch in loader`) walks all records once in order: the evaluation pass.

Test: `pytest tests/data/test_finetune_data.py -k loader`.
"""

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from lmforge.errors import ConfigError, DataError


class RecordLoader:
    """Shuffled, resumable batches of records (next_batch / state_dict / load_state_dict)."""

    def __init__(self, records: Sequence[Any], batch_size: int, seed: int = 0, rank: int = 0,
                 world_size: int = 1, name: str = "records", evaluation: bool = False) -> None:
        if batch_size < 1 or world_size < 1 or not 0 <= rank < world_size:
            raise ConfigError(f"bad loader shape: batch_size {batch_size}, rank {rank}, "
                              f"world_size {world_size}")
        # training draws whole global batches; an evaluation pass may end with a short one
        needed = world_size if evaluation else batch_size * world_size
        if len(records) < needed:
            raise DataError(f"{name}: {len(records)} examples, fewer than one global batch "
                            f"({batch_size} x {world_size} ranks)")
        self.records = list(records)
        self.batch_size, self.seed = batch_size, seed
        self.rank, self.world_size = rank, world_size
        self.step = 0

    def indices(self, step: int) -> np.ndarray:
        """This rank's record indices at `step`."""
        global_batch = self.batch_size * self.world_size
        per_epoch = len(self.records) // global_batch
        epoch, index = divmod(step, per_epoch)
        order = np.random.default_rng([self.seed, epoch]).permutation(len(self.records))
        chosen = order[index * global_batch: (index + 1) * global_batch]
        return chosen[self.rank * self.batch_size: (self.rank + 1) * self.batch_size]

    def next_batch(self) -> list:
        batch = [self.records[i] for i in self.indices(self.step)]
        self.step += 1
        return batch

    def __iter__(self) -> Iterator[list]:
        """Every record once, in order; rank r takes every world_size-th one (all ranks get
        the same number, so collectives in the loss stay in step)."""
        usable = len(self.records) - len(self.records) % self.world_size
        mine = self.records[:usable][self.rank::self.world_size]
        for i in range(0, len(mine), self.batch_size):
            yield mine[i: i + self.batch_size]

    def __len__(self) -> int:
        return -(-(len(self.records) // self.world_size) // self.batch_size)

    def state_dict(self) -> dict:
        return {"step": self.step, "seed": self.seed,
                "global_batch_size": self.batch_size * self.world_size}

    def load_state_dict(self, state: dict) -> None:
        if state["seed"] != self.seed:
            raise ConfigError(f"loader state has seed {state['seed']}, this loader {self.seed}")
        if state.get("global_batch_size", self.batch_size * self.world_size) != (
                self.batch_size * self.world_size):
            raise ConfigError(f"loader state has global batch {state['global_batch_size']}, "
                              f"this loader {self.batch_size * self.world_size}")
        self.step = int(state["step"])


def split_held_out(records: Sequence[Any], fraction: float, seed: int,
                   minimum: int = 1) -> tuple[list, list]:
    """(train, held-out): a seeded random share of the records held out (at least `minimum`
    when fraction > 0)."""
    if not 0 <= fraction < 1:
        raise ConfigError(f"held-out fraction must be in [0, 1), got {fraction}")
    if fraction == 0:
        return list(records), []
    order = np.random.default_rng([seed, 7]).permutation(len(records))
    n = max(minimum, round(len(records) * fraction))
    held = set(order[:n].tolist())
    return ([r for i, r in enumerate(records) if i not in held],
            [r for i, r in enumerate(records) if i in held])
