"""A safe calculator: arithmetic expressions evaluated by walking Python's AST, never `eval`.

    calculate("(17 + 25) * 3 / 2")      # 63.0
    calculate("sqrt(2) ** 2")           # 2.0000000000000004
    calculate("__import__('os')")       # CalculatorError: function '__import__' is not allowed

`ast.parse(..., mode="eval")` only parses; the walk below accepts numbers, + - * / // % **,
unary signs, parentheses and a short list of math functions and constants. Anything else
(names, attributes, calls to other functions, strings, comprehensions) is rejected with an
error naming it. Exponents and results are bounded, so "9**9**9" fails fast instead of
eating the CPU.

Test: `pytest tests/agent/test_calculator.py`.
"""

import ast
import math
import operator

MAX_EXPONENT = 1000
MAX_MAGNITUDE = 1e300
MAX_LENGTH = 500

_BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv, ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod,
           ast.Pow: operator.pow}
_UNARY = {ast.UAdd: operator.pos, ast.USub: operator.neg}
FUNCTIONS = {"sqrt": math.sqrt, "abs": abs, "round": round, "floor": math.floor,
             "ceil": math.ceil, "log": math.log, "log10": math.log10, "exp": math.exp,
             "sin": math.sin, "cos": math.cos, "tan": math.tan, "min": min, "max": max}
CONSTANTS = {"pi": math.pi, "e": math.e}


class CalculatorError(ValueError):
    """The expression is not plain arithmetic, or its value is out of bounds."""


def calculate(expression: str) -> int | float:
    """Evaluate an arithmetic expression such as '(2 + 3) * 4' or 'sqrt(16) / 2'."""
    if not isinstance(expression, str) or not expression.strip():
        raise CalculatorError("the expression is empty")
    if len(expression) > MAX_LENGTH:
        raise CalculatorError(f"the expression is {len(expression)} characters; at most "
                              f"{MAX_LENGTH}")
    text = expression.strip().replace("×", "*").replace("÷", "/").replace("^", "**")
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as e:
        raise CalculatorError(f"not an arithmetic expression: {expression!r} ({e.msg})") from e
    try:
        value = _evaluate(tree.body)
    except ZeroDivisionError:
        raise CalculatorError("division by zero") from None
    except (OverflowError, ValueError) as e:
        if isinstance(e, CalculatorError):
            raise
        raise CalculatorError(f"math error: {e}") from None
    return _check(value)


def _evaluate(node: ast.AST) -> int | float:
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and abs(right) > MAX_EXPONENT:
            raise CalculatorError(f"exponent {right} is larger than {MAX_EXPONENT}")
        return _check(_BINARY[type(node.op)](left, right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in _UNARY:
        return _UNARY[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.Name):
        if node.id in CONSTANTS:
            return CONSTANTS[node.id]
        raise CalculatorError(f"unknown name {node.id!r}; constants: {', '.join(CONSTANTS)}")
    if isinstance(node, ast.Call):
        name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
        if name not in FUNCTIONS or node.keywords:
            raise CalculatorError(f"function {name!r} is not allowed; allowed: "
                                  f"{', '.join(FUNCTIONS)}")
        return _check(FUNCTIONS[name](*[_evaluate(a) for a in node.args]))
    raise CalculatorError(f"{type(node).__name__} is not arithmetic: "
                          f"{ast.unparse(node)[:60]!r}")


def _check(value) -> int | float:
    if isinstance(value, complex):
        raise CalculatorError("the result is a complex number")
    if isinstance(value, float) and not math.isfinite(value):
        raise CalculatorError(f"the result is {value}")
    if abs(value) > MAX_MAGNITUDE:
        raise CalculatorError(f"the result's magnitude exceeds {MAX_MAGNITUDE:g}")
    return value
