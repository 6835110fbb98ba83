"""Seeded preference pairs: a concise correct answer preferred over a verbose wrong one.

    prompt:    What is 17 plus 25?
    chosen:    42.
    rejected:  Let me think about this carefully. When we put these two numbers together,
               the result we get is 43, as far as I can tell.

The questions come from data/synthetic/instructions.py. A reward model or DPO must learn
both halves of the preference (short, and right); the wrong answer is off by a small
amount, so length alone is not the whole story in the held-out set (a quarter of the pairs
have a verbose correct chosen reply against a concise wrong rejected one).

    python -m lmforge.data.synthetic.preferences out.jsonl --n 600 --seed 0

Test: `pytest tests/data/test_synthetic_finetune.py`.
"""

import random
import sys

from lmforge.data.synthetic.instructions import make_task, write_jsonl

PADDING = (
    "Let me think about this carefully. ",
    "That is an interesting question, and there are a few ways to look at it. ",
    "Well, after going over it step by step, ",
    "I believe, although I am not completely certain, ",
)
TAILS = (", as far as I can tell.", ", if I remember correctly.", ", I think.", ".")


def wrong(answer: str, rng: random.Random) -> str:
    """A plausible wrong answer: off by a little for numbers, a scrambled word otherwise."""
    if answer.lstrip("-").isdigit():
        return str(int(answer) + rng.choice((-3, -2, -1, 1, 2, 3)))
    letters = list(answer)
    while "".join(letters) == answer and len(set(answer)) > 1:
        rng.shuffle(letters)
    return "".join(letters) if "".join(letters) != answer else answer + answer[-1]


def verbose(answer: str, rng: random.Random) -> str:
    return f"{rng.choice(PADDING)}the answer I arrive at is {answer}{rng.choice(TAILS)}"


def generate(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        question, answer = make_task(rng)
        bad = wrong(answer, rng)
        if rng.random() < 0.25:  # correctness beats brevity
            chosen, rejected = verbose(answer, rng), f"{bad}."
        else:
            chosen, rejected = f"{answer}.", verbose(bad, rng)
        records.append({"prompt": question, "chosen": chosen, "rejected": rejected})
    return records


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write synthetic preference pairs.")
    parser.add_argument("out")
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    write_jsonl(generate(args.n, args.seed), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
