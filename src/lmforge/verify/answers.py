"""Final answers: find one in a completion, normalise it, compare it with the gold answer.

Reward for maths-style tasks (RLVR, GSM8K-style evaluation) is exact match of the final
answer, so most of the work is reading the answer the way a person would:

    "The answer is 1,000."          -> "1000"       thousands separators, trailing text
    "so x = \\boxed{\\frac{3}{4}}"    -> "3/4"        LaTeX boxes and fractions
    "<answer>-2.50</answer>"        -> "-5/2"       tags; decimals compared exactly
    "1e3" == "1000" == "1,000.0"                    one canonical form per number

Numbers become exact fractions (`fractions.Fraction`), so 0.5 == 1/2 and 1e3 == 1000
without float rounding; anything else is compared case- and space-insensitively.
Test: `pytest tests/verify/test_answers.py`.
"""

import re
from fractions import Fraction

from lmforge.errors import ConfigError

# a number as people write it: -1,234.5  3/4  1e3  .5  (not part of a word or a version)
NUMBER = re.compile(r"""
    (?<![\w.])                                  # not glued to a word or a dot before it
    [-−]?
    (?: (?:\d{1,3}(?:,\d{3})+ | \d+)(?:\.\d+)? | \.\d+ )
    (?: [eE][-+]?\d+ )?
    (?: \s*/\s*\d+(?!\.\d) )?                   # a fraction a/b
    (?![\w])
""", re.VERBOSE)
TAGGED = re.compile(r"<answer>(.*?)</answer>", re.DOTALL | re.IGNORECASE)
ANSWER_IS = re.compile(
    r"(?:final answer|the answer|answer)\s*(?:is|:|=)\s*:?\s*(.+?)(?:\.\s|\.?$|\n)",
    re.IGNORECASE)
LATEX_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
MODES = ("auto", "last_number", "tagged", "boxed", "answer_is")


def extract_boxed(text: str) -> str | None:
    """The contents of the last \\boxed{...}, braces balanced (\\boxed{\\frac{1}{2}})."""
    start = text.rfind("\\boxed")
    if start < 0:
        return None
    i = text.find("{", start)
    if i < 0:
        return None
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j]
    return None


def extract_last_number(text: str) -> str | None:
    text = LATEX_FRAC.sub(r"\1/\2", text)
    found = NUMBER.findall(text)
    return found[-1].strip() if found else None


def extract_answer(text: str, mode: str = "auto") -> str | None:
    """The final answer in `text` by `mode`, or None when there is none.

    tagged: the last <answer>...</answer>; boxed: the last \\boxed{...}; answer_is: what
    follows "the answer is" / "Answer:"; last_number: the last number anywhere;
    auto: the first of tagged, boxed, answer_is that is present, else the last number.
    """
    if mode not in MODES:
        raise ConfigError(f"answer mode must be one of {', '.join(MODES)}, got {mode!r}")
    if mode in ("tagged", "auto"):
        found = TAGGED.findall(text)
        if found or mode == "tagged":
            return found[-1].strip() if found else None
    if mode in ("boxed", "auto"):
        boxed = extract_boxed(text)
        if boxed is not None or mode == "boxed":
            return boxed.strip() if boxed is not None else None
    if mode in ("answer_is", "auto"):
        found = ANSWER_IS.findall(text)
        if found or mode == "answer_is":
            return found[-1].strip() if found else None
    return extract_last_number(text)


def parse_number(s: str) -> Fraction | None:
    """An exact number from '1,000', '-2.5', '1e3', '3/4', '\\frac{3}{4}'; None if not one."""
    s = LATEX_FRAC.sub(r"(\1)/(\2)", s.strip()).replace("−", "-")
    s = s.replace("$", "").replace("(", "").replace(")", "").rstrip(".").strip()
    s = re.sub(r"(?<=\d),(?=\d{3}\b)", "", s)  # thousands separators
    s = re.sub(r"\s*/\s*", "/", s)
    try:
        if "/" in s:
            top, bottom = s.split("/")
            return Fraction(Fraction(top), Fraction(bottom))
        return Fraction(s)
    except (ValueError, ZeroDivisionError):
        return None


def normalize_answer(s: str | int | float | None) -> str:
    """One canonical string per answer: numbers as reduced fractions ('1000', '-5/2'),
    text lowercased with spaces collapsed and outer punctuation, $ and \\text{} removed."""
    if s is None:
        return ""
    s = str(s).strip()
    s = re.sub(r"\\text\s*\{([^{}]*)\}", r"\1", s)
    if (boxed := extract_boxed(s)) is not None:
        s = boxed
    number = parse_number(s)
    if number is not None:
        return str(number)  # Fraction prints '1000' or '-5/2'
    # a number followed by a unit or words ('42 apples'): the number is the answer
    if (lead := re.match(r"^\s*([-−]?[\d.,/eE]+)\s+[a-zA-Z]", s)) and (
            number := parse_number(lead.group(1))) is not None:
        return str(number)
    s = s.replace("$", "").lower()
    s = re.sub(r"\s+", " ", s)
    return s.strip(" .,;:!?\"'`")


def exact_match(pred: str | int | float | None, gold: str | int | float) -> bool:
    """Whether two answers are the same after normalisation (an empty prediction never is)."""
    normalized = normalize_answer(pred)
    return normalized != "" and normalized == normalize_answer(gold)


__all__ = ["MODES", "exact_match", "extract_answer", "normalize_answer", "parse_number"]
