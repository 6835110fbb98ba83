"""Checkable-task generators: deterministic, held-out splits disjoint, answers verifiable."""

import json
import random

import pytest

from lmforge.data.synthetic import generate_tasks, read_tasks, split_of
from lmforge.data.synthetic.arithmetic import make_problem
from lmforge.errors import ConfigError, DataError
from lmforge.verify import check_tasks, make_verifier


@pytest.mark.parametrize("kind, options", [("arithmetic", {"level": 3}), ("python", {}),
                                           ("json", {})])
def test_deterministic_and_splits_disjoint(kind, options):
    train = generate_tasks(kind, 40, "train", seed=1, **options)
    assert train == generate_tasks(kind, 40, "train", seed=1, **options)
    test = generate_tasks(kind, 30, "test", seed=2, **options)
    other_seed = generate_tasks(kind, 40, "train", seed=3, **options)
    questions = lambda tasks: {t["question"] for t in tasks}  # noqa: E731
    assert not questions(test) & (questions(train) | questions(other_seed))
    assert all(split_of(t["question"]) == "test" for t in test)
    assert len(questions(train)) == 40


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_arithmetic_answers_are_right(level):
    rng = random.Random(level)
    for _ in range(50):
        question, answer = make_problem(rng, level)
        numbers = [int(w.strip(",.?")) for w in question.split() if w.strip(",.?").isdigit()]
        assert answer >= 0 and isinstance(answer, int)
        if level in (1, 2) and "gets" in question:
            assert answer == numbers[0] + numbers[1]
        if level == 3:
            assert answer == numbers[0] + numbers[1] - numbers[2]
        if level == 5:
            assert answer == numbers[0] * numbers[1] + numbers[2] - numbers[3]
    tasks = generate_tasks("arithmetic", 5, "test", level=level)
    verify = make_verifier("exact_match")
    assert all(verify(f"The answer is {t['answer']}.", t).score == 1 for t in tasks)


def test_python_tasks_reject_a_wrong_solution():
    tasks = generate_tasks("python", 6, "test", seed=0)
    verify = make_verifier({"name": "code", "timeout_s": 20})
    wrong = [f"def {t['entry_point']}(*args):\n    return None" for t in tasks]
    assert all(v.score == 0 for v in verify.score_many(wrong, tasks))
    # the add_k family with its reference solution passes
    add = next(t for t in generate_tasks("python", 150, "train") if t["entry_point"] == "add_k")
    k = int(add["question"].split("plus ")[1].rstrip("."))
    assert verify(f"def add_k(x):\n    return x + {k}", add).score == 1


def test_json_tasks_verify_with_their_answer():
    tasks = generate_tasks("json", 10, "train")
    verify = make_verifier("json_match")
    assert all(verify(json.dumps(t["answer"]), t).score == 1 for t in tasks)
    wrong = {**tasks[0]["answer"], "extra": 1}
    assert verify(json.dumps(wrong), tasks[0]).score == 0


def test_bad_options_are_clear_errors():
    with pytest.raises(ConfigError, match="arithmetic level must be one of"):
        generate_tasks("arithmetic", 5, level=9)
    with pytest.raises(ConfigError, match="unknown task kind 'maths'"):
        generate_tasks("maths", 5)
    with pytest.raises(ConfigError, match="split must be one of train, test"):
        generate_tasks("python", 5, split="dev")
    with pytest.raises(ConfigError, match="distinct train tasks exist"):
        generate_tasks("python", 10_000)


def test_read_tasks_names_the_line(tmp_path):
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"prompt": "1+1?", "answer": "2"}\n{"question": "no prompt"}\n')
    with pytest.raises(DataError, match="tasks.jsonl:2: missing field 'prompt'"):
        read_tasks(path)
    path.write_text('{"prompt": "1+1?"}\n')
    with pytest.raises(DataError, match="tasks.jsonl:1: missing field 'answer'"):
        check_tasks(read_tasks(path), make_verifier("exact_match"), str(path))
