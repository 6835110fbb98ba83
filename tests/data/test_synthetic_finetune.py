"""Synthetic instruction and preference sets: seeded, in the taught format, pairs differ."""

from lmforge.data.synthetic import instructions, preferences


def test_instructions_are_seeded_and_formatted():
    a, b = instructions.generate(50, seed=1), instructions.generate(50, seed=1)
    assert a == b and a != instructions.generate(50, seed=2)
    replies = [r["messages"][1]["content"] for r in a]
    assert all(instructions.follows_format(r) for r in replies)
    assert not instructions.follows_format("The answer is 42.")
    assert instructions.is_correct("<answer>42</answer>", "42")
    assert not instructions.is_correct("<answer>41</answer>", "42")
    alpaca = instructions.generate(3, seed=1, alpaca=True)
    assert alpaca[0]["instruction"] == a[0]["messages"][0]["content"]


def test_preferences_are_seeded_and_differ():
    pairs = preferences.generate(200, seed=0)
    assert pairs == preferences.generate(200, seed=0)
    assert all(p["chosen"] != p["rejected"] for p in pairs)
    longer_chosen = sum(len(p["chosen"]) > len(p["rejected"]) for p in pairs) / len(pairs)
    assert 0.1 < longer_chosen < 0.4  # a quarter prefer a verbose correct reply
