"""`lmforge pretrain` as a new user meets it (issue 13, items 1, 5 and 9): a data source that
is empty or missing is an error (never "the current directory"), progress shows without a
terminal, one command line for `lmforge pretrain` and `python -m lmforge.cli` (the form
torchrun runs), and `--resume` with nothing to resume fails at once."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lmforge.cli.argv import parse_argv
from lmforge.data.sources import read_documents
from lmforge.errors import ConfigError, DataError

REPO = Path(__file__).resolve().parents[2]


def python_m_pretrain(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command torchrun runs in each process: `-m lmforge.cli pretrain ...`."""
    return subprocess.run([sys.executable, "-m", "lmforge.cli", "pretrain", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


def test_parse_argv():
    config, overrides = parse_argv(["--config", "r.yaml", "--lr=1e-3", "--max-steps", "5"])
    assert (config, overrides) == ("r.yaml", {"lr": "1e-3", "max_steps": "5"})
    with pytest.raises(ConfigError):
        parse_argv(["--lr"])


def test_empty_source_never_reads_the_current_directory(cli, tmp_path, monkeypatch):
    (tmp_path / "notes.txt").write_text("private notes\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "script.md").write_text("# a script\n")
    out = cli("pretrain", "--config", str(REPO / "recipes" / "char-shakespeare.yaml"),
              "--out", "x", "--max-steps", "3", cwd=tmp_path)
    assert out.returncode == 1, out.stderr
    assert "data.source" in out.stderr and "needs a data file" in out.stderr
    assert not (tmp_path / "x").exists()  # failed before any work
    for args in (["tokenizer", "train", "", "--out", "t"],
                 ["prepare", "", "--tokenizer", "t", "--out", "d"]):
        out = cli(*args, cwd=tmp_path)
        assert out.returncode == 1 and "empty" in out.stderr, out.stderr
    monkeypatch.chdir(tmp_path)
    for source in ("", "  "):
        with pytest.raises(DataError, match="empty"):
            read_documents(source)


def test_missing_paths_and_empty_folders_are_named(tmp_path):
    with pytest.raises(DataError, match="no such file"):
        read_documents(str(tmp_path / "absent.txt"))
    with pytest.raises(DataError, match="no such file"):
        read_documents("./data/corpus")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden").write_text("x")
    with pytest.raises(DataError, match="holds no files"):
        read_documents(tmp_path / "empty")


def test_recipes_needing_a_file_say_so_in_their_header():
    header = (REPO / "recipes" / "char-shakespeare.yaml").read_text().split("model:")[0]
    assert "needs a data file" in header and "--data.source" in header


def test_progress_lines_and_estimate_without_a_terminal(cli, tiny_run):
    out = cli("pretrain", "--config", str(tiny_run / "recipe.yaml"), "--out",
              str(tiny_run / "run"))
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stderr.splitlines()  # logging steps' lines (not the
             if line.startswith("step ") and "s/step" not in line]  # 30 s heartbeat's)
    assert [line.split(" |")[0] for line in lines] == [f"step {s}/20" for s in (5, 10, 15, 20)]
    assert all("loss" in line and "tok/s" in line and "ETA" in line for line in lines)
    assert "estimated time:" in out.stderr
    assert "20 steps = 2,560 tokens" in out.stderr  # not "0.0M tokens"
    assert json.loads(out.stdout)["step"] == 20


def test_python_m_pretrain_help_and_the_same_options(tiny_run):
    help_text = python_m_pretrain("--help")
    assert help_text.returncode == 0 and "--resume" in help_text.stdout
    out = python_m_pretrain("--config", str(tiny_run / "recipe.yaml"), "--out",
                            str(tiny_run / "run"), "--max-steps", "3")
    assert out.returncode == 0, out.stderr
    assert (tiny_run / "run" / "checkpoints" / "step_000003").is_dir()
    resumed = python_m_pretrain("--config", str(tiny_run / "recipe.yaml"), "--out",
                                str(tiny_run / "run"), "--max-steps", "5", "--resume")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads(resumed.stdout)["step"] == 5
    bad = python_m_pretrain("--lr", "abc")
    assert bad.returncode == 2 and "--lr" in bad.stderr


def test_resume_in_an_empty_folder_fails_at_once(cli, tmp_path):
    out = cli("pretrain", "--config", str(REPO / "recipes" / "bpe-10m-stdlib.yaml"),
              "--out", str(tmp_path / "empty"), "--resume")
    assert out.returncode == 1 and "no complete checkpoint" in out.stderr, out.stderr
    assert not (tmp_path / "empty" / "tokenizer").exists()  # no tokenizer training first


def test_connected_steps_reuse_the_tokenizer_and_shards(cli, tiny_run):
    tok, data = tiny_run / "tok", tiny_run / "data"
    corpus = str(tiny_run / "corpus.txt")
    assert cli("tokenizer", "train", corpus, "--out", str(tok), "--kind", "char").returncode == 0
    assert cli("prepare", corpus, "--tokenizer", str(tok), "--out", str(data)).returncode == 0
    before = (data / "manifest.json").stat().st_mtime_ns
    out = cli("pretrain", "--config", str(tiny_run / "recipe.yaml"), "--data.tokenizer",
              str(tok), "--data.prepared-dir", str(data), "--out", str(tiny_run / "run"),
              "--max-steps", "2")
    assert out.returncode == 0, out.stderr
    assert not (tiny_run / "run" / "tokenizer").exists()  # used runs/tok, trained none
    assert (data / "manifest.json").stat().st_mtime_ns == before  # shards reused as they are


@pytest.mark.slow
def test_nproc_launches_torchrun_with_the_same_options(cli, tiny_run):
    out = cli("pretrain", "--config", str(tiny_run / "recipe.yaml"), "--out",
              str(tiny_run / "run"), "--max-steps", "2", "--nproc", "2", "--strategy", "ddp",
              "--device", "cpu")
    assert out.returncode == 0, out.stderr
    assert (tiny_run / "run" / "checkpoints" / "step_000002").is_dir()
