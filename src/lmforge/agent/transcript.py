"""The agent's transcript: one JSON object a line for every thought, call and observation.

    {"t": 0.012, "step": 1, "kind": "thought", "content": "I should compute this."}
    {"t": 0.013, "step": 1, "kind": "tool_call", "name": "calculator", "arguments": "..."}
    {"t": 0.020, "step": 1, "kind": "observation", "name": "calculator", "ok": true, ...}
    {"t": 0.950, "step": 2, "kind": "final", "content": "The answer is 1776."}

Lines are flushed as they are written, so a run that is killed still leaves its history.
`read_transcript(path)` loads one back.

Test: `pytest tests/agent/test_loop.py`.
"""

import json
import time
from pathlib import Path


class Transcript:
    def __init__(self, path: str | Path | None = None) -> None:
        self.events: list[dict] = []
        self.start = time.perf_counter()
        self.file = None
        if path is not None:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 - closed in close()

    def log(self, step: int, kind: str, **fields) -> dict:
        event = {"t": round(time.perf_counter() - self.start, 4), "step": step, "kind": kind,
                 **fields}
        self.events.append(event)
        if self.file is not None:
            self.file.write(json.dumps(event, ensure_ascii=False, default=str) + "\n")
            self.file.flush()
        return event

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


def read_transcript(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()
            if line.strip()]
