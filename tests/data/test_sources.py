"""Document sources: txt, jsonl, parquet, folders, stdlib-docs, and errors that name files."""

import json
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from lmforge.data.sources import read_documents
from lmforge.errors import DataError


def test_text_file_is_one_document_with_normalised_newlines(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes("\ufeffline one\r\n\r\nline two 中文\r\n".encode())
    assert read_documents(path) == ["line one\n\nline two 中文\n"]


def test_jsonl_reads_text_fields(tmp_path):
    path = tmp_path / "d.jsonl"
    lines = [json.dumps({"text": "first", "id": 1}), json.dumps({"text": "second"}), ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert read_documents(path) == ["first", "second"]


def test_jsonl_missing_text_names_file_and_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "ok"}\n{"text": "ok"}\n{"body": "no text"}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.jsonl:3: record has no 'text' field"):
        read_documents(path)


def test_jsonl_invalid_json_names_line(tmp_path):
    path = tmp_path / "d.jsonl"
    path.write_text('{"text": "ok"}\n{"text": oops}\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"d\.jsonl:2: invalid JSON"):
        read_documents(path)


def test_empty_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="empty.txt: file is empty"):
        read_documents(path)


def test_whitespace_only_corpus_is_an_error(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_text("\n\n  \n")
    with pytest.raises(DataError, match="holds no text"):
        read_documents(path)


def test_binary_file_is_an_error_naming_it(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DataError, match=r"image\.txt: looks binary"):
        read_documents(path)


def test_invalid_utf8_is_an_error_naming_it(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes("café".encode("latin-1"))
    with pytest.raises(DataError, match=r"latin1\.txt: not valid UTF-8 at byte 3"):
        read_documents(path)


def test_parquet_text_column(tmp_path):
    path = tmp_path / "d.parquet"
    table = pa.table({"text": ["alpha", "beta 中文", "gamma"], "score": [1, 2, 3]})
    pq.write_table(table, path, row_group_size=2)  # two row groups: reading crosses batches
    assert read_documents(path) == ["alpha", "beta 中文", "gamma"]


def test_parquet_without_text_column(tmp_path):
    path = tmp_path / "d.parquet"
    pq.write_table(pa.table({"body": ["x"]}), path)
    with pytest.raises(DataError, match=r"d\.parquet: parquet file has no 'text' column"):
        read_documents(path)


def test_directory_reads_files_in_sorted_order_and_skips_hidden(tmp_path):
    (tmp_path / "b.txt").write_text("bee")
    (tmp_path / "a.jsonl").write_text('{"text": "ay"}\n')
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.md").write_text("sea")
    (tmp_path / ".hidden").write_text("never")
    assert read_documents(tmp_path) == ["ay", "bee", "sea"]


def test_stdlib_docs_and_max_documents():
    docs = read_documents("stdlib-docs", max_documents=3)
    assert len(docs) == 3 and all(len(d) > 100 for d in docs)


def test_unknown_name_without_datasets_package_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "datasets", None)  # import fails as if not installed
    with pytest.raises(DataError, match="install the `datasets` package"):
        read_documents("someone/some-dataset")


def test_the_chinese_sample_ships_in_the_package(tmp_path, monkeypatch):
    """`zh-poems` (issue 24, item 6): the README's Chinese example reads it from any folder."""
    monkeypatch.chdir(tmp_path)  # not the checkout: the package, not a relative path
    [poems] = read_documents("zh-poems")
    assert poems.startswith("静夜思　李白\n床前明月光，疑是地上霜。")
    assert 10_000 < len(poems.encode("utf-8")) < 20_000 and len(set(poems)) > 900
