"""Scheduler and block manager: token budget, chunked prefill, admission while blocks last,
preemption, prefix sharing, LRU eviction; every block comes back (plain Python, no torch)."""

import ast
from pathlib import Path

from lmforge.infer.block_manager import BlockManager
from lmforge.infer.params import SamplingParams
from lmforge.infer.scheduler import Scheduler
from lmforge.infer.sequence import Sequence, Status, first_stop, held_back


def seq(name: str, n_prompt: int = 3, first: int = 1) -> Sequence:
    return Sequence(name, list(range(first, first + n_prompt)), SamplingParams(), frozenset(),
                    100)


def scheduler(num_blocks=16, block_size=4, max_seqs=8, budget=64) -> Scheduler:
    return Scheduler(BlockManager(num_blocks, block_size), max_seqs, budget)


def step(s: Scheduler, token: int = 7) -> list[tuple[str, int]]:
    """Schedule, then do what the Engine does after a forward: mark tokens computed and
    append a sampled token to sequences that reached their end."""
    batch = s.schedule()
    for x, n in zip(batch.seqs, batch.num_tokens, strict=True):
        x.num_cached_tokens += n
        s.block_manager.commit(x)
        if x.num_cached_tokens == x.num_tokens:
            x.output_ids.append(token)
            x.token_ids.append(token)
    return [(x.request_id, n) for x, n in zip(batch.seqs, batch.num_tokens, strict=True)]


def top_level_imports(path: str) -> set[str]:
    """Modules a file imports at run time (imports under `if TYPE_CHECKING:` excluded)."""
    names = set()
    for node in ast.parse(Path(path).read_text()).body:  # module level only
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            names.add(node.module)
    return names


def test_imports_no_torch():
    import lmforge.infer.block_manager as block_manager
    import lmforge.infer.scheduler as scheduler
    import lmforge.infer.sequence as sequence
    for module in (scheduler, sequence, block_manager):
        imports = top_level_imports(module.__file__)
        assert not any(name.split(".")[0] == "torch" for name in imports), imports


def test_admits_fifo_up_to_max_seqs_then_decodes_one_token_each():
    s = scheduler(max_seqs=2)
    a, b, c = seq("a"), seq("b", 5), seq("c")
    for x in (a, b, c):
        s.add(x)
    assert step(s) == [("a", 3), ("b", 5)]  # whole prompts: they fit the budget
    assert c.status is Status.WAITING and a.status is Status.RUNNING
    assert (len(a.block_table), len(b.block_table)) == (1, 2)  # 4-token blocks
    assert step(s) == [("a", 1), ("b", 1)]  # decode: one token each


def test_chunked_prefill_shares_the_budget_with_running_decodes():
    s = scheduler(budget=6)
    a, long = seq("a", 3), seq("long", 14, first=20)
    s.add(a)
    step(s)
    s.add(long)
    assert step(s) == [("a", 1), ("long", 5)]  # a keeps decoding; the prompt takes the rest
    assert step(s) == [("a", 1), ("long", 5)]
    assert step(s) == [("a", 1), ("long", 4)]  # the last chunk: now it samples
    assert long.output_ids == [7] and long.num_cached_tokens == 14
    assert step(s) == [("a", 1), ("long", 1)]


def test_finish_frees_blocks_for_a_waiting_request():
    s = scheduler(num_blocks=2, block_size=4)
    a, b = seq("a", 6), seq("b", 6, first=50)
    s.add(a)
    s.add(b)
    assert step(s) == [("a", 6)]  # b needs 2 blocks: none left
    assert s.block_manager.num_free == 0
    s.finish(a)
    assert a.status is Status.FINISHED and a.block_table == []
    assert step(s) == [("b", 6)]  # b joins mid-flight: continuous batching


def test_finish_of_a_waiting_request_just_drops_it():
    s = scheduler(max_seqs=1)
    a, b = seq("a"), seq("b")
    s.add(a)
    s.add(b)
    s.schedule()
    assert s.find("b") is b
    s.finish(b)
    assert s.find("b") is None and list(s.waiting) == []
    s.finish(a)
    assert not s.has_unfinished() and s.block_manager.num_free == 16


def test_out_of_blocks_preempts_the_newest_and_recomputes_it_later():
    s = scheduler(num_blocks=3, block_size=4)
    a, b = seq("a", 4), seq("b", 4, first=30)
    s.add(a)
    s.add(b)
    step(s)  # a and b hold one full block each, one block free
    assert step(s) == [("a", 1)]  # a takes the free block; b would need one more: preempted
    assert b.status is Status.WAITING and s.waiting[0] is b and b.block_table == []
    assert b.output_ids == [7] and s.num_preemptions == 1
    s.finish(a)
    assert step(s) == [("b", 1)]  # back in: its prompt block was a cached prefix (hit)
    assert b.num_cached_tokens == 5 and b.output_ids == [7, 7]
    s.finish(b)
    assert s.block_manager.num_free == 3


def test_a_prefix_hit_shares_blocks_and_skips_their_prefill():
    s = scheduler(block_size=4)
    a = seq("a", 10)
    s.add(a)
    step(s)  # 10 tokens computed: blocks 0 and 1 are full, so they are hashed
    b = seq("b", 11)  # same first 10 tokens, then one more
    b.prompt_ids[-1] = b.token_ids[-1] = 99
    s.add(b)
    assert step(s) == [("a", 1), ("b", 3)]  # 8 tokens hit: only 3 computed
    assert b.block_table[:2] == a.block_table[:2]
    m = s.block_manager
    assert (m.hit_tokens, m.query_tokens) == (8, 21)
    assert m.blocks[a.block_table[0]].ref_count == 2
    s.finish(a)
    s.finish(b)
    assert m.num_free == 16 and all(blk.ref_count == 0 for blk in m.blocks)


def test_a_whole_prompt_hit_still_computes_its_last_token():
    m = BlockManager(8, 4)
    a = seq("a", 8)
    m.allocate(a)
    a.num_cached_tokens = 8
    m.commit(a)
    b = seq("b", 8)
    m.allocate(b)
    assert b.num_cached_tokens == 4  # the second block is recomputed: its logits are needed


def test_freed_prefix_blocks_stay_cached_until_evicted_least_recent_first():
    m = BlockManager(4, 2)
    a = seq("a", 5)  # blocks for [1 2] [3 4] [5]
    m.allocate(a)
    a.num_cached_tokens = 5
    m.commit(a)
    m.free_blocks(a)
    assert m.num_free == 4 and len(m.cached) == 2
    again = seq("again", 5)
    m.allocate(again)
    assert again.num_cached_tokens == 4  # served from freed blocks
    m.free_blocks(again)
    other = seq("other", 7, first=40)  # needs all 4 blocks: evicts both cached ones
    m.allocate(other)
    assert m.cached == {} and m.num_free == 0


def test_reset_prefix_cache_forgets_hashes():
    m = BlockManager(4, 2)
    a = seq("a", 5)
    m.allocate(a)
    a.num_cached_tokens = 5
    m.commit(a)
    m.free_blocks(a)
    m.reset_prefix_cache()
    b = seq("b", 5)
    m.allocate(b)
    assert b.num_cached_tokens == 0


def test_stop_string_helpers():
    assert first_stop("hello world", ["wor", "lo"]) == 3
    assert first_stop("hello", ["xyz"]) is None
    assert held_back("abc\nUs", ["\nUser:"]) == 3  # "\nUs" may become the stop string
    assert held_back("abc", ["\nUser:"]) == 0
    assert held_back("ab", ["b", "bc"]) == 1  # a whole "b" would be found, not held
