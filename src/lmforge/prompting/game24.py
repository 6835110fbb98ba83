"""Game of 24: four numbers, + - * / and brackets, each number used once, make 24.

The puzzle of the tree-of-thoughts paper (Yao et al., 2023, section 4.1), with the
programmatic checks a search needs (one step of a search: thought_problems.py):

    is_solution("(8 - 4) * (3 + 3)", [3, 3, 4, 8])   -> True   the whole answer
    can_reach([3, 4, 4], 24)                         -> True   exhaustive search: can the
                                                                 numbers left still make 24?

Arithmetic is exact (fractions), so 8 / 3 * 9 counts as 24. Expressions are read with
Python's `ast` and only numbers, + - * / and brackets are accepted: nothing is executed.
Test: `pytest tests/prompting/test_game24.py`.
"""

import ast
import re
from collections import Counter
from fractions import Fraction
from itertools import combinations

TARGET = 24
_OPS = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b,
        ast.Mult: lambda a, b: a * b, ast.Div: lambda a, b: a / b if b else None}
_EXPRESSION = re.compile(r"[\d\s()+\-*/×÷]+")


def evaluate(expression: str) -> tuple[Fraction | None, list[int]]:
    """The exact value of an arithmetic expression and the numbers it uses, in order;
    (None, ...) when it is not one (other syntax, a division by zero)."""
    text = expression.replace("×", "*").replace("÷", "/")
    try:
        tree = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None, []
    numbers: list[int] = []

    def value(node) -> Fraction | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            numbers.append(node.value)
            return Fraction(node.value)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            left, right = value(node.left), value(node.right)
            if left is None or right is None:
                return None
            return _OPS[type(node.op)](left, right)
        return None

    return value(tree), numbers


def is_solution(expression: str, numbers: list[int]) -> bool:
    """The expression uses exactly these numbers, each once, and equals 24."""
    result, used = evaluate(expression)
    return result == TARGET and Counter(used) == Counter(numbers)


def read_expression(reply: str) -> str | None:
    """The answer expression in a reply: the longest run of digits, operators and brackets
    (before any "= 24"), on the last line that has one."""
    for line in reversed(reply.strip().splitlines()):
        line = line.split("=")[0] if "=" in line else line
        runs = [r.strip() for r in _EXPRESSION.findall(line) if re.search(r"\d", r)]
        if runs:
            return max(runs, key=len)
    return None


def can_reach(numbers: list, target: int = TARGET) -> bool:
    """Whether some order of + - * / over all the numbers makes target (exhaustive)."""
    values = [Fraction(n) for n in numbers]
    if len(values) == 1:
        return values[0] == target
    for i, j in combinations(range(len(values)), 2):
        rest = [v for k, v in enumerate(values) if k not in (i, j)]
        a, b = values[i], values[j]
        results = {a + b, a - b, b - a, a * b} | ({a / b} if b else set()) | (
            {b / a} if a else set())
        if any(can_reach([*rest, r], target) for r in results):
            return True
    return False


def show(numbers: list) -> str:
    """Numbers as a prompt shows them: "3 3 4 8" (fractions as 8/3)."""
    return " ".join(str(n) for n in numbers)
