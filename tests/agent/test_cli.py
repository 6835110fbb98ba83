"""`lmforge agent` as a real subprocess: the answer on stdout, the transcript, bad options."""

import json
import subprocess
import sys

import pytest


def lmforge(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], capture_output=True,
                          text=True, timeout=600)


@pytest.mark.slow
def test_agent_prints_the_answer_and_writes_the_transcript(tmp_path):
    log = tmp_path / "run.jsonl"
    out = lmforge("agent", "What is 12 + 30?", "--tools", "calculator", "--max-steps", "2",
                  "--max-tokens", "48", "--transcript", str(log))
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    events = [json.loads(line) for line in log.read_text().splitlines()]
    assert events[0]["kind"] == "task" and events[0]["tools"] == ["calculator",
                                                                  "current_datetime"]
    assert events[-1]["kind"] in ("final", "stopped")


@pytest.mark.parametrize("args, message", [
    (["--tools", "calculator,telepathy"], "unknown tool(s) telepathy"),
    (["--tools", "rag"], "needs an index: --db"),
    (["--tools", "files", "--root", "/no/such/folder"], "does not exist"),
])
def test_bad_tool_options_are_one_line_errors(args, message):
    out = lmforge("agent", "hello", *args)
    assert out.returncode == 1 and message in out.stderr and "Traceback" not in out.stderr
