"""Agent memory: a short-term window over the conversation and a long-term SQLite store.

Short-term memory is the conversation itself, which must fit the model's context. When it
does not, `fit_conversation` keeps the system message, the task and the most recent turns
(the one policy of infer/conversation.py, shared with `lmforge chat`), and replaces what it
cut by one summary message listing the cut steps (a tool call and its result each become one
short line), so the model still knows what it already tried.

Long-term memory survives sessions: facts saved with `remember` go to a SQLite table with
their embedding and time. `recall(query)` ranks them by

    score = cosine(query, fact) + RECENCY_WEIGHT * 0.5 ** (age / half_life)

so a relevant fact wins, and among equally relevant ones the newer does. The agent puts the
best few into its system message at the start of a session.

Test: `pytest tests/agent/test_memory.py`.
"""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lmforge.infer.conversation import fit_messages, head_length

RECENCY_WEIGHT = 0.1
HALF_LIFE_S = 30 * 24 * 3600.0
SUMMARY_LINE_CHARS = 80


def _line(message: dict) -> str:
    role = message.get("role", "?")
    if message.get("tool_calls"):
        calls = "; ".join(f"{c['function']['name']}({c['function']['arguments']})"
                          for c in message["tool_calls"])
        text = f"called {calls}"
    else:
        text = str(message.get("content") or "").replace("\n", " ")
    return f"- {role}: {text}"[:SUMMARY_LINE_CHARS]


def fit_conversation(messages: list[dict], count_tokens: Callable[[list[dict]], int],
                     max_tokens: int) -> list[dict]:
    """Messages that fit `max_tokens`: head (system + task), a summary, the newest turns.
    The turns to cut are chosen as everywhere else (infer/conversation.py)."""
    head = head_length(messages) + 1  # the system message and the task
    fitted = fit_messages(messages, count_tokens, max_tokens, head=head, summarize=_summary,
                          keep_newest_turn=False).messages
    if fitted is not messages and count_tokens(fitted) > max_tokens:
        _shorten_summary(fitted, fitted[head], count_tokens, max_tokens)
    return fitted


def _summary(cut: list[dict]) -> dict:
    return {"role": "user", "content": "Summary of earlier steps (cut to fit the context):\n"
            + "\n".join(_line(m) for m in cut)}


def _shorten_summary(messages: list[dict], summary: dict,
                     count_tokens: Callable[[list[dict]], int], max_tokens: int) -> None:
    """Even the summary is too long: keep only its newest lines (in place)."""
    lines = summary["content"].splitlines()
    while len(lines) > 2 and count_tokens(messages) > max_tokens:
        lines.pop(1)
        summary["content"] = "\n".join(lines)


@dataclass
class Memory:
    text: str
    created_at: float
    score: float = 0.0


class LongTermMemory:
    """Facts in one SQLite file, recalled by similarity and recency (see module docstring)."""

    def __init__(self, path: str | Path, embed: Callable[[list[str]], np.ndarray]) -> None:
        from lmforge.rag.store import connect

        self.path = Path(path)
        self.embed = embed
        self.conn = connect(self.path)
        self.conn.execute("CREATE TABLE IF NOT EXISTS memories (id INTEGER PRIMARY KEY, "
                          "text TEXT NOT NULL, created_at REAL NOT NULL, "
                          "embedding BLOB NOT NULL, meta TEXT)")

    def remember(self, text: str, meta: dict | None = None, now: float | None = None) -> None:
        if not text.strip():
            raise ValueError("nothing to remember: the text is empty")
        vector = np.asarray(self.embed([text])[0], dtype=np.float32)
        created_at = time.time() if now is None else now
        self.conn.execute("INSERT INTO memories (text, created_at, embedding, meta) "
                          "VALUES (?, ?, ?, ?)", (text, created_at, vector.tobytes(),
                                                  json.dumps(meta or {})))

    def recall(self, query: str, k: int = 3, min_similarity: float = 0.2,
               now: float | None = None) -> list[Memory]:
        rows = list(self.conn.execute("SELECT text, created_at, embedding FROM memories"))
        if not rows or not query.strip():
            return []
        q = np.asarray(self.embed([query])[0], dtype=np.float32)
        now = time.time() if now is None else now
        found = []
        for text, created_at, blob in rows:
            similarity = float(np.frombuffer(blob, dtype=np.float32) @ q)
            if similarity < min_similarity:
                continue
            recency = 0.5 ** (max(0.0, now - created_at) / HALF_LIFE_S)
            found.append(Memory(text, created_at, similarity + RECENCY_WEIGHT * recency))
        return sorted(found, key=lambda m: -m.score)[:k]

    def __len__(self) -> int:
        return self.conn.execute("SELECT count(*) FROM memories").fetchone()[0]

    def close(self) -> None:
        self.conn.close()
