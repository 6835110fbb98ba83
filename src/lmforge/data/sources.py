"""Where pretraining text comes from: files, folders, the embedded corpus, or the Hub.

`iter_documents(source)` yields documents (strings) from any of:

- `stdlib-docs`: the embedded corpus (`data/corpus.py`), present on every Python install;
- `zh-poems`: a small Chinese sample shipped in the package (`data/samples/zh-poems.txt`,
  12 KB, one document): Tang and Song poems and lines from the Analects, the Daodejing, the
  Three Character Classic and the Thousand Character Classic, all public domain, typed in
  for lmforge; enough for a Chinese example to run anywhere, far too little to learn from;
- a `.jsonl` file: one JSON object a line, its `text` field is the document;
- a `.parquet` file: each row's `text` column is a document;
- any other file (`.txt`, `.md`, ...): UTF-8 text, the whole file is ONE document. We do not
  split on blank lines: prose, code and poetry all use blank lines inside a document, and a
  wrong split would put end-of-text tokens mid-thought. A corpus that is one big file
  (tinyshakespeare) is therefore one document; `prepare` then splits train/val by tokens;
- a directory: every non-hidden file below it, in sorted path order, read as above;
- a name shaped like a Hugging Face dataset (`name` or `org/name`) is streamed with
  `datasets` when that package is installed and the network allows.

Bad input raises `DataError` naming the source (file, line or row): an empty source string
(never "the current directory"), a path that does not exist, a folder with no text files,
an empty file, a binary file (NUL bytes or invalid UTF-8), a JSONL line that is not JSON or
has no `text`. Test: `pytest tests/data/test_sources.py tests/cli/test_new_user.py`.

Try: `python -m lmforge.data.sources stdlib-docs` prints the document count and size.
"""

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from lmforge.errors import DataError

STDLIB_DOCS = "stdlib-docs"
SAMPLES = {"zh-poems": Path(__file__).with_name("samples") / "zh-poems.txt"}
"""Text samples shipped in the package, by name."""
TEXT_FIELD = "text"


def read_documents(source: str | Path, max_documents: int | None = None) -> list[str]:
    """Read all documents of `source` into a list; an empty corpus is a DataError."""
    documents = list(iter_documents(source, max_documents))
    if not documents:
        raise DataError(f"corpus {str(source)!r} holds no text (no non-empty documents)")
    return documents


def iter_documents(source: str | Path, max_documents: int | None = None) -> Iterator[str]:
    """Yield the non-blank documents of `source` (see the module docstring for the kinds)."""
    count = 0
    for document in _iter_all(source):
        if max_documents is not None and count >= max_documents:
            return
        if document.strip():
            count += 1
            yield document


def check_source(source: str | Path) -> None:
    """Fail fast (before any work) on a source that cannot be read: empty, or a missing path."""
    text = str(source)
    if not text.strip():
        raise DataError("the data source is empty: give a text/JSONL/parquet file, a folder, "
                        f"{STDLIB_DOCS!r}, {', '.join(map(repr, SAMPLES))} or a Hugging Face "
                        "dataset name")
    named = text == STDLIB_DOCS or text in SAMPLES
    if not named and not Path(text).exists() and _looks_like_path(text):
        raise DataError(f"data source {text!r}: no such file or folder")


def _looks_like_path(text: str) -> bool:
    """A dataset name is `name` or `org/name`; anything with a file suffix, a leading
    `.`/`/`/`~` or several slashes is a path the user meant to exist."""
    return (text.startswith((".", "/", "~")) or text.count("/") > 1 or "\\" in text
            or Path(text).suffix.lower() in KNOWN_SUFFIXES)


KNOWN_SUFFIXES = (".txt", ".md", ".rst", ".jsonl", ".json", ".parquet", ".csv", ".text")


def _iter_all(source: str | Path) -> Iterator[str]:
    check_source(source)
    if str(source) == STDLIB_DOCS:
        from lmforge.data.corpus import stdlib_docs_corpus

        yield from stdlib_docs_corpus()
        return
    path = SAMPLES.get(str(source), Path(source))
    if path.is_dir():
        yield from _iter_directory(path)
    elif path.is_file():
        yield from _iter_file(path)
    else:
        yield from _iter_hf_dataset(str(source))


def _iter_directory(directory: Path) -> Iterator[str]:
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    )
    if not files:
        raise DataError(f"directory {str(directory)!r} holds no files")
    for path in files:
        yield from _iter_file(path)


def _iter_file(path: Path) -> Iterator[str]:
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty")
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _iter_jsonl(path)
    elif suffix == ".parquet":
        yield from _iter_parquet(path)
    else:
        yield _read_text(path)


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    # A NUL byte never occurs in real text but is common in binaries (images, archives).
    if b"\x00" in raw:
        raise DataError(f"{path}: looks binary (contains NUL bytes), expected UTF-8 text")
    try:
        text = raw.decode("utf-8-sig")  # -sig drops a leading byte-order mark
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not valid UTF-8 at byte {e.start} ({e.reason})") from None
    # Normalise Windows/old-Mac line ends, as open() in text mode would.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _iter_jsonl(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="strict") as f:
        for line_number, line in enumerate(_lines_or_error(f, path), start=1):
            if not line.strip():
                continue  # blank lines (often a trailing one) carry no record
            yield _jsonl_text(line, path, line_number)


def _lines_or_error(f: TextIO, path: Path) -> Iterator[str]:
    try:
        yield from f
    except UnicodeDecodeError as e:
        raise DataError(f"{path}: not valid UTF-8 ({e.reason})") from None


def _jsonl_text(line: str, path: Path, line_number: int) -> str:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as e:
        raise DataError(f"{path}:{line_number}: invalid JSON ({e.msg})") from None
    if not isinstance(record, dict) or TEXT_FIELD not in record:
        raise DataError(f"{path}:{line_number}: record has no {TEXT_FIELD!r} field")
    text = record[TEXT_FIELD]
    if not isinstance(text, str):
        kind = type(text).__name__
        raise DataError(f"{path}:{line_number}: {TEXT_FIELD!r} must be a string, got {kind}")
    return text


def _iter_parquet(path: Path) -> Iterator[str]:
    import pyarrow.parquet as pq

    try:
        parquet = pq.ParquetFile(path)
    except Exception as e:  # pyarrow raises several types for a corrupt file
        raise DataError(f"{path}: not a readable parquet file ({e})") from None
    columns = parquet.schema_arrow.names
    if TEXT_FIELD not in columns:
        raise DataError(f"{path}: parquet file has no {TEXT_FIELD!r} column (has {columns})")
    row = 0
    for batch in parquet.iter_batches(columns=[TEXT_FIELD]):
        for text in batch.column(0).to_pylist():
            if not isinstance(text, str):
                raise DataError(f"{path}: row {row}: {TEXT_FIELD!r} is not a string ({text!r})")
            row += 1
            yield text


def _iter_hf_dataset(name: str, split: str = "train") -> Iterator[str]:
    try:
        import datasets
    except ImportError:
        raise DataError(
            f"source {name!r} is not a file, a directory or {STDLIB_DOCS!r}; to read it as a "
            "Hugging Face dataset install the `datasets` package (pip install datasets)"
        ) from None
    try:
        stream = datasets.load_dataset(name, split=split, streaming=True)
        for row_number, record in enumerate(stream):
            if TEXT_FIELD not in record:
                raise DataError(f"dataset {name!r} row {row_number}: no {TEXT_FIELD!r} field")
            yield record[TEXT_FIELD]
    except DataError:
        raise
    except Exception as e:  # network down, unknown name, gated dataset, ...
        raise DataError(f"could not stream Hugging Face dataset {name!r}: {e}") from None


if __name__ == "__main__":
    docs = read_documents(sys.argv[1] if len(sys.argv) > 1 else STDLIB_DOCS)
    size = sum(len(d.encode("utf-8")) for d in docs)
    print(f"{len(docs)} documents, {size / 1e6:.2f} MB")
