"""Tree of thoughts: breadth-first search over partial solutions, the model proposing steps.

Yao et al., 2023, "Tree of Thoughts: Deliberate Problem Solving with Large Language
Models" (the BFS variant, their Algorithm 1). A *thought* is one step of a solution (for
Game of 24, "8 - 4 = 4"); a node is the state after the thoughts so far.

    level 0:            [root]
                  propose: `proposals` samples per node (one batched model call)
    level 1:    c1  c2  c3  c4  c5  c6        children; unusable thoughts are dropped
                  value: a verifier (no model calls) or the model (one call per child)
                  keep the `breadth` best (ties: in proposal order)
    level 2:    ... until a child is solved, `depth` levels are done, or the budget ends

`budget` caps model calls (proposals + values) for one problem: requests beyond it are not
made, so a search always costs at most `budget` calls. The result lists the nodes in the
order they were kept (BFS order), so tests can check the search itself with a scripted model.
What a thought is, how a state is valued and when it is solved belong to a `ThoughtProblem`
(thought_problems.py).
Test: `pytest tests/prompting/test_tree_of_thoughts.py`.
"""

from dataclasses import dataclass, field
from typing import Any, Protocol

from lmforge.errors import ConfigError
from lmforge.prompting.completer import Conversation, Sampling

VALUES = ("verifier", "model")


@dataclass
class Node:
    state: Any
    thoughts: list[str] = field(default_factory=list)
    value: float = 0.0


class ThoughtProblem(Protocol):
    def root(self) -> Any: ...

    def propose(self, node: Node) -> Conversation:
        """Ask the model for one next thought from this node."""

    def step(self, node: Node, reply: str) -> tuple[str, Any] | None:
        """(the thought, the child's state) read from a reply; None when it is unusable."""

    def verify(self, node: Node) -> float:
        """The verifier's value of a state (higher is more promising)."""

    def value_prompt(self, node: Node) -> Conversation:
        """Ask the model how promising a state is."""

    def read_value(self, reply: str) -> float: ...

    def is_solved(self, node: Node) -> bool: ...


@dataclass
class SearchResult:
    best: Node
    """A solved node, or else the best-valued node of the deepest level kept."""
    solved: bool
    kept: list[Node]
    """Every node kept in a frontier, in BFS order (level by level, best first)."""
    calls: int
    """Model calls made (proposals + model values)."""


def tree_of_thoughts(model, problem: ThoughtProblem, *, breadth: int, depth: int,
                     proposals: int, budget: int, value: str = "verifier",
                     sampling: Sampling | None = None) -> SearchResult:
    """BFS: at each level propose, value, keep the `breadth` best; see the module docstring."""
    _check(breadth, depth, proposals, budget, value)
    sampling = sampling or Sampling(max_tokens=32, temperature=0.7, seed=0)
    frontier, kept, calls = [Node(problem.root())], [], 0
    for _ in range(depth):
        asks = [node for node in frontier for _ in range(proposals)][: budget - calls]
        if not asks:
            break  # the budget is spent
        replies = _ask(model, [problem.propose(n) for n in asks], sampling, calls)
        calls += len(asks)
        children = _children(problem, asks, replies)
        if value == "model":
            valued = children[: budget - calls]  # children the budget cannot value are dropped
            scores = [problem.read_value(r) for r in _ask(
                model, [problem.value_prompt(c) for c in valued], sampling, calls)]
            calls += len(valued)
            children = valued
        else:
            scores = [problem.verify(c) for c in children]
        for child, score in zip(children, scores, strict=True):
            child.value = score
        solved = [c for c in children if problem.is_solved(c)]
        if solved:
            kept.append(solved[0])
            return SearchResult(solved[0], True, kept, calls)
        if not children:
            break
        # stable sort: equal values keep proposal order
        frontier = sorted(children, key=lambda c: -c.value)[:breadth]
        kept += frontier
    return SearchResult(frontier[0], False, kept, calls)


def _ask(model, conversations: list[Conversation], sampling: Sampling, calls: int) -> list[str]:
    """One batched call; request j of the whole search is seeded seed + j."""
    seed = sampling.seed or 0
    return model.complete(conversations, sampling,
                          seeds=[seed + calls + j for j in range(len(conversations))])


def _children(problem: ThoughtProblem, parents: list[Node], replies: list[str]) -> list[Node]:
    """The usable thoughts, one child each; a thought repeated under one parent counts once."""
    children, seen = [], set()
    for parent, reply in zip(parents, replies, strict=True):
        stepped = problem.step(parent, reply)
        if stepped is None:
            continue
        thought, state = stepped
        key = (id(parent), thought)
        if key not in seen:
            seen.add(key)
            children.append(Node(state, [*parent.thoughts, thought]))
    return children


def _check(breadth: int, depth: int, proposals: int, budget: int, value: str) -> None:
    for name, n in (("breadth", breadth), ("depth", depth), ("proposals", proposals),
                    ("budget", budget)):
        if n < 1:
            raise ConfigError(f"tree of thoughts needs {name} >= 1, got {name}={n}")
    if value not in VALUES:
        raise ConfigError(f"tree-of-thoughts value must be one of {', '.join(VALUES)}, "
                          f"got {value!r}")
