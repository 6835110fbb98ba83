"""`lmforge safety redteam / recall / train` on bad input: one clear line, before any model
loads."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # subprocesses


def lmforge(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", "safety", *args],
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"})


def test_bad_options_and_a_bad_suite_line_are_one_line_each(tmp_path):
    suite = tmp_path / "suite.jsonl"
    suite.write_text('{"id": "a"}\n', encoding="utf-8")
    cases = [
        (["redteam", "--surfaces", "email"], "--surfaces must name some of chat, rag, agent"),
        (["redteam", "--suite", str(suite)], f"{suite} line 1: missing field(s) surface"),
        (["recall", "--classifier", "magic"], "--classifier must be one of none, ngram"),
        (["train", "magic", "--out", str(tmp_path / "c.safetensors")],
         "KIND must be ngram, probe, harm, harm-tuned or harm-encoder, got 'magic'"),
        (["recall", "--classifier", "none", "--set", str(tmp_path / "nope.jsonl")],
         "nope.jsonl"),
    ]
    for args, message in cases:
        result = lmforge(*args)
        lines = result.stderr.strip().splitlines()
        assert result.returncode in (1, 2) and len(lines) == 1, result.stderr
        assert lines[0].startswith("lmforge: error: ") and message in lines[0]
