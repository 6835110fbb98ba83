"""Final-answer extraction and normalisation on tricky answers (verify/answers.py)."""

import pytest

from lmforge.errors import ConfigError
from lmforge.verify.answers import exact_match, extract_answer, normalize_answer


@pytest.mark.parametrize("text, mode, expected", [
    ("The answer is 1,000.", "auto", "1,000"),
    ("We get \\boxed{42} so done", "auto", "42"),
    ("so x = \\boxed{\\frac{3}{4}}", "boxed", "\\frac{3}{4}"),
    ("<think>2+2=4, 4*3</think><answer> -12 </answer>", "tagged", "-12"),
    ("I had 3 apples and 5 pears, 8 fruits in all.", "last_number", "8"),
    ("Answer: 42", "answer_is", "42"),
    ("v3.2.1 then 7", "last_number", "7"),
    ("It costs $1,234.50 in total.", "last_number", "1,234.50"),
    ("12 / 4 = 3", "last_number", "3"),
    ("half is 1/2", "last_number", "1/2"),
    ("no digits here", "last_number", None),
    ("<answer>7", "tagged", None),  # an unclosed tag is no answer
])
def test_extract_answer(text, mode, expected):
    assert extract_answer(text, mode) == expected


@pytest.mark.parametrize("raw, canonical", [
    ("1,000", "1000"), ("1000", "1000"), ("1e3", "1000"), ("1,000.0", "1000"),
    ("-2.50", "-5/2"), ("\\frac{3}{4}", "3/4"), ("0.75", "3/4"), ("$42", "42"),
    ("42.", "42"), ("42 apples", "42"), ("−7", "-7"), ("\\boxed{12}", "12"),
    ("  Paris. ", "paris"), ("\\text{Blue  Whale}", "blue whale"), (None, ""),
])
def test_normalize_answer(raw, canonical):
    assert normalize_answer(raw) == canonical


def test_exact_match_on_tricky_pairs():
    assert exact_match("1,000", "1000") and exact_match("1e3", 1000)
    assert exact_match("0.5", "1/2") and exact_match(extract_answer("\\boxed{42}"), "42")
    assert not exact_match("41", "42") and not exact_match("", "")
    assert not exact_match("1000.5", "1000")
    # several numbers: the last one is the answer, not the first
    assert exact_match(extract_answer("3 + 4 = 7, times 2 is 14"), "14")


def test_unknown_mode_is_a_clear_error():
    with pytest.raises(ConfigError, match="answer mode must be one of"):
        extract_answer("1", mode="first_number")
