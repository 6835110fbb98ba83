"""A seeded instruction set in a distinctive reply format, for SFT demos and tests.

Small tasks a 135M model can learn to answer (add, subtract, reverse a word, upper-case a
word, count letters, pick the larger number), phrased several ways. Every reply has the
taught format, one line with the answer inside tags:

    user:       What is 17 plus 25?
    assistant:  <answer>42</answer>

No prompt mentions the format, so a model that uses it learned it from the data; the base
SmolLM2-135M-Instruct never writes it. `follows_format` checks a reply; `is_correct` also
checks the answer. Chat records by default, Alpaca records with `alpaca=True`.

    python -m lmforge.data.synthetic.instructions out.jsonl --n 600 --seed 0

Test: `pytest tests/data/test_synthetic_finetune.py`.
"""

import json
import random
import re
import sys
from pathlib import Path

from lmforge.atomic import write_text_atomic

WORDS = ("apple", "river", "garden", "pencil", "window", "rocket", "candle", "forest",
         "silver", "planet", "button", "marble", "ladder", "orange", "tunnel", "violet",
         "basket", "mirror", "anchor", "pepper", "turtle", "castle", "jacket", "meadow")
FORMAT = re.compile(r"^\s*<answer>([^<>\n]+)</answer>\s*$")


def _add(rng):
    a, b = rng.randint(2, 60), rng.randint(2, 60)
    q = rng.choice(["What is {a} plus {b}?", "Add {a} and {b}.", "Compute {a} + {b}."])
    return q.format(a=a, b=b), str(a + b)


def _subtract(rng):
    a, b = rng.randint(20, 99), rng.randint(1, 19)
    q = rng.choice(["What is {a} minus {b}?", "Subtract {b} from {a}.", "Compute {a} - {b}."])
    return q.format(a=a, b=b), str(a - b)


def _reverse(rng):
    w = rng.choice(WORDS)
    q = rng.choice(["Reverse the word '{w}'.", "Spell '{w}' backwards."])
    return q.format(w=w), w[::-1]


def _upper(rng):
    w = rng.choice(WORDS)
    q = rng.choice(["Write '{w}' in capital letters.", "Convert '{w}' to upper case."])
    return q.format(w=w), w.upper()


def _count(rng):
    w = rng.choice(WORDS)
    q = rng.choice(["How many letters are in '{w}'?", "Count the letters of '{w}'."])
    return q.format(w=w), str(len(w))


def _larger(rng):
    a, b = rng.sample(range(1, 200), 2)
    q = rng.choice(["Which is larger, {a} or {b}?", "Name the bigger number: {a} or {b}."])
    return q.format(a=a, b=b), str(max(a, b))


TASKS = (_add, _subtract, _reverse, _upper, _count, _larger)


def make_task(rng: random.Random) -> tuple[str, str]:
    """(question, answer) of a random kind."""
    return rng.choice(TASKS)(rng)


def format_reply(answer: str) -> str:
    return f"<answer>{answer}</answer>"


def generate(n: int, seed: int = 0, alpaca: bool = False) -> list[dict]:
    """n records (chat `messages`, or Alpaca fields), the same for the same seed."""
    rng = random.Random(seed)
    records = []
    for _ in range(n):
        question, answer = make_task(rng)
        if alpaca:
            records.append({"instruction": question, "input": "",
                            "output": format_reply(answer)})
        else:
            records.append({"messages": [{"role": "user", "content": question},
                                         {"role": "assistant", "content": format_reply(answer)}]})
    return records


def follows_format(reply: str) -> bool:
    return FORMAT.match(reply) is not None


def is_correct(reply: str, answer: str) -> bool:
    m = FORMAT.match(reply)
    return m is not None and m.group(1).strip() == answer


def write_jsonl(records: list[dict], path: str | Path) -> Path:
    write_text_atomic(path, "".join(json.dumps(r) + "\n" for r in records))
    return Path(path)


def main(argv: list[str]) -> int:
    import argparse

    parser = argparse.ArgumentParser(description="Write the synthetic instruction set.")
    parser.add_argument("out")
    parser.add_argument("--n", type=int, default=600)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--alpaca", action="store_true")
    args = parser.parse_args(argv)
    write_jsonl(generate(args.n, args.seed, args.alpaca), args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
