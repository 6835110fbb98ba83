"""Built-in tools: calculator, files inside one folder, date and time, the tool set by name."""

import datetime as dt
import os

import pytest

from lmforge.agent.builtin_tools import calculator_tool, datetime_tool, files_tool, make_tools
from lmforge.agent.tools import run_tool


def test_calculator_tool_returns_exact_integers():
    assert run_tool(calculator_tool(), {"expression": "37 * 48"}).content == "1776"
    assert run_tool(calculator_tool(), {"expression": "7 / 2"}).content == "3.5"
    bad = run_tool(calculator_tool(), {"expression": "__import__('os')"})
    assert not bad.ok and "not allowed" in bad.content


def test_files_tool_reads_inside_the_folder_only(tmp_path):
    root = tmp_path / "allowed"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "note.txt").write_text("meeting at noon", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("top secret", encoding="utf-8")
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    read = files_tool(root)
    assert run_tool(read, {"path": "sub/note.txt"}).content == "meeting at noon"
    escapes = ["../secret.txt", str(tmp_path / "secret.txt"), "link.txt", "sub/../../secret.txt"]
    for escape in escapes:
        result = run_tool(read, {"path": escape})
        assert not result.ok and "outside the allowed folder" in result.content, escape
    missing = run_tool(read, {"path": "nope.txt"})
    assert not missing.ok and "not a file" in missing.content


def test_datetime_tool_gives_the_current_time_in_a_zone():
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    result = run_tool(datetime_tool(), {"timezone": "Asia/Shanghai"})
    after = dt.datetime.now(dt.UTC)
    stamp = dt.datetime.fromisoformat(result.content.split(" (")[0])
    assert stamp.utcoffset() == dt.timedelta(hours=8)
    assert before <= stamp <= after  # the time when it ran, however long that took
    assert "unknown time zone" in run_tool(datetime_tool(), {"timezone": "Mars/Olympus"}).content


def test_make_tools_by_name(tmp_path):
    names = [t.name for t in make_tools("calculator,files", root=tmp_path)]
    assert names == ["calculator", "read_file", "current_datetime"]
    with pytest.raises(ValueError, match="unknown tool.*telepathy"):
        make_tools("calculator,telepathy")
    with pytest.raises(ValueError, match="--db"):
        make_tools("rag")
