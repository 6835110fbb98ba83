"""`lmforge prompt` and `lmforge eval --technique` on bad input: one clear line each, exit 1,
before any model loads (so these run in seconds)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # subprocesses


def lmforge(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], capture_output=True,
                          text=True, timeout=300, cwd=cwd, env={**os.environ,
                                                                "HF_HUB_OFFLINE": "1"})


@pytest.mark.parametrize("args, line", [
    (["prompt", "ask", "2 + 2?", "--technique", "self-consistency", "--k", "0"],
     "lmforge: error: self-consistency needs k >= 1 samples, got k=0"),
    (["prompt", "ask", "4 6 8 3", "--task", "game24", "--technique", "tot", "--breadth", "0"],
     "lmforge: error: tree of thoughts needs breadth >= 1, got breadth=0"),
    (["eval", "game24", "--technique", "magic"],
     "lmforge: error: unknown technique 'magic' (known: direct, few-shot, cot, "
     "self-consistency, tot)"),
    (["prompt", "ask", "4 6 8", "--task", "game24", "--technique", "tot"],
     "lmforge: error: Invalid value: --task game24 takes four whole numbers, got '4 6 8'"),
])
def test_bad_settings_one_line(args, line):
    result = lmforge(*args)
    assert result.returncode in (1, 2) and result.stderr.strip() == line


def test_depth_zero_and_undefined_template_variable(tmp_path):
    result = lmforge("prompt", "ask", "4 6 8 3", "--task", "game24", "--technique", "tot",
                     "--depth", "0")
    assert result.stderr.strip() == ("lmforge: error: tree of thoughts needs depth >= 1, "
                                     "got depth=0")
    (tmp_path / "t.j2").write_text("{{ question }} in {{ language }}")
    result = lmforge("prompt", "render", str(tmp_path / "t.j2"), "--var", "question=hi")
    assert result.returncode == 1
    assert result.stderr.strip() == (f"lmforge: error: {tmp_path / 't.j2'}: undefined "
                                     "variable 'language' (given: question)")
