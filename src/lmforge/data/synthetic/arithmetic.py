"""Arithmetic word problems at graded difficulty, with exact numeric answers.

    level 1  one addition or subtraction, numbers up to 10
    level 2  one addition or subtraction, numbers up to 50
    level 3  two steps (add then subtract), numbers up to 20
    level 4  one multiplication (up to 12 x 12) or an exact division
    level 5  three steps mixing multiplication with addition / subtraction

split="test-rephrased" (levels 1-2) is a second held-out set in other words, with other
names and larger numbers (arithmetic_rephrased.py), for measuring how far training transfers.

RL on a small model moves only where the base sometimes succeeds: measure the base's
accuracy per level first and train on a level where it is 20-70%.
Test: `pytest tests/data/test_checkable_tasks.py -k arithmetic`.
"""

import random

import lmforge.data.synthetic.arithmetic_rephrased as arithmetic_rephrased
from lmforge.data.synthetic.splits import collect
from lmforge.errors import ConfigError

NAMES = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran", "Hana", "Ivan", "Jun",
         "Kofi", "Lena", "Mateo", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sami", "Tara"]
ITEMS = ["apples", "books", "coins", "marbles", "pencils", "stickers", "cookies", "shells",
         "stamps", "cards", "eggs", "buttons"]
INSTRUCTION = "End your reply with: The answer is N."
LEVELS = (1, 2, 3, 4, 5)


def _level_1_2(rng: random.Random, top: int) -> tuple[str, int]:
    name, item = rng.choice(NAMES), rng.choice(ITEMS)
    a, b = rng.randint(2, top), rng.randint(1, top)
    if rng.random() < 0.5:
        return f"{name} has {a} {item} and gets {b} more. How many {item} does {name} " \
               "have now?", a + b
    a, b = max(a, b), min(a, b)
    return f"{name} has {a} {item} and gives away {b}. How many {item} does {name} have " \
           "left?", a - b


def _level_3(rng: random.Random) -> tuple[str, int]:
    name, item = rng.choice(NAMES), rng.choice(ITEMS)
    a, b = rng.randint(5, 20), rng.randint(1, 20)
    c = rng.randint(1, a + b)
    return f"{name} has {a} {item}, finds {b} more, then loses {c}. How many {item} does " \
           f"{name} have now?", a + b - c


def _level_4(rng: random.Random) -> tuple[str, int]:
    item = rng.choice(ITEMS)
    a, b = rng.randint(2, 12), rng.randint(2, 12)
    if rng.random() < 0.5:
        return f"There are {a} boxes with {b} {item} in each box. How many {item} are there " \
               "in all?", a * b
    return f"{a * b} {item} are shared equally among {a} children. How many {item} does " \
           "each child get?", b


def _level_5(rng: random.Random) -> tuple[str, int]:
    name, item = rng.choice(NAMES), rng.choice(ITEMS)
    boxes, per_box = rng.randint(2, 9), rng.randint(2, 9)
    extra, given = rng.randint(1, 20), rng.randint(1, 10)
    total = boxes * per_box + extra - given
    return f"{name} buys {boxes} packs of {per_box} {item}, already had {extra}, and gives " \
           f"{given} to a friend. How many {item} does {name} have now?", total


def make_problem(rng: random.Random, level: int) -> tuple[str, int]:
    if level == 1:
        return _level_1_2(rng, 10)
    if level == 2:
        return _level_1_2(rng, 50)
    if level == 3:
        return _level_3(rng)
    if level == 4:
        return _level_4(rng)
    return _level_5(rng)


def generate(n: int, split: str = "train", seed: int = 0, level: int = 1,
             instruction: str = INSTRUCTION) -> list[dict]:
    """n distinct problems of one level from one split, deterministic in (seed, level)."""
    if level not in LEVELS:
        raise ConfigError(f"arithmetic level must be one of {LEVELS}, got {level!r}")
    if split == arithmetic_rephrased.SPLIT:
        return arithmetic_rephrased.generate(n, seed, level, instruction)
    rng = random.Random(f"arithmetic-{seed}-{level}-{split}")

    def draw() -> dict:
        question, answer = make_problem(rng, level)
        prompt = f"{question} {instruction}".strip()
        return {"prompt": prompt, "question": question, "answer": str(answer), "level": level}

    return collect(n, split, draw)
