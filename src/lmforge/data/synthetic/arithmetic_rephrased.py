"""A second held-out arithmetic set, phrased unlike the training generator: split
"test-rephrased" of `generate_tasks("arithmetic", n, split="test-rephrased", level=1)`.

arithmetic.py's problems all read "<Name> has A <items> and gets B more / gives away B";
these use other sentence shapes (a shop, a bus, a shelf, two days of collecting), other
names, other objects, and larger numbers (level 1: 11-30 instead of 2-10; level 2: 51-99
instead of up to 50), which a small model gets partly right. No template, name or object
is shared with arithmetic.py, so a policy trained on the "train" split never saw one of
these; measuring it there shows how far a gain transfers. Each task keeps the expression
it was built from (`expression`), so its answer can be checked independently.
Test: `pytest tests/data/test_arithmetic_rephrased.py`.
"""

import random

from lmforge.errors import ConfigError

SPLIT = "test-rephrased"
NAMES = ["Aiko", "Bruno", "Chiara", "Dmitri", "Esme", "Farid", "Greta", "Hugo", "Ines",
         "Jonas", "Kemal", "Lucia", "Malik", "Noor", "Olga", "Pablo", "Rania", "Soren",
         "Tomas", "Wen"]
# (singular place or container, plural objects): none of arithmetic.ITEMS
PLACES = [("shop", "loaves of bread"), ("library", "magazines"), ("garden", "tulips"),
          ("bakery", "muffins"), ("farm", "chickens"), ("school", "chairs"),
          ("harbour", "boats"), ("museum", "paintings")]
TOPS = {1: (11, 30), 2: (51, 99)}  # number range per level


def _numbers(rng: random.Random, level: int) -> tuple[int, int]:
    """Two different numbers of the level's range, larger first."""
    low, high = TOPS[level]
    a, b = rng.sample(range(low, high + 1), 2)
    return max(a, b), min(a, b)


def _shop_sells(rng, level):
    place, things = rng.choice(PLACES)
    a, b = _numbers(rng, level)
    return f"A {place} had {a} {things} in the morning and by noon {b} of them were gone. " \
           f"How many {things} were still there at noon?", f"{a} - {b}"


def _bus(rng, level):
    a, b = _numbers(rng, level)
    return f"A bus leaves the station with {b} passengers. At the first stop, {a} more " \
           "people get on and nobody gets off. How many passengers are on the bus now?", \
           f"{b} + {a}"


def _two_days(rng, level):
    name = rng.choice(NAMES)
    _, things = rng.choice(PLACES)
    a, b = _numbers(rng, level)
    return f"On Monday {name} counted {a} {things}; on Tuesday, {b} {things}. What is the " \
           "total for the two days?", f"{a} + {b}"


def _shelf(rng, level):
    name = rng.choice(NAMES)
    _, things = rng.choice(PLACES)
    a, b = _numbers(rng, level)
    return f"{name}'s shelf holds {a} {things}. {name} takes {b} of them down. How many " \
           f"{things} remain on the shelf?", f"{a} - {b}"


def _difference(rng, level):
    first, second = rng.sample(NAMES, 2)
    a, b = _numbers(rng, level)
    return f"{first} scored {a} points in a game and {second} scored {b}. By how many " \
           f"points did {first} win?", f"{a} - {b}"


TEMPLATES = (_shop_sells, _bus, _two_days, _shelf, _difference)


def generate(n: int, seed: int = 0, level: int = 1, instruction: str = "") -> list[dict]:
    """n distinct rephrased problems, deterministic in (seed, level)."""
    if level not in TOPS:
        raise ConfigError(f"the {SPLIT} split has levels {tuple(TOPS)}, got {level!r}")
    if n <= 0:
        raise ConfigError(f"number of tasks must be positive, got {n}")
    rng = random.Random(f"arithmetic-{seed}-{level}-{SPLIT}")
    tasks, seen = [], set()
    for _ in range(n * 200):
        question, expression = rng.choice(TEMPLATES)(rng, level)
        if question in seen:
            continue
        seen.add(question)
        left, op, right = expression.split()
        answer = int(left) + int(right) if op == "+" else int(left) - int(right)
        tasks.append({"prompt": f"{question} {instruction}".strip(), "question": question,
                      "answer": str(answer), "expression": expression, "level": level,
                      "id": f"{SPLIT}-{len(tasks)}", "split": SPLIT})
        if len(tasks) == n:
            return tasks
    raise ConfigError(f"only {len(tasks)} distinct {SPLIT} tasks exist here; asked for {n}")
