"""Block loaders: packed x/y blocks, seeded, resumable, and split across ranks exactly."""

import numpy as np
import pytest
import torch

from lmforge.data.loader import BlockLoader, SequentialLoader
from lmforge.errors import ConfigError, DataError

T, B = 8, 4


@pytest.fixture
def tokens(tmp_path) -> np.memmap:
    """A memory-mapped uint16 split whose value at position i is i % 1000: offsets are visible."""
    path = tmp_path / "train.bin"
    (np.arange(5_000) % 1000).astype(np.uint16).tofile(path)
    return np.memmap(path, dtype=np.uint16, mode="r")


def _take(loader: BlockLoader, n: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    return [loader.next_batch() for _ in range(n)]


def _same(a, b) -> bool:
    return all(
        torch.equal(xa, xb) and torch.equal(ya, yb) for (xa, ya), (xb, yb) in zip(a, b, strict=True)
    )


def test_x_and_y_are_int64_blocks_with_y_shifted_by_one(tokens):
    x, y = BlockLoader(tokens, T, B, seed=0).next_batch()
    assert x.shape == y.shape == (B, T) and x.dtype == y.dtype == torch.int64
    assert torch.equal(x[:, 1:], y[:, :-1])
    for row_x, row_y in zip(x, y, strict=True):
        start = int(row_x[0])  # values equal positions here (mod 1000)
        expected = np.asarray(tokens[start : start + T + 1], dtype=np.int64)
        assert row_x.tolist() == expected[:-1].tolist()
        assert row_y.tolist() == expected[1:].tolist()


def test_same_seed_same_batches_other_seed_other_batches(tokens):
    a = _take(BlockLoader(tokens, T, B, seed=1), 5)
    b = _take(BlockLoader(tokens, T, B, seed=1), 5)
    c = _take(BlockLoader(tokens, T, B, seed=2), 5)
    assert _same(a, b)
    assert not _same(a, c)


def test_resume_from_state_dict_continues_the_exact_sequence(tokens):
    reference = _take(BlockLoader(tokens, T, B, seed=3), 10)
    first = BlockLoader(tokens, T, B, seed=3)
    _take(first, 4)
    state = first.state_dict()
    resumed = BlockLoader(tokens, T, B, seed=3)
    resumed.load_state_dict(state)
    assert state["step"] == 4
    assert _same(_take(resumed, 6), reference[4:])


def test_resume_with_another_seed_is_refused(tokens):
    state = BlockLoader(tokens, T, B, seed=3).state_dict()
    with pytest.raises(ConfigError, match="seed"):
        BlockLoader(tokens, T, B, seed=4).load_state_dict(state)


def test_two_ranks_together_draw_the_single_rank_global_batch(tokens):
    single = _take(BlockLoader(tokens, T, 2 * B, seed=5), 3)
    rank0 = _take(BlockLoader(tokens, T, B, seed=5, rank=0, world_size=2), 3)
    rank1 = _take(BlockLoader(tokens, T, B, seed=5, rank=1, world_size=2), 3)
    for (x, y), (x0, y0), (x1, y1) in zip(single, rank0, rank1, strict=True):
        assert torch.equal(x, torch.cat([x0, x1])) and torch.equal(y, torch.cat([y0, y1]))
        assert not torch.equal(x0, x1)  # the ranks see different data


def test_resume_on_another_world_size_keeps_the_global_sequence(tokens):
    # Trained 2 steps on 1 rank with global batch 2B, resumed on 2 ranks of B each.
    single = BlockLoader(tokens, T, 2 * B, seed=6)
    reference = _take(BlockLoader(tokens, T, 2 * B, seed=6), 4)
    _take(single, 2)
    rank0 = BlockLoader(tokens, T, B, seed=6, rank=0, world_size=2)
    rank0.load_state_dict(single.state_dict())
    x0, _ = rank0.next_batch()
    assert torch.equal(x0, reference[2][0][:B])


def test_blocks_cover_the_last_valid_offset_and_no_further(tmp_path):
    tiny = np.arange(T + 1, dtype=np.uint16)  # exactly one possible block
    x, y = BlockLoader(tiny, T, 3, seed=0).next_batch()
    assert x.tolist() == [list(range(T))] * 3 and y.tolist() == [list(range(1, T + 1))] * 3
    with pytest.raises(DataError, match="fewer than block_size"):
        BlockLoader(tiny[:T], T, 1)


def test_sequential_loader_covers_the_split_in_fixed_blocks(tokens):
    loader = SequentialLoader(tokens, T, B)
    batches = list(loader)
    starts = [int(x[0]) for xb, _ in batches for x in xb]
    expected = [i % 1000 for i in range(0, 5_000 - T, T)]
    assert starts == expected  # non-overlapping, in order, from position 0
    assert len(batches) == len(loader) == -(-len(expected) // B)
    assert _same(batches, list(loader))  # fixed blocks: the same every time


def test_sequential_loader_num_batches_spreads_blocks_over_the_split(tokens):
    loader = SequentialLoader(tokens, T, B, num_batches=2)
    starts = [int(x[0]) for xb, _ in loader for x in xb]
    assert len(loader) == 2 and len(starts) == 2 * B
    assert starts[0] == 0 and loader.starts[-1] == (5_000 - T - 1) // T * T  # first to last block


def test_sequential_loader_ranks_partition_the_blocks(tokens):
    whole = SequentialLoader(tokens, T, B, num_batches=3).starts
    parts = [
        SequentialLoader(tokens, T, B, num_batches=3, rank=r, world_size=2).starts for r in (0, 1)
    ]
    full = SequentialLoader(tokens, T, B, num_batches=6).starts
    assert sorted(np.concatenate(parts).tolist()) == sorted(full.tolist())
    assert len(whole) == 3 * B
