"""Self-consistency's vote on fixed (scripted) model replies equals the hand count."""

import pytest

from lmforge.errors import ConfigError
from lmforge.prompting.completer import Sampling, ScriptedCompleter, user
from lmforge.prompting.self_consistency import majority_vote, self_consistency
from lmforge.verify.answers import extract_answer


def test_vote_counts_normalised_answers_and_skips_unreadable():
    vote = majority_vote(["8", "7", "8.0", None, "7", "9", ""])
    assert vote.counts == {"8": 2, "7": 2, "9": 1}
    # 8 reached 2 votes before 7 did: ties go to the first to reach the top count
    assert (vote.answer, vote.count) == ("8", 2)


def test_a_tie_goes_to_the_answer_that_reached_it_first():
    assert majority_vote(["7", "8", "8", "7"]).answer == "8"
    assert majority_vote(["7", "8", "7", "8"]).answer == "7"
    assert majority_vote([None, None]).answer is None


def test_k_samples_of_every_question_in_one_batched_call():
    replies = ["So 2 + 3 = 5. The answer is 5.", "The answer is 6.", "It is 5",   # question 0
               "The answer is 3.", "no idea", "The answer is 4."]               # question 1
    model = ScriptedCompleter(replies)
    conversations = [user("Q0"), user("Q1")]
    votes = self_consistency(model, conversations, 3, lambda q, r: extract_answer(r),
                             Sampling(max_tokens=16, temperature=0.7, seed=10))
    assert model.calls == 6
    assert [c[0]["content"] for c in model.asked] == ["Q0"] * 3 + ["Q1"] * 3
    assert model.seeds == [10, 11, 12, 10, 11, 12]  # sample i of each question: seed + i
    assert (votes[0].answer, votes[0].count, votes[0].counts) == ("5", 2, {"5": 2, "6": 1})
    assert (votes[1].answer, votes[1].counts) == ("3", {"3": 1, "4": 1})
    assert votes[1].samples == replies[3:]


def test_bad_k_and_greedy_sampling_are_one_clear_error():
    model = ScriptedCompleter(["x"])
    with pytest.raises(ConfigError, match="k >= 1 samples, got k=0"):
        self_consistency(model, [user("Q")], 0, lambda q, r: r, Sampling(temperature=0.7))
    with pytest.raises(ConfigError, match="needs temperature > 0"):
        self_consistency(model, [user("Q")], 3, lambda q, r: r, Sampling(temperature=0))
    assert model.calls == 0
