"""Tree of thoughts on Game of 24 with a scripted model: the BFS order, the pruning by the
verifier, the budget, and the expression of the solution, each as worked out by hand.

Numbers 1 2 3 4, breadth 2, 3 proposals per kept state:

    level 1 (3 calls)  "1 + 2 = 3" -> 3 4 3 (can make 24: 1)   "9 * 9" (no 9: dropped)
                       "4 - 3 = 1" -> 1 2 1 (cannot: 0)          keep [1+2, 4-3]
    level 2 (6 calls)  from 3 4 3: "3 * 4 = 12" -> 3 12 (0)  "3 + 3 = 6" -> 4 6 (1)  "?"
                       from 1 2 1: three children worth 0     keep [3+3, 3*4] (stable)
    level 3 (6 calls)  from 4 6: "4 + 6 = 10", "4 * 6 = 24" solved
"""

import pytest

from lmforge.errors import ConfigError
from lmforge.prompting.completer import ScriptedCompleter
from lmforge.prompting.game24 import is_solution
from lmforge.prompting.thought_problems import Game24Thoughts
from lmforge.prompting.tree_of_thoughts import tree_of_thoughts

LEVEL_1 = ["1 + 2 = 3", "9 * 9 = 81", "4 - 3 = 1"]
LEVEL_2 = ["3 * 4 = 12", "3 + 3 = 6", "I am not sure",
           "1 + 1 = 2", "2 * 1 = 2", "1 + 2 = 3"]
LEVEL_3 = ["4 + 6 = 10", "4 * 6 = 24", "hmm", "12 / 3 = 4", "3 * 12 = 36", "12 + 3 = 15"]


def numbers_asked(model):
    return [c[0]["content"].split(".")[0].removeprefix("Numbers: ") for c in model.asked]


def test_bfs_order_pruning_and_solution():
    model = ScriptedCompleter(LEVEL_1 + LEVEL_2 + LEVEL_3)
    result = tree_of_thoughts(model, Game24Thoughts([1, 2, 3, 4]), breadth=2, depth=3,
                              proposals=3, budget=100)
    assert result.solved and result.calls == 15 == model.calls
    assert [n.thoughts[-1] for n in result.kept] == [
        "1 + 2 = 3", "4 - 3 = 1", "3 + 3 = 6", "3 * 4 = 12", "4 * 6 = 24"]
    assert [n.value for n in result.kept[:4]] == [1.0, 0.0, 1.0, 0.0]
    # each kept state was asked `proposals` times, level by level, best first
    assert numbers_asked(model) == ["1 2 3 4"] * 3 + ["3 4 3"] * 3 + ["1 2 1"] * 3 + \
        ["4 6"] * 3 + ["3 12"] * 3
    assert result.best.thoughts == ["1 + 2 = 3", "3 + 3 = 6", "4 * 6 = 24"]
    expression = Game24Thoughts.answer(result.best)
    assert expression == "(4 * (3 + (1 + 2)))" and is_solution(expression, [1, 2, 3, 4])
    assert model.seeds == list(range(9, 15))  # request j of the search is seeded seed + j


def test_the_budget_caps_model_calls():
    model = ScriptedCompleter(LEVEL_1 + LEVEL_2)
    result = tree_of_thoughts(model, Game24Thoughts([1, 2, 3, 4]), breadth=2, depth=3,
                              proposals=3, budget=5)
    # level 1 takes 3 calls; level 2 gets the first 2 of its 6 (both from 3 4 3); then none
    assert result.calls == 5 == model.calls and not result.solved
    assert numbers_asked(model) == ["1 2 3 4"] * 3 + ["3 4 3"] * 2
    assert result.best.thoughts == ["1 + 2 = 3", "3 + 3 = 6"]  # best of the deepest level


def test_value_by_the_model_costs_one_call_per_child():
    def reply(conversation, i):
        text = conversation[0]["content"]
        if text.startswith("Can the numbers"):
            return "impossible" if "1 2 1" in text else "sure"
        return ["4 - 3 = 1", "1 + 2 = 3"][i]

    model = ScriptedCompleter(reply)
    result = tree_of_thoughts(model, Game24Thoughts([1, 2, 3, 4]), breadth=1, depth=1,
                              proposals=2, budget=10, value="model")
    assert result.calls == 4  # 2 proposals + 2 values
    assert [n.thoughts for n in result.kept] == [["1 + 2 = 3"]]  # "sure" beats "impossible"


@pytest.mark.parametrize("bad, message", [
    ({"breadth": 0}, "breadth >= 1, got breadth=0"), ({"depth": 0}, "depth >= 1, got depth=0"),
    ({"budget": 0}, "budget >= 1"), ({"value": "oracle"}, "value must be one of")])
def test_bad_settings_are_one_clear_error(bad, message):
    settings = {"breadth": 2, "depth": 3, "proposals": 3, "budget": 10, **bad}
    with pytest.raises(ConfigError, match=message):
        tree_of_thoughts(ScriptedCompleter([]), Game24Thoughts([1, 2, 3, 4]), **settings)
