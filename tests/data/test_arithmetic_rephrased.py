"""The rephrased held-out arithmetic split: other templates, names, objects and numbers
than the training generator, answers that check, deterministic, reachable by name."""

import re

import pytest

from lmforge.data.synthetic import arithmetic, arithmetic_rephrased, generate_tasks
from lmforge.errors import ConfigError
from lmforge.verify import make_verifier

SPLIT = "test-rephrased"
OBJECTS = sorted({things for _, things in arithmetic_rephrased.PLACES} | set(arithmetic.ITEMS),
                 key=len, reverse=True)
NAMES = arithmetic.NAMES + arithmetic_rephrased.NAMES


def skeleton(question: str) -> str:
    """The template a question came from: numbers, names and objects blanked out."""
    text = re.sub(r"\d+", "#", question)
    for word in OBJECTS:
        text = text.replace(word, "OBJ")
    for place, _ in arithmetic_rephrased.PLACES:
        text = re.sub(rf"\bA {place}\b", "A PLACE", text)
    for name in NAMES:
        text = re.sub(rf"\b{name}\b", "NAME", text)
    return text


def training_problems(level: int) -> list[dict]:
    return (arithmetic.generate(300, "train", seed=0, level=level)
            + arithmetic.generate(60, "test", seed=0, level=level))


@pytest.mark.parametrize("level", [1, 2])
def test_templates_names_and_objects_are_not_the_training_ones(level):
    rephrased = generate_tasks("arithmetic", 200, split=SPLIT, seed=1337, level=level)
    train = training_problems(level)
    new_shapes = {skeleton(t["question"]) for t in rephrased}
    old_shapes = {skeleton(t["question"]) for t in train}
    assert len(new_shapes) == len(arithmetic_rephrased.TEMPLATES)  # every template drawn
    assert len(old_shapes) == 2 and not new_shapes & old_shapes
    assert not set(arithmetic.NAMES) & set(arithmetic_rephrased.NAMES)
    assert not set(arithmetic.ITEMS) & {t for _, t in arithmetic_rephrased.PLACES}
    for task in rephrased:  # no training name or object slips into a question
        assert not any(re.search(rf"\b{n}\b", task["question"]) for n in arithmetic.NAMES)
        assert not any(item in task["question"] for item in arithmetic.ITEMS)
    assert not {t["question"] for t in rephrased} & {t["question"] for t in train}


@pytest.mark.parametrize(("level", "low", "high", "train_top"), [(1, 11, 30, 10),
                                                                  (2, 51, 99, 50)])
def test_numbers_lie_above_the_training_range(level, low, high, train_top):
    rephrased = generate_tasks("arithmetic", 100, split=SPLIT, seed=3, level=level)
    numbers = [int(x) for t in rephrased for x in re.findall(r"\d+", t["question"])]
    assert min(numbers) >= low and max(numbers) <= high
    train_numbers = [int(x) for t in training_problems(level)
                     for x in re.findall(r"\d+", t["question"])]
    assert max(train_numbers) <= train_top < low


def test_answers_check_from_the_question_text():
    verifier = make_verifier({"name": "exact_match", "mode": "answer_is"})
    for task in generate_tasks("arithmetic", 100, split=SPLIT, seed=7, level=1):
        a, b = (int(x) for x in re.findall(r"\d+", task["question"]))
        # the words say which operation: more people get on / a total -> sum; else difference
        adds = "more people get on" in task["question"] or "total" in task["question"]
        expected = a + b if adds else a - b
        assert int(task["answer"]) == expected >= 0, task["question"]
        assert task["prompt"].endswith(arithmetic.INSTRUCTION)
        assert verifier(f"So it is {a} and {b}. The answer is {expected}.", task).score == 1.0
        assert verifier(f"The answer is {expected + 1}.", task).score == 0.0


def test_deterministic_distinct_and_labelled():
    first = generate_tasks("arithmetic", 50, split=SPLIT, seed=11)
    assert first == generate_tasks("arithmetic", 50, split=SPLIT, seed=11)
    assert first != generate_tasks("arithmetic", 50, split=SPLIT, seed=12)
    assert len({t["question"] for t in first}) == 50
    assert {t["split"] for t in first} == {SPLIT}
    assert [t["id"] for t in first[:2]] == [f"{SPLIT}-0", f"{SPLIT}-1"]


def test_bad_requests_are_named():
    with pytest.raises(ConfigError, match="test-rephrased split has levels"):
        generate_tasks("arithmetic", 5, split=SPLIT, level=3)
    with pytest.raises(ConfigError, match="must be positive"):
        generate_tasks("arithmetic", 0, split=SPLIT)
    with pytest.raises(ConfigError, match="split must be one of"):
        generate_tasks("arithmetic", 5, split="rephrased")
