"""One exit-code convention (0 ok, 1 input/run problem, 2 usage, 130 interrupted), one line
per bad value, found before any model loads, and help that tells the truth (issue 13)."""

import ast
import json

import pytest


def one_line(out) -> str:
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in out.stderr, out.stderr
    return lines[0]


def test_help_lists_exit_codes_version_and_debug(cli):
    out = cli("--help")
    assert out.returncode == 0
    for needle in ("--version", "--debug", "130 interrupted", "Exit codes"):
        assert needle in out.stdout, needle
    for command in ("chat", "serve", "sft", "dpo", "grpo", "rag", "eval"):  # help lists what is
        assert f" {command} " in out.stdout, command
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("lmforge ")


# A model that cannot load: a command that loaded it before checking its arguments would
# exit 1 naming it ("not found"); exit 2 shows every check came before any load.
NO_MODEL = ["--model", "./no-such-model"]


@pytest.mark.parametrize("args, needle", [
    (["generate", "hi", "--top-p", "1.5", *NO_MODEL], "top_p"),
    (["generate", "hi", "--max-tokens", "abc", *NO_MODEL], "--max-tokens"),
    (["generate", "hi", "--seed", "18446744073709551616", *NO_MODEL], "--seed"),
    (["generate", "hi", "--dtype", "int3", *NO_MODEL], "--dtype"),
    (["generate", "hi", "--beams", "2", "--temperature", "0.7", *NO_MODEL], "--temperature"),
    (["generate", "hi", "--beams", "2", "--top-k", "5", *NO_MODEL], "--top-k"),
    (["generate", "\udcff", *NO_MODEL], "UTF-8"),
    (["generate", "", *NO_MODEL], "PROMPT is empty"),
    (["generate", "", "--chat", *NO_MODEL], "PROMPT is empty"),
    (["tokenize", "a\udcffb", *NO_MODEL], "byte 0xff"),
    (["embed", "ok", "\udcfe", *NO_MODEL], "TEXT 2"),
    (["embed", "", *NO_MODEL], "TEXT 1 is empty"),
    (["pretrain", "--lr", "abc"], "--lr"),
    (["pretrain", "--no-such-setting", "1"], "no_such_setting"),
    (["chat", "--no-such-option"], "--no-such-option"),
])
def test_usage_errors_exit_2_in_one_line_before_loading(cli, args, needle):
    out = cli(*args)
    assert out.returncode == 2, (out.returncode, out.stderr)
    assert needle in one_line(out)


@pytest.mark.parametrize("args, needle", [
    (["generate", "hi", "--model", "./missing-model"], "not found"),
    (["tokenizer", "train", "", "--out", "tok"], "empty"),
    (["pretrain", "--data.source", "missing.txt", "--out", "run"], "no such file"),
])
def test_input_problems_exit_1(cli, tmp_path, args, needle):
    out = cli(*args, cwd=tmp_path)
    assert out.returncode == 1, (out.returncode, out.stderr)
    assert needle in one_line(out)


def test_tokenizer_report_rounds_bytes_per_token(cli, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("the cat sat on the mat. " * 300, encoding="utf-8")
    out = cli("tokenizer", "train", str(corpus), "--out", str(tmp_path / "tok"),
              "--vocab-size", "300", "--held-out", "0.2")
    assert out.returncode == 0, out.stderr
    per_token = json.loads(out.stdout)["held_out"]["bytes_per_token"]
    assert per_token == round(per_token, 4)
    shown = out.stderr.split("bytes/token")[-1].strip()
    assert len(shown.split(".")[-1]) <= 4, shown


@pytest.mark.slow
def test_beams_in_chat_reply_at_once(cli):
    out = cli("chat", "--beams", "2", "--max-tokens", "12",
              stdin="What is the capital of France?\n")
    assert out.returncode == 0, out.stderr
    assert "Paris" in out.stdout


@pytest.mark.slow
def test_tokenize_shows_text_and_byte_level_symbols(cli):
    out = cli("tokenize", "café 世界")
    assert out.returncode == 0, out.stderr
    rows = [line.split("\t") for line in out.stdout.strip().splitlines()]
    assert rows[0] == ["id", "text", "symbol"]
    texts = [ast.literal_eval(r[1]) for r in rows[1:]]
    symbols = [ast.literal_eval(r[2]) for r in rows[1:]]
    assert "é" in texts and "Ã©" in symbols
    assert b"\xe4\xb8" in texts  # a token with part of a character shows its bytes
    as_json = json.loads(cli("tokenize", "世界", "--json").stdout)
    assert set(as_json) == {"ids", "tokens", "texts"}
    assert len(as_json["texts"]) == len(as_json["ids"]) and "\\xe4\\xb8" in as_json["texts"]
