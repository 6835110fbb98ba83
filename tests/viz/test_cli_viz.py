"""`lmforge viz` in-process (typer's runner) on the session's SmolLM2."""

import importlib

import pytest
from typer.testing import CliRunner

import lmforge.cli  # noqa: F401  (registers every command)

cli_app = importlib.import_module("lmforge.cli.app")  # the module (lmforge.cli.app is the app)

runner = CliRunner()


@pytest.fixture
def bundled(monkeypatch, smollm2):
    monkeypatch.setattr(cli_app, "_load", lambda name, dtype: smollm2)
    return smollm2


@pytest.mark.slow
def test_viz_attention_png_and_html(bundled, tmp_path):
    png, page = tmp_path / "a.png", tmp_path / "a.html"
    out = runner.invoke(cli_app.app, ["viz", "attention", "今天天气真好", "--layer", "3",
                                      "--head", "1", "--out", str(png)])
    assert out.exit_code == 0, out.output
    assert png.read_bytes()[:4] == b"\x89PNG"
    out = runner.invoke(cli_app.app, ["viz", "attention", "The cat sat on the mat",
                                      "--out", str(page)])
    assert out.exit_code == 0, out.output
    assert "30 layers x 9 heads" in out.output and "const D = " in page.read_text()
    out = runner.invoke(cli_app.app, ["viz", "attention", "x", "--out", str(tmp_path / "a.gif")])
    assert out.exit_code != 0 and "must end in .png or .html" in out.output


@pytest.mark.slow
def test_viz_tokens_and_next(bundled, tmp_path):
    out = runner.invoke(cli_app.app, ["viz", "tokens", "今天天气真好", "--out",
                                      str(tmp_path / "t.html")])
    assert out.exit_code == 0, out.output
    assert (tmp_path / "t.html").exists() and "top alternatives" in out.stdout
    out = runner.invoke(cli_app.app, ["viz", "next", "今天天气真", "--top", "5"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    assert lines[0] == "next token after '今天天气真'" and len(lines) == 2 + 5
    assert "top-p=0.9" in lines[1]


@pytest.mark.slow
def test_viz_text_longer_than_the_limit(bundled):
    out = runner.invoke(cli_app.app, ["viz", "attention", "word " * 600, "--out", "x.png"])
    assert out.exit_code != 0 and "use --truncate" in str(out.exception)
