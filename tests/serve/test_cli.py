"""`lmforge serve` refuses bad options at once (before loading a model), with one line on
stderr (run in-process through the CLI's `main`, as the shell would, minus the start-up
cost); the happy path (one `listening on` line, --port 0, clean exit on SIGINT) is the
session server in conftest.py."""

import pytest

from lmforge.cli import main

BAD = [(["--quantize", "int3"], ["--quantize"]), (["--port", "70000"], ["--port"]),
       (["--max-batch", "0"], ["--max-batch"]), (["--kv-blocks", "0"], ["--kv-blocks"]),
       (["--kv-dtype", "int3"], ["--kv-dtype", "int3"])]


@pytest.mark.parametrize("args, words", BAD)
def test_bad_options_fail_fast_with_one_line(args, words, monkeypatch, capsys):
    monkeypatch.setattr("sys.argv", ["lmforge", "serve", *args])
    with pytest.raises(SystemExit) as exit_info:
        main()
    assert exit_info.value.code != 0
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1 and lines[0].startswith("lmforge: error"), err
    for word in words:
        assert word in lines[0]
