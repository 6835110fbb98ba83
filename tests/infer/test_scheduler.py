"""Scheduler: FIFO admission into packed rows, freeing and moving rows (no torch)."""

import ast
from pathlib import Path

from lmforge.infer.params import SamplingParams
from lmforge.infer.scheduler import RowMove, Scheduler
from lmforge.infer.sequence import Sequence, Status, first_stop, held_back


def seq(name: str, n_prompt: int = 3) -> Sequence:
    return Sequence(name, list(range(1, n_prompt + 1)), SamplingParams(), frozenset(), 100)


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
    import lmforge.infer.scheduler as scheduler
    import lmforge.infer.sequence as sequence
    for module in (scheduler, sequence):
        imports = top_level_imports(module.__file__)
        assert not any(name.split(".")[0] == "torch" for name in imports), imports
        assert "lmforge.infer.sequence" in imports or module is sequence


def test_admits_fifo_up_to_max_batch_size():
    s = Scheduler(max_batch_size=2)
    a, b, c = seq("a"), seq("b"), seq("c")
    for x in (a, b, c):
        s.add(x)
    first = s.schedule()
    assert first.prefill == [a, b] and first.decode == []
    assert (a.row, b.row, c.row) == (0, 1, None)
    assert c.status is Status.WAITING and a.status is Status.RUNNING
    second = s.schedule()
    assert second.prefill == [] and second.decode == [a, b]


def test_finish_frees_row_for_waiting_request_and_keeps_rows_packed():
    s = Scheduler(max_batch_size=3)
    a, b, c, d = seq("a"), seq("b"), seq("c"), seq("d")
    for x in (a, b, c, d):
        s.add(x)
    s.schedule()
    assert s.finish(a) == RowMove(src=2, dst=0)  # c moves from the last row into a's
    assert (c.row, b.row, a.row) == (0, 1, None) and a.status is Status.FINISHED
    batch = s.schedule()  # d joins mid-flight: continuous batching
    assert batch.decode == [c, b] and batch.prefill == [d] and d.row == 2
    assert s.finish(d) is None  # the last row needs no move
    assert [x.row for x in s.running] == [0, 1]


def test_finish_of_a_waiting_request_just_drops_it():
    s = Scheduler(max_batch_size=1)
    a, b = seq("a"), seq("b")
    s.add(a)
    s.add(b)
    s.schedule()
    assert s.find("b") is b
    assert s.finish(b) is None
    assert s.find("b") is None and list(s.waiting) == []
    s.finish(a)
    assert not s.has_unfinished()


def test_stop_string_helpers():
    assert first_stop("hello world", ["wor", "lo"]) == 3
    assert first_stop("hello", ["xyz"]) is None
    assert held_back("abc\nUs", ["\nUser:"]) == 3  # "\nUs" may become the stop string
    assert held_back("abc", ["\nUser:"]) == 0
    assert held_back("ab", ["b", "bc"]) == 1  # a whole "b" would be found, not held
