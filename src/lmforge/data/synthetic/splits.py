"""Train / test splits of generated tasks: a problem's split is a stable hash of its content,
so the "test" split is never seen in "train", whatever the seeds. Every generator draws its
tasks through `collect`."""

import hashlib
from collections.abc import Callable

from lmforge.errors import ConfigError

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
