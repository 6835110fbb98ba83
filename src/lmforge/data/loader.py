"""Batches of packed token blocks for causal-LM pretraining, deterministic and resumable.

Packing (as in GPT-2 / nanoGPT): the split is one long stream of ids with EOS between
documents; a training example is any window of T+1 consecutive ids at a random offset:

    stream:  ... the cat sat <eos> Once upon a time ...
    x:           the cat sat <eos> Once upon          (tokens[i : i+T])
    y:               cat sat <eos> Once upon a        (tokens[i+1 : i+T+1], x shifted by one)

No padding is ever wasted, and the EOS inside a block teaches the model that a new
document starts there.

Determinism: the offsets of step k come from a generator seeded with (seed, k), so the
batch of any step is a pure function of (seed, k). Resuming only needs k (`state_dict`),
and data parallelism needs no communication: every rank draws the same global batch of
batch_size * world_size offsets and keeps its own slice, so the global batch of a step is
the same for any world size.

`SequentialLoader` is for evaluation: fixed, non-overlapping blocks over the split.

Test: `pytest tests/data/test_loader.py`.
"""

from collections.abc import Iterator

import numpy as np
import torch

from lmforge.errors import ConfigError, DataError

Batch = tuple[torch.Tensor, torch.Tensor]  # x, y: (B, T) int64


def _check_shape(tokens: np.ndarray, block_size: int, batch_size: int) -> None:
    if block_size < 1 or batch_size < 1:
        raise ConfigError(f"block_size and batch_size must be >= 1, got {block_size}, {batch_size}")
    if len(tokens) < block_size + 1:
        raise DataError(
            f"split has {len(tokens)} tokens, fewer than block_size + 1 = {block_size + 1}"
        )


def _check_rank(rank: int, world_size: int) -> None:
    if world_size < 1 or not 0 <= rank < world_size:
        raise ConfigError(f"need 0 <= rank < world_size, got rank {rank}, world_size {world_size}")


def _blocks(tokens: np.ndarray, offsets: np.ndarray, block_size: int) -> Batch:
    """Gather windows of T+1 ids at `offsets` and split them into inputs and targets."""
    windows = np.stack([tokens[i : i + block_size + 1] for i in offsets]).astype(np.int64)
    windows = torch.from_numpy(windows)  # (B, T+1)
    return windows[:, :-1], windows[:, 1:]  # x (B, T), y (B, T): y is x shifted left by one


class _Blocks:
    """What both loaders check and hold: the tokens, the block and batch sizes, the rank."""

    def __init__(self, tokens: np.ndarray, block_size: int, batch_size: int, rank: int,
                 world_size: int) -> None:
        _check_shape(tokens, block_size, batch_size)
        _check_rank(rank, world_size)
        self.tokens, self.block_size = tokens, block_size
        self.batch_size = batch_size  # per rank; the global batch is batch_size * world_size
        self.rank, self.world_size = rank, world_size


class BlockLoader(_Blocks):
    """Random packed blocks for training: `next_batch()` -> (x, y), each (batch_size, T)."""

    def __init__(self, tokens: np.ndarray, block_size: int, batch_size: int, seed: int = 0,
                 rank: int = 0, world_size: int = 1) -> None:
        super().__init__(tokens, block_size, batch_size, rank, world_size)
        self.seed = seed
        self.step = 0  # batches drawn so far; the whole resumable state

    def offsets(self, step: int) -> np.ndarray:
        """Start offsets of this rank's blocks at `step`."""
        rng = np.random.default_rng([self.seed, step])
        global_batch = self.batch_size * self.world_size
        # Any i with i + T + 1 <= len(tokens) is a valid start.
        starts = rng.integers(0, len(self.tokens) - self.block_size, size=global_batch)
        return starts[self.rank * self.batch_size : (self.rank + 1) * self.batch_size]

    def next_batch(self) -> Batch:
        x_y = _blocks(self.tokens, self.offsets(self.step), self.block_size)
        self.step += 1
        return x_y

    def __iter__(self) -> Iterator[Batch]:
        while True:
            yield self.next_batch()

    def state_dict(self) -> dict:
        # seed and world shape are stored so a mismatched resume fails loudly.
        return {"step": self.step, "seed": self.seed, "global_batch_size": self._global_batch()}

    def load_state_dict(self, state: dict) -> None:
        if state["seed"] != self.seed:
            raise ConfigError(f"loader state has seed {state['seed']}, this loader {self.seed}")
        if state["global_batch_size"] != self._global_batch():
            raise ConfigError(
                f"loader state has global batch {state['global_batch_size']}, "
                f"this loader {self._global_batch()} (batch_size * world_size)"
            )
        self.step = int(state["step"])

    def _global_batch(self) -> int:
        return self.batch_size * self.world_size


class SequentialLoader(_Blocks):
    """Fixed evaluation blocks: non-overlapping windows from the start of the split.

    With `num_batches`, the blocks are spread evenly over the whole split rather than
    taken from its start, so a short evaluation still samples all of it. With several
    ranks, rank r takes every world_size-th block.
    """

    def __init__(self, tokens: np.ndarray, block_size: int, batch_size: int,
                 num_batches: int | None = None, rank: int = 0, world_size: int = 1) -> None:
        super().__init__(tokens, block_size, batch_size, rank, world_size)
        starts = np.arange(0, len(tokens) - block_size, block_size)
        if num_batches is not None and num_batches * batch_size * world_size < len(starts):
            wanted = num_batches * batch_size * world_size
            starts = starts[np.linspace(0, len(starts) - 1, wanted).round().astype(np.int64)]
        self.starts = starts[rank::world_size]

    def __len__(self) -> int:
        return -(-len(self.starts) // self.batch_size)  # ceil: the last batch may be short

    def __iter__(self) -> Iterator[Batch]:
        for i in range(0, len(self.starts), self.batch_size):
            yield _blocks(self.tokens, self.starts[i : i + self.batch_size], self.block_size)
