"""The technique runner on scripted replies: answers read per task kind, calls counted, the
bootstrap interval as computed by hand, and bad settings as one clear error each."""

import numpy as np
import pytest

from lmforge.errors import ConfigError
from lmforge.prompting import ScriptedCompleter, Settings, bootstrap_ci, solve
from lmforge.prompting.tasks import Problem, load_problems, parse_answer, read_letter

WORDS = [Problem("Ana has 3 apples and gets 2 more. How many apples does Ana have now? End "
                 "your reply with: The answer is N.", "5", "number"),
         Problem("Ben has 9 coins and gives away 4. How many coins does Ben have left? End "
                 "your reply with: The answer is N.", "5", "number")]


def test_direct_reads_answers_and_counts_one_call_each():
    model = ScriptedCompleter(["3 + 2 = 5. The answer is 5.", "The answer is 13."])
    outcomes = solve(model, WORDS, WORDS, Settings("direct"))
    assert [(o.answer, o.correct, o.calls) for o in outcomes] == [("5", True, 1),
                                                                  ("13", False, 1)]
    assert model.calls == 2 and model.seeds == [None, None]  # greedy


def test_self_consistency_votes_per_question():
    replies = ["The answer is 5.", "The answer is 4.", "The answer is 5.",
               "The answer is 13.", "The answer is 5.", "The answer is 5."]
    outcomes = solve(ScriptedCompleter(replies), WORDS, WORDS, Settings("self-consistency", k=3))
    assert [(o.answer, o.correct, o.calls) for o in outcomes] == [("5", True, 3),
                                                                  ("5", True, 3)]
    assert outcomes[1].samples == replies[3:]


def test_tot_on_word_problems_keeps_a_verified_equation():
    # 3 + 7 = 10 uses a number the question lacks; 3 + 2 = 6 is wrong arithmetic
    model = ScriptedCompleter(["3 + 7 = 10", "3 + 2 = 6", "3 + 2 = 5"] + ["9 + 4 = 13"] * 3)
    outcomes = solve(model, WORDS, WORDS, Settings("tot", proposals=3, breadth=1))
    assert [(o.answer, o.correct, o.calls) for o in outcomes] == [("5", True, 3),
                                                                  ("13", False, 3)]


def test_answers_per_kind():
    choice = Problem("Q\nA. x\nB. y", "B", "choice")
    assert read_letter("The answer is B.") == "B" and read_letter("答案是C。") == "C"
    assert read_letter("(A) Paris") == "A" and read_letter("I think so") is None
    assert choice.is_correct(parse_answer(choice, "B. y"))
    game = Problem("make 24", "24", "game24", numbers=[3, 3, 4, 8])
    assert game.is_correct(parse_answer(game, "(8 - 4) * (3 + 3) = 24"))


def test_bootstrap_interval_by_hand():
    scores = [1, 0, 1, 1, 0, 1, 0, 1, 1, 1]
    rng = np.random.default_rng(3)  # the same resamples, computed here directly
    means = np.array(scores)[rng.integers(0, 10, (500, 10))].mean(axis=1)
    expected = (np.percentile(means, 2.5), np.percentile(means, 97.5))
    assert bootstrap_ci(scores, resamples=500, seed=3) == pytest.approx(expected)
    assert bootstrap_ci([1, 1, 1]) == (1.0, 1.0)


@pytest.mark.parametrize("settings, message", [
    (Settings("chain-of-thought"), "unknown technique 'chain-of-thought' (known: direct, "
                                   "few-shot, cot, self-consistency, tot)"),
    (Settings("self-consistency", k=0), "k >= 1 samples, got k=0"),
    (Settings("tot", breadth=0), "breadth >= 1, got breadth=0"),
    (Settings("tot", depth=0), "depth >= 1, got depth=0"),
    (Settings("few-shot", selection="best"), "selection must be one of random, similar")])
def test_bad_settings_are_one_clear_error(settings, message):
    model = ScriptedCompleter([])
    with pytest.raises(ConfigError) as e:
        solve(model, WORDS, WORDS, settings)
    assert message in str(e.value) and "\n" not in str(e.value)
    assert model.calls == 0


def test_tasks_load_and_unknown_task_is_named():
    problems, pool = load_problems("word_problems", limit=5)
    assert len(problems) == 5 and problems[0].kind == "number"
    assert pool[0].solution.endswith(f"The answer is {pool[0].answer}.")
    mc, _ = load_problems("mc_zh", limit=2)
    assert mc[0].question.splitlines()[1:3] == ["A. 北京", "B. 上海"] and mc[0].answer == "A"
    with pytest.raises(ConfigError, match="unknown prompting task 'gsm8k'"):
        load_problems("gsm8k")
    with pytest.raises(ConfigError, match="not for choice problems"):
        solve(ScriptedCompleter([]), mc, mc, Settings("tot"))
