"""`lmforge serve` refuses bad options at once (before loading a model), with one line on
stderr; the happy path (one `listening on` line, --port 0, clean exit on SIGINT) is the
session server in conftest.py."""

import inspect
import subprocess
import sys

import pytest

from lmforge.infer import Engine
from lmforge.serve.model_setup import KV_BLOCK_KEYWORDS

BAD = [(["--quantize", "int3"], ["--quantize"]), (["--port", "70000"], ["--port"]),
       (["--max-batch", "0"], ["--max-batch"])]
if not set(KV_BLOCK_KEYWORDS) & set(inspect.signature(Engine.__init__).parameters):
    BAD.append((["--kv-blocks", "64"], ["--kv-blocks"]))  # a dense-row Engine has no pool


@pytest.mark.parametrize("args, words", BAD)
def test_bad_options_fail_fast_with_one_line(args, words):
    r = subprocess.run([sys.executable, "-m", "lmforge.cli", "serve", *args],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lmforge: error"), r.stderr
    for word in words:
        assert word in lines[0]
