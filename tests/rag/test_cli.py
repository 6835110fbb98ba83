"""`lmforge rag index|search|ask` as real subprocesses: the command-line contract."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each command loads MiniLM (and ask loads SmolLM2)
DOCS = Path(__file__).parent / "docs"


def lmforge(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], capture_output=True,
                          text=True, timeout=600)


def test_index_search_reindex_and_ask(tmp_path):
    docs, db = tmp_path / "docs", tmp_path / "docs.sqlite"
    shutil.copytree(DOCS, docs)
    out = lmforge("rag", "index", str(docs), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "7 added, 0 updated, 0 removed, 0 unchanged" in out.stdout

    out = lmforge("rag", "search", "图书馆哪天闭馆？", "--db", str(db), "--k", "3", "--json")
    assert out.returncode == 0, out.stderr
    hits = json.loads(out.stdout)
    assert len(hits) == 3 and hits[0]["source"] == str(docs / "zh" / "city_library_rules.txt")
    assert "每周一闭馆" in hits[0]["text"] and {"score", "start", "end", "position"} <= set(hits[0])

    with open(docs / "en" / "orchard_survey.txt", "a", encoding="utf-8") as f:
        f.write("\nA late note: the survey ended in the first frost of November.\n")
    (docs / "en" / "rover_mission_log.md").unlink()
    out = lmforge("rag", "index", str(docs), "--db", str(db))
    assert out.returncode == 0, out.stderr
    assert "0 added, 1 updated, 1 removed, 5 unchanged" in out.stdout

    out = lmforge("rag", "ask", "What is the warranty of the Zephyr K-40 kettle?", "--db",
                  str(db), "--max-tokens", "40")
    assert out.returncode == 0, out.stderr
    answer, sources = out.stdout.split("\n\n", 1)
    assert answer.strip() and "[1] " in sources and "zephyr_kettle_manual.html" in sources


def test_bad_input_is_one_clear_line(tmp_path):
    db = tmp_path / "x.sqlite"
    out = lmforge("rag", "search", "anything", "--db", str(db))
    assert out.returncode == 1 and "no such index" in out.stderr
    assert "Traceback" not in out.stderr
    (tmp_path / "empty.txt").write_text("")
    out = lmforge("rag", "index", str(tmp_path / "empty.txt"), "--db", str(db))
    assert out.returncode == 0 and "skipped" in out.stderr and "no text to index" in out.stderr
    out = lmforge("rag", "index", str(DOCS / "en"), "--db", str(db), "--embedding-model",
                  "smollm2-135m-instruct")
    assert out.returncode == 1 and "built with embedding model all-minilm-l6-v2" in out.stderr
    assert "not comparable" in out.stderr


def test_a_missing_path_leaves_no_index_behind(tmp_path):
    db = tmp_path / "x.sqlite"
    out = lmforge("rag", "index", str(tmp_path / "no-such-folder"), "--db", str(db))
    assert out.returncode == 1, out.stderr
    assert out.stderr.splitlines() == [
        f"lmforge: error: {tmp_path / 'no-such-folder'}: no such file or folder"]
    assert list(tmp_path.iterdir()) == []  # no x.sqlite, no journal
