"""Small Python functions with unit tests, for the code verifier.

Each family is a template with a constant (add K, count a letter, every k-th item, ...)
and a reference implementation; the tests are asserts on seeded random inputs, computed
from the reference, so every task is checkable and no two constants give the same tests.

    {"prompt": "Write a Python function `add_k(x)` that returns x plus 7. ...",
     "tests": ["assert add_k(3) == 10", ...], "entry_point": "add_k"}

Test: `pytest tests/data/test_checkable_tasks.py -k python`.
"""

import random
from collections.abc import Callable

from lmforge.data.synthetic.splits import collect

INSTRUCTION = "Reply with only the function in a ```python code block."


def _ints(rng: random.Random, n: int = 5, low: int = -20, high: int = 20) -> list[int]:
    return [rng.randint(low, high) for _ in range(n)]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("abcdeilmnorst") for _ in range(rng.randint(3, 9)))


# name, description with {k}, reference(k) -> f, input maker(rng) -> argument tuple, k range
FAMILIES: list[tuple[str, str, Callable, Callable, tuple[int, int]]] = [
    ("add_k", "takes an integer x and returns x plus {k}",
     lambda k: lambda x: x + k, lambda rng: (rng.randint(-50, 50),), (2, 99)),
    ("times_k", "takes an integer x and returns x multiplied by {k}",
     lambda k: lambda x: x * k, lambda rng: (rng.randint(-20, 20),), (2, 30)),
    ("count_above", "takes a list of integers and returns how many are greater than {k}",
     lambda k: lambda xs: sum(x > k for x in xs), lambda rng: (_ints(rng, 6),), (-15, 15)),
    ("sum_multiples", "takes a list of integers and returns the sum of those divisible by {k}",
     lambda k: lambda xs: sum(x for x in xs if x % k == 0), lambda rng: (_ints(rng, 7),),
     (2, 7)),
    ("every_kth", "takes a list and returns every {k}-th item starting with the first",
     lambda k: lambda xs: xs[::k], lambda rng: (_ints(rng, rng.randint(3, 10)),), (2, 4)),
    ("repeat_k", "takes a string s and returns s repeated {k} times",
     lambda k: lambda s: s * k, lambda rng: (_word(rng),), (2, 6)),
    ("clamp_k", "takes an integer x and returns it limited to the range -{k} to {k}",
     lambda k: lambda x: max(-k, min(k, x)), lambda rng: (rng.randint(-30, 30),), (1, 25)),
    ("first_k_chars", "takes a string s and returns its first {k} characters",
     lambda k: lambda s: s[:k], lambda rng: (_word(rng),), (1, 8)),
    ("drop_below", "takes a list of integers and returns a new list without the items "
     "smaller than {k}, keeping the order", lambda k: lambda xs: [x for x in xs if x >= k],
     lambda rng: (_ints(rng, 6),), (-10, 10)),
    ("power_k", "takes an integer x and returns x to the power {k}",
     lambda k: lambda x: x ** k, lambda rng: (rng.randint(-6, 6),), (2, 5)),
]


def make_task(rng: random.Random) -> dict:
    name, description, reference, make_input, (low, high) = rng.choice(FAMILIES)
    k = rng.randint(low, high)
    solution = reference(k)
    inputs = [make_input(rng) for _ in range(4)]
    tests = [f"assert {name}({', '.join(map(repr, args))}) == {solution(*args)!r}"
             for args in inputs]
    question = f"Write a Python function `{name}` that {description.format(k=k)}."
    return {"question": question, "tests": tests, "entry_point": name}


def generate(n: int, split: str = "train", seed: int = 0,
             instruction: str = INSTRUCTION) -> list[dict]:
    """n distinct function-writing tasks of one split, deterministic in seed."""
    rng = random.Random(f"python-{seed}-{split}")

    def draw() -> dict:
        task = make_task(rng)
        return {"prompt": f"{task['question']} {instruction}".strip(), **task}

    return collect(n, split, draw)
