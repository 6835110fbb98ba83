"""The block manager: which fixed-size KV blocks each sequence owns. Plain Python, no torch.

The KV pool (kv_pool.py) is cut into `num_blocks` blocks of `block_size` token slots. A
sequence's *block table* lists its blocks in order, so the token at position p lives in
block `table[p // block_size]`, slot `p % block_size` (paged attention, Kwon et al. 2023):

    tokens:  [The cat sat on][the mat and ][purred]        block_size = 4
    table:   [      7       ][     2      ][  9   ]        any free blocks, in any order

Memory is claimed a block at a time as a sequence grows and returned the moment it ends,
so many sequences fit where dense rows of max length would not.

Prefix caching: once a block is full and its keys/values are computed, it gets a hash of its
tokens chained with the previous block's hash (so equal hashes mean equal prefixes). A new
sequence whose leading blocks hash the same *shares* those blocks (reference counts) and
skips their prefill. A freed block keeps its hash and stays reusable until the space is
needed; the free list is in LRU order, so the least recently freed block is evicted first.

Test: `pytest tests/infer/test_block_manager.py` (milliseconds).
"""

from collections import OrderedDict
from dataclasses import dataclass

from lmforge.infer.sequence import Sequence


@dataclass(slots=True)
class Block:
    block_id: int
    ref_count: int = 0
    hash: int | None = None
    """Set once the block is full and computed: identifies its tokens and whole prefix."""
    token_ids: tuple[int, ...] = ()
    """The tokens whose keys/values the block holds (checked on a hash hit)."""


def block_hash(token_ids: tuple[int, ...], previous: int | None) -> int:
    """Hash of one full block's tokens, chained with the hash of the block before it."""
    return hash((previous, token_ids))


class BlockManager:
    """Allocates blocks to sequences; shares computed prefix blocks between them."""

    def __init__(self, num_blocks: int, block_size: int) -> None:
        if num_blocks < 1 or block_size < 1:
            raise ValueError(f"need num_blocks >= 1 and block_size >= 1, got {num_blocks}, "
                             f"{block_size}")
        self.block_size = block_size
        self.blocks = [Block(i) for i in range(num_blocks)]
        self.free: OrderedDict[int, None] = OrderedDict.fromkeys(range(num_blocks))  # LRU first
        self.cached: dict[int, int] = {}  # prefix hash -> block id
        self.hit_tokens = 0  # prompt tokens served from the prefix cache
        self.query_tokens = 0  # prompt tokens looked up

    @property
    def num_blocks(self) -> int:
        return len(self.blocks)

    @property
    def num_free(self) -> int:
        return len(self.free)

    def blocks_for(self, num_tokens: int) -> int:
        return -(-num_tokens // self.block_size)

    # -- admission --------------------------------------------------------------------------

    def cached_prefix(self, seq: Sequence) -> list[int]:
        """Ids of the computed blocks that hold this sequence's leading tokens. The last
        token is never covered: its logits are needed, so at least one token is computed."""
        blocks, previous = [], None
        ids, size = seq.token_ids, self.block_size
        for start in range(0, len(ids) - 1 - size + 1, size):
            tokens = tuple(ids[start : start + size])
            h = block_hash(tokens, previous)
            block_id = self.cached.get(h)
            if block_id is None or self.blocks[block_id].token_ids != tokens:
                break
            blocks.append(block_id)
            previous = h
        return blocks

    def can_allocate(self, seq: Sequence) -> bool:
        """Whether the free list holds the blocks this sequence's tokens need, after hits."""
        hits = self.cached_prefix(seq)
        reused_free = sum(1 for b in hits if self.blocks[b].ref_count == 0)
        needed = self.blocks_for(seq.num_tokens) - len(hits)
        return needed <= self.num_free - reused_free

    def allocate(self, seq: Sequence) -> None:
        """Give a waiting sequence blocks for all its tokens, sharing cached prefix blocks."""
        assert not seq.block_table, f"{seq.request_id} already holds blocks"
        hits = self.cached_prefix(seq)
        for block_id in hits:
            self._take(block_id)
        seq.block_table = list(hits)
        seq.num_committed_blocks = len(hits)
        seq.num_cached_tokens = len(hits) * self.block_size
        self.hit_tokens += seq.num_cached_tokens
        self.query_tokens += seq.num_tokens
        self.ensure(seq, seq.num_tokens)

    # -- growth and release ---------------------------------------------------------------

    def can_ensure(self, seq: Sequence, num_tokens: int) -> bool:
        return self.blocks_for(num_tokens) - len(seq.block_table) <= self.num_free

    def ensure(self, seq: Sequence, num_tokens: int) -> None:
        """Append fresh blocks until the table covers `num_tokens` tokens."""
        while len(seq.block_table) < self.blocks_for(num_tokens):
            seq.block_table.append(self._take_fresh())

    def free_blocks(self, seq: Sequence) -> None:
        """Release a finished, aborted or preempted sequence's blocks (shared ones stay)."""
        for block_id in reversed(seq.block_table):  # its tail is least likely to be shared:
            block = self.blocks[block_id]  # freed first, so evicted first
            block.ref_count -= 1
            if block.ref_count == 0:
                self.free[block_id] = None
        seq.block_table = []
        seq.num_cached_tokens = 0
        seq.num_committed_blocks = 0

    def commit(self, seq: Sequence) -> None:
        """Hash the sequence's blocks that are now full and computed, so others can share
        them (prompt blocks and generated ones alike: a chat resending its history hits)."""
        size, table = self.block_size, seq.block_table
        for i in range(seq.num_committed_blocks, min(seq.num_cached_tokens // size, len(table))):
            block = self.blocks[table[i]]
            previous = self.blocks[table[i - 1]].hash if i > 0 else None
            if i > 0 and previous is None:  # the prefix before it is not hashed: cannot chain
                break
            if block.hash is None:
                tokens = tuple(seq.token_ids[i * size : (i + 1) * size])
                h = block_hash(tokens, previous)
                if h in self.cached:  # an identical block computed alongside got there first:
                    break  # this copy stays private, and the blocks after it cannot chain
                block.hash, block.token_ids = h, tokens
                self.cached[h] = block.block_id
            seq.num_committed_blocks = i + 1

    def reset_prefix_cache(self) -> None:
        """Forget every hash (after the weights change, cached keys/values are stale)."""
        self.cached.clear()
        for block in self.blocks:
            block.hash, block.token_ids = None, ()

    # -- one block ------------------------------------------------------------------------

    def _take(self, block_id: int) -> int:
        """Share a cached block: one more reference (off the free list if it was there)."""
        block = self.blocks[block_id]
        if block.ref_count == 0:
            del self.free[block_id]
        block.ref_count += 1
        return block_id

    def _take_fresh(self) -> int:
        """Claim the least recently freed block, evicting whatever prefix it cached."""
        block_id, _ = self.free.popitem(last=False)
        block = self.blocks[block_id]
        if block.hash is not None and self.cached.get(block.hash) == block_id:
            del self.cached[block.hash]
        block.hash, block.token_ids, block.ref_count = None, (), 1
        return block_id
