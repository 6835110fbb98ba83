"""The audit log: one JSON line per safety decision, never the text or a secret in it.

    log = AuditLog("runs/safety-audit.jsonl")
    check(text, audit=log)

Each record holds the time, direction, action, categories and the rules (or PII kinds, or
classifiers) that fired, and the text's length: enough to count and review decisions, and
nothing a leaked log could expose (no text, no redacted value, no hash of either, since a
hash of a short secret can be reversed by trying candidates).
Each record is written with one `write` call on a file opened for appending, so concurrent
writers (the server's threads) never interleave within a line.
Test: `pytest tests/safety/test_guard.py`.
"""

import json
import os
import threading
import time
from pathlib import Path


class AuditLog:
    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def record(self, decision) -> None:
        """Append one line describing `decision` (a guard.Decision)."""
        entry = {
            "time": round(time.time(), 3),
            "direction": decision.direction,
            "allowed": decision.allowed,
            "action": decision.action,
            "categories": decision.categories,
            "rules": [f"{f.category}.{f.rule}" for f in decision.findings],
            "chars": len(decision.redacted),  # of the redacted text
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock, open(self.path, "a", encoding="utf-8") as f:
            f.write(line)

    def read(self) -> list[dict]:
        """All records, oldest first."""
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
