"""The calculator parses arithmetic with the AST and refuses everything else."""

import pytest

from lmforge.agent.calculator import CalculatorError, calculate


@pytest.mark.parametrize("expression, value", [
    ("2 + 3 * 4", 14), ("(2 + 3) * 4", 20), ("7 / 2", 3.5), ("7 // 2", 3), ("-7 % 3", 2),
    ("2 ** 10", 1024), ("sqrt(16) + abs(-2)", 6.0), ("max(3, 9, 4)", 9), ("2 × 3 ÷ 4", 1.5),
    ("2^3", 8), ("round(pi, 2)", 3.14), ("1e3 + 1", 1001.0),
])
def test_arithmetic(expression, value):
    assert calculate(expression) == value


@pytest.mark.parametrize("expression, message", [
    ("__import__('os').system('ls')", "not allowed"),
    ("open('/etc/passwd')", "not allowed"),
    ("x + 1", "unknown name"),
    ("(1).__class__", "Attribute"),
    ("'a' * 3", "not arithmetic"),
    ("[i for i in range(3)]", "not arithmetic"),
    ("9 ** 9 ** 9", "exponent"),
    ("1 / 0", "division by zero"),
    ("sqrt(-1)", "math error"),
    ("2 +", "not an arithmetic expression"),
    ("", "empty"),
    ("1" * 600, "at most"),
])
def test_everything_else_is_refused(expression, message):
    with pytest.raises(CalculatorError, match=message):
        calculate(expression)
