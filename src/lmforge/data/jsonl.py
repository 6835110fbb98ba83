"""JSONL records for fine-tuning: read with file:line errors, recognise the format from line 1.

    chat         {"messages": [{"role": "system"|"user"|"assistant", "content": "..."}, ...]}
    alpaca       {"instruction": "...", "input": "...", "output": "..."}   (input optional)
    preference   {"prompt": "..." or [messages], "chosen": "...", "rejected": "..."}
    pairs        {"source": "...", "target": "..."}                         (seq2seq)

Every error names the file and the 1-based line, so a bad line in a 100k-line file is found
at once.

Test: `pytest tests/data/test_finetune_data.py -k jsonl`.
"""

import json
from collections.abc import Iterator
from pathlib import Path

from lmforge.errors import DataError

FORMATS = {  # format -> fields every record must have
    "chat": ("messages",),
    "alpaca": ("instruction", "output"),
    "preference": ("prompt", "chosen", "rejected"),
    "pairs": ("source", "target"),
}


def iter_jsonl(path: str | Path) -> Iterator[tuple[int, dict]]:
    """(line number, record) for each non-blank line; a line that is not a JSON object fails."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                raise DataError(f"{path}:{number}: not valid JSON ({e.msg})") from None
            if not isinstance(record, dict):
                raise DataError(f"{path}:{number}: expected a JSON object, got "
                                f"{type(record).__name__}")
            yield number, record


def detect_format(record: dict, where: str = "") -> str:
    """The format whose fields the record has (checked in the order of FORMATS)."""
    for name, needed in FORMATS.items():
        if needed[0] in record:
            return name
    raise DataError(f"{where}: cannot tell the data format from keys {sorted(record)}; expected "
                    "'messages' (chat), 'instruction'+'output' (alpaca), "
                    "'prompt'+'chosen'+'rejected' (preference) or 'source'+'target'")


def read_records(path: str | Path, expected: tuple[str, ...] | None = None
                 ) -> tuple[str, list[tuple[int, dict]]]:
    """(format, [(line, record)]): the format is recognised from the first record and
    every record must carry that format's fields as strings (messages: a list)."""
    records = list(iter_jsonl(path))
    if not records:
        raise DataError(f"{path}: no records")
    first_line, first = records[0]
    kind = detect_format(first, f"{path}:{first_line}")
    if expected and kind not in expected:
        raise DataError(f"{path}:{first_line}: this command needs {' or '.join(expected)} "
                        f"records, the file holds {kind} records")
    for number, record in records:
        check_fields(record, kind, f"{path}:{number}")
    return kind, records


def check_fields(record: dict, kind: str, where: str) -> None:
    for field in FORMATS[kind]:
        if field not in record:
            raise DataError(f"{where}: missing field {field!r} (a {kind} record needs "
                            f"{', '.join(FORMATS[kind])})")
        value = record[field]
        if field == "messages" and not isinstance(value, list):
            raise DataError(f"{where}: 'messages' must be a list of {{role, content}} objects")
        if field == "prompt" and not isinstance(value, str | list):
            raise DataError(f"{where}: 'prompt' must be a string or a list of messages")
        if field not in ("messages", "prompt") and not isinstance(value, str):
            raise DataError(f"{where}: field {field!r} must be a string, got "
                            f"{type(value).__name__}")
    if kind == "alpaca" and not isinstance(record.get("input", ""), str):
        raise DataError(f"{where}: field 'input' must be a string")
    if kind == "preference" and record["chosen"] == record["rejected"]:
        raise DataError(f"{where}: 'chosen' equals 'rejected' (a pair must differ)")
