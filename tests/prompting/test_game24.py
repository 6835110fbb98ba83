"""The Game-of-24 verifier: exact arithmetic, each number once, nothing executed."""

from lmforge.prompting.game24 import can_reach, evaluate, is_solution, read_expression
from lmforge.prompting.tasks import load_problems


def test_solutions_use_every_number_once_and_make_24():
    assert is_solution("(8 - 4) * (3 + 3)", [3, 3, 4, 8])
    assert is_solution("8 / (3 - 8 / 3)", [3, 3, 8, 8])  # exact: 8 / (1/3) = 24
    assert not is_solution("(8 - 4) * 6", [3, 3, 4, 8])  # 6 is not one of the numbers
    assert not is_solution("3 * 8", [3, 3, 4, 8])  # numbers left unused
    assert not is_solution("__import__('os').system('true')", [1, 2, 3, 4])
    assert evaluate("4 / 0")[0] is None


def test_reading_the_expression_from_a_reply():
    assert read_expression("Sure!\n(8 - 4) * (3 + 3) = 24") == "(8 - 4) * (3 + 3)"
    assert read_expression("no numbers here") is None


def test_reachability_and_the_shipped_puzzles():
    assert can_reach([4, 6]) and not can_reach([1, 2, 1]) and not can_reach([3, 12])
    problems, _ = load_problems("game24")
    assert len(problems) == 40
    for p in problems:  # every shipped solution passes the verifier
        assert is_solution(p.solution.removesuffix(" = 24"), p.numbers), p.solution
        assert can_reach(p.numbers)
