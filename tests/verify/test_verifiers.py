"""Verifiers by name: exact match, code in the sandbox, JSON, tags, length, words, combine."""

import pytest

from lmforge.errors import ConfigError, DataError
from lmforge.verify import check_tasks, make_verifier
from lmforge.verify.code import extract_code

SCHEMA = {"type": "object", "required": ["name", "age"],
          "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}


def test_exact_match_verifier_gives_score_and_reason():
    verify = make_verifier("exact_match")
    right = verify("First 2+3=5, so the answer is 1,000.", {"answer": "1000"})
    wrong = verify("The answer is 999", {"answer": 1000})
    empty = verify("I am not sure.", {"answer": "7"})
    assert (right.score, right.reason) == (1.0, "1000 == 1000")
    assert (wrong.score, wrong.reason) == (0.0, "999 != 1000")
    assert empty.score == 0.0 and "no answer found" in empty.reason


def test_tagged_mode_ignores_numbers_outside_the_tag():
    verify = make_verifier({"name": "exact_match", "mode": "tagged"})
    assert verify("<think>5*3=15</think><answer>15</answer> or 16", {"answer": 15}).score == 1
    assert verify("the answer is 15", {"answer": 15}).score == 0


def test_code_verifier_runs_tests_in_the_sandbox():
    verify = make_verifier({"name": "code", "timeout_s": 20})
    task = {"tests": ["assert add(1, 2) == 3", "assert add(-1, 1) == 0", "assert add(2, 2) == 4"]}
    good = "Here you go:\n```python\ndef add(a, b):\n    return a + b\n```\nDone."
    half = "```python\ndef add(a, b):\n    return a + b if a > 0 else 7\n```"
    crash = "```python\ndef add(a, b):\n    return a +\n```"
    forged = "```python\nprint('{\"passed\": 3}')\ndef add(a, b):\n    return 99\n```"
    verdicts = verify.score_many([good, half, crash, forged], [task] * 4)
    assert [v.score for v in verdicts] == [1.0, pytest.approx(2 / 3), 0.0, 0.0]
    assert verdicts[1].reason.startswith("2/3 tests passed; first failure: assert add(-1, 1)")
    assert "SyntaxError" in verdicts[2].reason


def test_code_verifier_survives_an_infinite_loop():
    verify = make_verifier({"name": "code", "timeout_s": 1.5})
    verdict = verify("def f():\n    while True: pass\nf()", {"tests": ["assert True"]})
    assert verdict.score == 0 and "timeout" in verdict.reason


def test_extract_code_prefers_the_last_defining_block():
    text = "```\npip install x\n```\n```python\ndef f(): return 1\n```\n```\nf()\n```"
    assert extract_code(text) == "def f(): return 1\n"
    assert extract_code("def g(): pass") == "def g(): pass"


def test_json_schema_verifier():
    verify = make_verifier({"name": "json_schema", "schema": SCHEMA})
    assert verify('```json\n{"name": "Ann", "age": 31}\n```', {}).score == 1
    assert verify('Sure! {"name": "Ann", "age": 31} hope it helps', {}).score == 1
    malformed = verify('{"name": "Ann", "age": 31', {})
    wrong_type = verify('{"name": "Ann", "age": "31"}', {})
    assert malformed.score == 0 and malformed.reason.startswith("malformed JSON")
    assert wrong_type.score == 0 and "schema violation at age" in wrong_type.reason
    assert verify("no json at all", {}).reason == "no JSON found"


def test_json_match_compares_with_the_expected_object():
    verify = make_verifier("json_match")
    task = {"schema": SCHEMA, "answer": {"name": "Ann", "age": 31}}
    assert verify('{"age": 31, "name": "Ann"}', task).score == 1
    off = verify('{"name": "Ann", "age": 32}', task)
    assert off.score == 0 and "['age']" in off.reason


def test_tags_length_and_forbidden_words():
    tags = make_verifier("tags")
    assert tags("<think>a</think>\n<answer>4</answer>", {}).score == 1
    assert tags("<answer>4</answer><think>a</think>", {}).reason == "tags out of order or " \
        "extra text"
    assert tags("<think>a</think>", {}).reason == "missing tags: ['answer']"
    length = make_verifier({"name": "length", "max_words": 3})
    assert length("one two three", {}).score == 1 and length("a b c d", {}).score == 0
    words = make_verifier({"name": "forbidden_words", "words": ["darn"]})
    assert words("Darn it", {}).score == 0 and words("darnation", {}).score == 1


def test_combine_weights_scores():
    verify = make_verifier([{"name": "exact_match", "weight": 3},
                            {"name": "tags", "weight": 1}])
    both = verify("<think>x</think><answer>4</answer>", {"answer": "4"})
    format_only = verify("<think>x</think><answer>5</answer>", {"answer": "4"})
    assert both.score == 1.0 and format_only.score == pytest.approx(0.25)
    assert format_only.reason.startswith("exact_match 0 (5 != 4); tags 1")
    assert verify.required_fields == ("answer",)


def test_registry_errors_name_the_problem():
    with pytest.raises(ConfigError, match="unknown verifier 'exact'; known: code, exact_match"):
        make_verifier("exact")
    with pytest.raises(ConfigError, match="verifier 'exact_match' has no option 'mdoe'"):
        make_verifier({"name": "exact_match", "mdoe": "tagged"})
    with pytest.raises(ConfigError, match="sandbox timeout_s must be a positive number"):
        make_verifier({"name": "code", "timeout_s": -1})


def test_check_tasks_names_a_missing_field():
    check_tasks([{"prompt": "1+1?", "answer": "2"}], make_verifier("exact_match"))
    with pytest.raises(DataError, match="tasks.jsonl:2: missing field 'answer' .needed by "
                                        "exact_match."):
        check_tasks([{"prompt": "a", "answer": "1"}, {"prompt": "b"}],
                    make_verifier("exact_match"), "tasks.jsonl")
