"""Tasks with checkable answers, generated deterministically, with held-out splits.

    arithmetic        word problems at levels 1-5 (answer: a number; verifier exact_match)
    python_tasks      small functions with unit tests (verifier code)
    json_extraction   facts from a sentence into JSON with a schema (verifier json_match)

Each generator takes (n, split, seed, ...) and returns task dicts with `id`, `prompt`,
`split` and the fields its verifier reads. A problem belongs to one split by a hash of its
content, so the "test" split is never seen in "train", whatever the seeds.
Test: `pytest tests/data/test_checkable_tasks.py`.
"""

from pathlib import Path

from lmforge.data.jsonl import iter_jsonl
from lmforge.data.synthetic import arithmetic, json_extraction, python_tasks
from lmforge.data.synthetic.splits import SPLITS, split_of  # noqa: F401  (the package's API)
from lmforge.errors import ConfigError, DataError


def generate_tasks(kind: str, n: int, split: str = "train", seed: int = 0, **options) -> list:
    """Tasks of one kind by name (arithmetic, python, json)."""
    generators = {"arithmetic": arithmetic.generate, "python": python_tasks.generate,
                  "json": json_extraction.generate}
    if kind not in generators:
        raise ConfigError(f"unknown task kind {kind!r}; known: {', '.join(generators)}")
    return generators[kind](n, split=split, seed=seed, **options)


def read_tasks(path: str | Path) -> list[dict]:
    """Tasks from a JSONL file, one object a line with at least a string `prompt`."""
    tasks = []
    for number, task in iter_jsonl(path):
        if not isinstance(task.get("prompt"), str):
            raise DataError(f"{path}:{number}: missing field 'prompt' (a string)")
        tasks.append(task)
    if not tasks:
        raise DataError(f"{path}: no tasks")
    return tasks
