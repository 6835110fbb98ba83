"""Tasks with checkable answers, generated deterministically, with held-out splits.

    arithmetic        word problems at levels 1-5 (answer: a number; verifier exact_match)
    python_tasks      small functions with unit tests (verifier code)
    json_extraction   facts from a sentence into JSON with a schema (verifier json_match)

Each generator takes (n, split, seed, ...) and returns task dicts with `id`, `prompt`,
`split` and the fields its verifier reads. A problem belongs to one split by a hash of its
content, so the "test" split is never seen in "train", whatever the seeds.
Test: `pytest tests/data/test_checkable_tasks.py`.
"""

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

from lmforge.errors import ConfigError, DataError

SPLITS = ("train", "test")
HELD_OUT_SHARE = 0.2  # of all possible problems, this share belongs to "test"


def split_of(key: str) -> str:
    """The split a problem belongs to, from a stable hash of its content."""
    bucket = int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) / 16**8
    return "test" if bucket < HELD_OUT_SHARE else "train"


def check_split(split: str) -> None:
    if split not in SPLITS:
        raise ConfigError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")


def collect(n: int, split: str, draw: Callable[[], dict], max_tries: int = 200) -> list[dict]:
    """Draw until n distinct problems of `split` are found (each draw: one candidate)."""
    check_split(split)
    if n <= 0:
        raise ConfigError(f"number of tasks must be positive, got {n}")
    tasks, seen = [], set()
    for _ in range(n * max_tries):
        task = draw()
        key = task.get("question", task["prompt"])  # the problem, not its instruction
        if key in seen or split_of(key) != split:
            continue
        seen.add(key)
        tasks.append({**task, "id": f"{split}-{len(tasks)}", "split": split})
        if len(tasks) == n:
            return tasks
    raise ConfigError(f"only {len(tasks)} distinct {split} tasks exist here; asked for {n}")


def generate_tasks(kind: str, n: int, split: str = "train", seed: int = 0, **options) -> list:
    """Tasks of one kind by name (arithmetic, python, json)."""
    from lmforge.data.synthetic import arithmetic, json_extraction, python_tasks

    generators = {"arithmetic": arithmetic.generate, "python": python_tasks.generate,
                  "json": json_extraction.generate}
    if kind not in generators:
        raise ConfigError(f"unknown task kind {kind!r}; known: {', '.join(generators)}")
    return generators[kind](n, split=split, seed=seed, **options)


def read_tasks(path: str | Path) -> list[dict]:
    """Tasks from a JSONL file, one object a line with at least a string `prompt`."""
    tasks = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                task = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{number}: invalid JSON ({e.msg})") from None
            if not isinstance(task, dict) or not isinstance(task.get("prompt"), str):
                raise DataError(f"{path}:{number}: missing field 'prompt' (a string)")
            tasks.append(task)
    if not tasks:
        raise DataError(f"{path}: no tasks")
    return tasks
