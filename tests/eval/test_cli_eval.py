"""`lmforge eval` in-process (typer's runner) on the session's SmolLM2: the perplexity JSON,
a results table, and clear errors for bad task files."""

import importlib
import json

import pytest
from typer.testing import CliRunner

import lmforge.cli  # noqa: F401  (registers every command)
from lmforge.eval.perplexity import perplexity

cli_app = importlib.import_module("lmforge.cli.app")  # the module (lmforge.cli.app is the app)

runner = CliRunner()


@pytest.fixture
def bundled(monkeypatch, smollm2):
    monkeypatch.setattr(cli_app, "_load", lambda name, dtype: smollm2)
    return smollm2


@pytest.mark.slow
def test_eval_perplexity_json(bundled, tmp_path):
    text = "The quick brown fox jumps over the lazy dog. " * 3
    path = tmp_path / "held_out.txt"
    path.write_text(text, encoding="utf-8")
    out = runner.invoke(cli_app.app, ["eval", "perplexity", str(path), "--context", "32",
                                      "--stride", "16", "--json"])
    assert out.exit_code == 0, out.output
    result = json.loads(out.stdout)
    expected = perplexity(bundled.model, bundled.tokenizer, text, 32, 16)
    assert result["perplexity"] == pytest.approx(expected.perplexity)
    assert result["tokens"] == expected.tokens


@pytest.mark.slow
def test_eval_builtin_tasks_write_a_table(bundled, tmp_path):
    out = runner.invoke(cli_app.app, ["eval", "mc_zh", "--limit", "2", "--out", str(tmp_path)])
    assert out.exit_code == 0, out.output
    assert "| mc_zh | acc |" in out.stdout and "| mc_zh | acc_norm |" in out.stdout
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["results"]["smollm2-135m-instruct"]["mc_zh"]["n"] == 2


def test_eval_task_file_with_a_missing_field_is_a_clear_error(tmp_path, monkeypatch):
    (tmp_path / "t.jsonl").write_text('{"question": "2+2?"}\n', encoding="utf-8")
    (tmp_path / "t.yaml").write_text("name: t\ntype: generation\ndata: t.jsonl\n"
                                     "prompt: '{question}'\n", encoding="utf-8")
    monkeypatch.setattr(cli_app, "_load", lambda *a: pytest.fail("loaded a model first"))
    out = runner.invoke(cli_app.app, ["eval", str(tmp_path / "t.yaml")])
    assert out.exit_code != 0
    assert "t.jsonl line 1: missing field 'answer'" in str(out.exception)
