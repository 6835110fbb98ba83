"""The exact-match verifier: the completion's final answer equals the task's `answer`.

Extraction and normalisation live in `answers.py`; this wraps them as a Verifier so RL
and evaluation can pick it by name (`exact_match`). Test: `tests/verify/test_verifiers.py`.
"""

from collections.abc import Mapping

from lmforge.errors import ConfigError
from lmforge.verify.answers import MODES, exact_match, extract_answer, normalize_answer
from lmforge.verify.base import Verdict, Verifier


class ExactMatch(Verifier):
    name = "exact_match"
    required_fields = ("answer",)

    def __init__(self, mode: str = "auto") -> None:
        if mode not in MODES:
            raise ConfigError(f"exact_match mode must be one of {', '.join(MODES)}, "
                              f"got {mode!r}")
        self.mode = mode

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        predicted = extract_answer(completion, self.mode)
        gold = normalize_answer(task["answer"])
        if predicted is None:
            return Verdict(0.0, f"no answer found ({self.mode}); expected {gold}")
        if exact_match(predicted, task["answer"]):
            return Verdict(1.0, f"{normalize_answer(predicted)} == {gold}")
        return Verdict(0.0, f"{normalize_answer(predicted)} != {gold}")
