"""The code verifier: run the model's code against the task's unit tests in the sandbox.

The completion's code (the last fenced ```python block that defines something, else the
whole text) is followed by a small harness that runs each test (`assert f(2) == 4`) on
its own and prints how many passed after a marker only this run knows, so printed text
in the model's code cannot forge a result. Score = passed / total tests.
Test: `pytest tests/verify/test_verifiers.py -k code`.
"""

import json
import re
import uuid
from collections.abc import Mapping, Sequence

from lmforge.errors import DataError
from lmforge.verify.base import Verdict, Verifier
from lmforge.verify.sandbox import SandboxResult, check_positive, run_many

FENCE = re.compile(r"```[ \t]*(?:python|py|python3)?[ \t]*\n(.*?)```", re.DOTALL | re.I)

HARNESS = """

import json as _lmf_json
_lmf_tests = {tests}
_lmf_passed, _lmf_failure = 0, None
for _lmf_test in _lmf_tests:
    try:
        exec(_lmf_test, globals())
        _lmf_passed += 1
    except BaseException as _lmf_error:
        if _lmf_failure is None:
            _lmf_failure = f"{{_lmf_test}}: {{type(_lmf_error).__name__}} {{_lmf_error}}"
print({marker!r} + _lmf_json.dumps({{"passed": _lmf_passed, "failure": _lmf_failure}}))
"""


def extract_code(completion: str) -> str:
    """The program in a completion: the last fenced block that defines something."""
    blocks = FENCE.findall(completion)
    defining = [b for b in blocks if re.search(r"^\s*(def|class|import|from) ", b, re.M)]
    if defining:
        return defining[-1]
    return blocks[-1] if blocks else completion


def task_tests(task: Mapping) -> list[str]:
    tests = task["tests"]
    if isinstance(tests, str):
        tests = [line for line in tests.splitlines() if line.strip()]
    if not tests or not all(isinstance(t, str) for t in tests):
        raise DataError(f"task {task.get('id', '?')}: 'tests' must be a non-empty list of "
                        "strings")
    return list(tests)


class CodeTests(Verifier):
    name = "code"
    required_fields = ("tests",)

    def __init__(self, timeout_s: float = 10, memory_mb: float = 512,
                 max_workers: int | None = None) -> None:
        self.timeout_s = check_positive("timeout_s", timeout_s)
        self.memory_mb = check_positive("memory_mb", memory_mb)
        self.max_workers = max_workers

    def __call__(self, completion: str, task: Mapping) -> Verdict:
        return self.score_many([completion], [task])[0]

    def score_many(self, completions: Sequence[str], tasks: Sequence[Mapping]) -> list[Verdict]:
        markers = [f"@@lmforge-{uuid.uuid4().hex}@@" for _ in completions]
        programs = [extract_code(c) + HARNESS.format(tests=repr(task_tests(t)), marker=m)
                    for c, t, m in zip(completions, tasks, markers, strict=True)]
        results = run_many(programs, max_workers=self.max_workers, timeout_s=self.timeout_s,
                           memory_mb=self.memory_mb)
        return [self._verdict(r, m, len(task_tests(t)))
                for r, m, t in zip(results, markers, tasks, strict=True)]

    @staticmethod
    def _verdict(result: SandboxResult, marker: str, total: int) -> Verdict:
        for line in result.stdout.splitlines():
            if line.startswith(marker):
                report = json.loads(line[len(marker):])
                reason = f"{report['passed']}/{total} tests passed"
                if report["failure"]:
                    reason += f"; first failure: {report['failure'][:200]}"
                return Verdict(report["passed"] / total, reason)
        last = (result.stderr.strip().splitlines() or [result.status])[-1]
        return Verdict(0.0, f"did not finish ({result.status}): {last[:200]}")
