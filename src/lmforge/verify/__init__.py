"""Verifiers and the sandbox: programs that check a model's answers (bottom layer).

Shared by RL with verifiable rewards (`train/objectives/grpo.py`) and evaluation:

    answers.py   extract / normalise / exact-match final answers
    exact.py     exact_match verifier          code.py     unit tests in the sandbox
    format.py    JSON schema, tags, length, forbidden words
    combine.py   weighted sum                  registry.py by name from a recipe
    sandbox.py   untrusted Python with limits (also `lmforge sandbox run`)
"""

from lmforge.verify.base import Verdict, Verifier
from lmforge.verify.registry import VERIFIERS, check_tasks, make_verifier

__all__ = ["VERIFIERS", "Verdict", "Verifier", "check_tasks", "make_verifier"]
