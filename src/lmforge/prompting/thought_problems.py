"""What a thought is, per task, for tree_of_thoughts.py.

Game24Thoughts (Yao et al.'s Game of 24): a state is the numbers left, each with the
expression that made it; a thought combines two of them ("8 - 4 = 4"; the result is
recomputed, never trusted); after three thoughts one number is left, solved when it is 24.
Value by the verifier: 1 when the numbers left can still make 24 (exhaustive search,
game24.can_reach), else 0. Value by the model: the paper's "sure / likely / impossible"
question, read as 1 / 0.5 / 0.

EquationThoughts (word problems): one level; a thought is one equation "a op b = c" over
numbers of the question. The verifier checks what it can without the gold answer: the
arithmetic is right and both operands appear in the question (1), else 0. Whether the
equation is the *right* one for the story stays the model's call.
Test: `pytest tests/prompting/test_tree_of_thoughts.py`.
"""

import re
from fractions import Fraction

from lmforge.prompting.completer import Conversation
from lmforge.prompting.game24 import TARGET, can_reach
from lmforge.prompting.tasks import Problem
from lmforge.prompting.tree_of_thoughts import Node

_STEP = re.compile(r"(-?\d+(?:/\d+)?)\s*([-+*/×x÷])\s*(-?\d+(?:/\d+)?)\s*=\s*(-?\d+(?:/\d+)?)?")
_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b if b else None}
PROPOSE_24 = ("Numbers: {numbers}. Pick two of the numbers and combine them with +, -, * or / "
              "to get a new number. Write one step only, like: 8 - 4 = 4")
VALUE_24 = ("Can the numbers {numbers} make 24 using + - * /, each number once? Answer with "
            "one word: sure, likely or impossible.")
PROPOSE_EQUATION = ("{question}\nWrite one equation with numbers from the question that "
                    "answers it, like: 7 + 5 = 12")


def read_step(reply: str) -> tuple[Fraction, str, Fraction, Fraction | None] | None:
    """(a, op, b, c or None) of the first "a op b = c" in a reply."""
    text = reply.replace("×", "*").replace("÷", "/").replace(" x ", " * ")
    found = _STEP.search(text)
    if not found:
        return None
    op = "*" if found[2] == "x" else found[2]
    c = Fraction(found[4]) if found[4] else None
    return Fraction(found[1]), op, Fraction(found[3]), c


class Game24Thoughts:
    def __init__(self, numbers: list[int]) -> None:
        self.numbers = numbers

    def root(self) -> list[tuple[Fraction, str]]:
        return [(Fraction(n), str(n)) for n in self.numbers]

    def propose(self, node: Node) -> Conversation:
        return [{"role": "user", "content": PROPOSE_24.format(numbers=_show(node.state))}]

    def step(self, node: Node, reply: str):
        read = read_step(reply)
        if read is None:
            return None
        a, op, b, _ = read
        left = list(node.state)
        picked = []
        for n in (a, b):
            match = next((item for item in left if item[0] == n), None)
            if match is None:
                return None
            left.remove(match)
            picked.append(match)
        result = _OPS[op](a, b)
        if result is None:
            return None
        (_, ea), (_, eb) = picked
        thought = f"{_fmt(a)} {op} {_fmt(b)} = {_fmt(result)}"
        return thought, [*left, (result, f"({ea} {op} {eb})")]

    def verify(self, node: Node) -> float:
        return 1.0 if can_reach([v for v, _ in node.state]) else 0.0

    def value_prompt(self, node: Node) -> Conversation:
        return [{"role": "user", "content": VALUE_24.format(numbers=_show(node.state))}]

    def read_value(self, reply: str) -> float:
        word = reply.strip().lower()
        return 1.0 if "sure" in word else 0.5 if "likely" in word else 0.0

    def is_solved(self, node: Node) -> bool:
        return len(node.state) == 1 and node.state[0][0] == TARGET

    @staticmethod
    def answer(node: Node) -> str:
        """The expression of the number left (or of the first, when several are)."""
        return node.state[0][1] if len(node.state) == 1 else ""


class EquationThoughts:
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.question_numbers = {Fraction(n) for n in re.findall(r"\d+", problem.question)}

    def root(self) -> None:
        return None

    def propose(self, node: Node) -> Conversation:
        question = self.problem.question.split(" End your reply")[0]
        return [{"role": "user", "content": PROPOSE_EQUATION.format(question=question)}]

    def step(self, node: Node, reply: str):
        read = read_step(reply)
        if read is None or read[3] is None:
            return None
        a, op, b, c = read
        return f"{_fmt(a)} {op} {_fmt(b)} = {_fmt(c)}", (a, op, b, c)

    def verify(self, node: Node) -> float:
        a, op, b, c = node.state
        right = _OPS[op](a, b) == c
        return 1.0 if right and {a, b} <= self.question_numbers else 0.0

    def value_prompt(self, node: Node) -> Conversation:
        question = self.problem.question.split(" End your reply")[0]
        return [{"role": "user", "content": f"{question}\nIs this equation the right one: "
                 f"{node.thoughts[-1]}? Answer yes or no."}]

    def read_value(self, reply: str) -> float:
        return 1.0 if reply.strip().lower().startswith("yes") else 0.0

    def is_solved(self, node: Node) -> bool:
        return False  # only the gold answer could say; the search keeps the best-valued

    @staticmethod
    def answer(node: Node) -> str:
        return _fmt(node.state[3]) if node.state else ""


def _show(state: list[tuple[Fraction, str]]) -> str:
    return " ".join(_fmt(v) for v, _ in state)


def _fmt(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
