"""Optional dependencies (lmforge/extras.py, issue 24.7): the base install holds only what chat
needs, a command whose extra is missing says which extra in one line, and pyproject.toml's
extras carry the packages extras.py maps (with `[test]` pulling all of them)."""

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from lmforge import extras

PYPROJECT = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]


def names(requirements: list[str]) -> set[str]:
    """Distribution names of requirement strings ("a>=1" -> "a"; "lmforge[x]" kept whole)."""
    return {r.split(">")[0].split("=")[0].split("<")[0].strip().lower().replace("_", "-")
            for r in requirements}


def run_cli(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    from lmforge.cli import main

    monkeypatch.setattr(sys, "argv", ["lmforge", *args])
    with pytest.raises(SystemExit) as stop:
        main()
    return stop.value.code, capsys.readouterr().err


def test_pyproject_extras_hold_the_packages_extras_py_maps():
    optional = {extra: names(reqs) for extra, reqs in PROJECT["optional-dependencies"].items()}
    for extra, modules in extras.EXTRAS.items():
        assert set(modules.values()) <= optional[extra], extra
    (everything,) = optional["all"]
    assert set(extras.EXTRAS) <= set(everything.removeprefix("lmforge[")[:-1].split(","))
    assert "lmforge[all]" in optional["test"]  # CI installs .[test]: everything


def test_the_base_install_holds_no_extras_package():
    base = names(PROJECT["dependencies"])
    optional = {d for modules in extras.EXTRAS.values() for d in modules.values()}
    assert base & optional == set()
    assert "xgrammar" not in base and "matplotlib" not in base and "fastapi" not in base


def test_a_command_without_its_extra_names_it_at_once(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if not installed
    code, err = run_cli(monkeypatch, capsys, "serve", "--port", "0")
    assert code == 1
    assert err.strip().splitlines() == [
        "lmforge: error: lmforge serve needs the [serve] extra, which is not installed "
        "(no module 'fastapi'): pip install -e \".[serve]\""]
    monkeypatch.setitem(sys.modules, "apsw", None)
    code, err = run_cli(monkeypatch, capsys, "rag", "index", "docs/", "--db", "x")
    assert code == 1 and "lmforge rag needs the [rag] extra" in err and "'apsw'" in err
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    code, err = run_cli(monkeypatch, capsys, "rm", "score", "--help")
    assert code == 0  # --help needs no extra


def test_a_missing_module_deep_in_a_command_is_explained(monkeypatch):
    monkeypatch.setitem(sys.modules, "sacrebleu", None)
    with pytest.raises(ModuleNotFoundError) as missing:
        import sacrebleu  # noqa: F401
    assert extras.explain(missing.value) == (
        "this command needs the [eval] extra, which is not installed (no module "
        "'sacrebleu'): pip install -e \".[eval]\"")
    assert extras.explain(ModuleNotFoundError("x", name="not_an_extra")) is None
    assert extras.extra_for("starlette.responses") == "serve"  # brought by fastapi


def test_grammar_needs_xgrammar_only_when_used(monkeypatch):
    from lmforge.infer import grammar

    monkeypatch.setitem(sys.modules, "xgrammar", None)
    assert grammar.TOOL_CALL_OPEN == "<tool_call>"  # the server imports these without it
    with pytest.raises(extras.MissingExtraError, match=r"JSON-schema output and tool calls "
                       r"needs the \[grammar\] extra"):
        grammar.xgr.GrammarCompiler  # noqa: B018 - the first use imports


@pytest.mark.slow
def test_chat_runs_without_any_extra():
    """The README's first command installs the base only: a chat turn on the bundled model
    must import nothing from an extra (each extra's modules are hidden from this process)."""
    hidden = sorted({m for modules in extras.EXTRAS.values() for m in modules}
                    | {"starlette", "triton", "transformers", "nltk"})
    script = (f"import sys\nfor m in {hidden!r}: sys.modules[m] = None\n"
              "sys.argv = ['lmforge', 'chat', '--max-tokens', '8']\n"
              "from lmforge.cli import main\nmain()\n")
    done = subprocess.run([sys.executable, "-c", script], input="What is 2+2?\n",
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() and "extra" not in done.stderr


@pytest.mark.slow
def test_the_servers_rag_option_without_its_extra_is_a_400_naming_it(smollm2, monkeypatch,
                                                                     tmp_path):
    from fastapi.testclient import TestClient

    from lmforge.serve.app import Server, ServeSettings, create_app

    (tmp_path / "docs.sqlite").write_bytes(b"")  # an index file; opening it needs apsw
    monkeypatch.setenv("LMFORGE_RAG_DIR", str(tmp_path))
    monkeypatch.setitem(sys.modules, "apsw", None)
    server = Server(smollm2, None, ServeSettings(embedding_model_id=None, max_batch=1))
    with TestClient(create_app(server)) as client:
        response = client.post("/v1/chat/completions", json={
            "model": "smollm2-135m-instruct", "rag": "docs",
            "messages": [{"role": "user", "content": "How long is the warranty?"}]})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["param"] == "rag" and error["message"] == (
        "the rag option needs the [rag] extra, which is not installed (no module 'apsw'): "
        "pip install -e \".[rag]\"")
