"""The floors of docs/architecture.md hold: no import runs up a floor, and no two modules
import each other, directly or around a circle (imports inside functions count too)."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "lmforge"
FLOORS = {"model": 1, "tokenizer": 1, "data": 1, "verify": 1, "io": 2, "infer": 3, "train": 4,
          "eval": 5, "viz": 5, "safety": 5, "learn": 5, "prompting": 5,
          "serve": 6, "rag": 6, "agent": 6, "cli": 7}


def floor(module: str) -> int:
    parts = module.split(".")
    return FLOORS.get(parts[1], 0) if len(parts) > 1 else 0


def import_graph() -> dict[str, set[str]]:
    """Module -> the lmforge modules it imports anywhere in its file."""
    named = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        named[".".join(parts).removesuffix(".__init__")] = path
    graph = {}
    for module, path in named.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("lmforge"):
                targets |= {node.module, *(f"{node.module}.{a.name}" for a in node.names)}
            elif isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name.startswith("lmforge")}
        graph[module] = {t for t in targets if t in named and t != module}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, found = {}, {}, [], []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = stack[stack.index(v):]
            del stack[stack.index(v):]
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def test_no_import_runs_up_a_floor():
    graph = import_graph()
    assert len(graph) > 150  # the whole package was read
    upward = sorted(f"{m} -> {t}" for m, targets in graph.items() for t in targets
                    if floor(t) > floor(m))
    assert upward == []


def test_no_import_circle():
    assert circles(import_graph()) == []


def test_the_checks_would_catch_a_circle_and_an_upward_import():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
    assert floor("lmforge.model.quant") < floor("lmforge.infer.engine")
