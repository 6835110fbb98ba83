"""Okapi BM25 over jieba words and Chinese character bigrams, in memory, beside FTS5.

FTS5's `bm25()` scores the jieba words of a chunk. On long Chinese narrative that misses
two things: a name jieba cuts differently in the question and in the passage (宝二爷 as one
word, 宝玉 as another) shares no word, and a paraphrase shares characters more often than
words. So a chunk is scored over two fields, each with proper BM25 weighting
(Robertson & Zaragoza, 2009):

    score(q, d) = sum over fields f of  w_f * sum over terms t of q in f:
                  idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))
    idf(t) = log(1 + (N - df(t) + 0.5) / (df(t) + 0.5))

- `word`: the words FTS5 indexes (jieba's search-mode segmentation for Chinese, lowercased
  words for English), stopwords dropped;
- `bigram`: every pair of neighbouring Chinese characters of the chunk and its heading.

The index is built from what the store already holds (the FTS5 bodies and chunk texts), so
it needs no schema change and no re-embedding; a Retriever builds it once and again when the
store's chunks change. Field weights are chosen on the dev half of
benchmarks/bench_rag_zh.py.

Test: `pytest tests/rag/test_bm25.py`.
"""

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from lmforge.rag.keywords import STOPWORDS, query_terms

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[\w\u3400-\u9fff]+", re.UNICODE)
FIELDS = ("word", "bigram")
FIELD_WEIGHTS = {"word": 1.0, "bigram": 0.25}  # chosen on the 93 dev novel questions (rag.md)


def bigrams(text: str) -> list[str]:
    """Neighbouring pairs of Chinese characters, within runs of Chinese characters."""
    return [run[i:i + 2] for run in _CJK_RUN.findall(text) for i in range(len(run) - 1)]


def body_words(body: str) -> list[str]:
    """The content words of an FTS5 body (jieba-segmented Chinese, plain English)."""
    return [w for w in (m.lower() for m in _WORD.findall(body)) if w not in STOPWORDS]


@dataclass
class _Field:
    postings: dict[str, tuple[np.ndarray, np.ndarray]]
    """term -> (row indices of the chunks holding it, its count in each)"""
    lengths: np.ndarray

    @classmethod
    def build(cls, docs: list[list[str]]) -> "_Field":
        rows: dict[str, list[tuple[int, int]]] = {}
        for row, terms in enumerate(docs):
            for term, count in Counter(terms).items():
                rows.setdefault(term, []).append((row, count))
        postings = {t: (np.array([r for r, _ in rc]), np.array([c for _, c in rc], np.float32))
                    for t, rc in rows.items()}
        return cls(postings, np.array([len(d) for d in docs], np.float32))


class BM25Index:
    """BM25 over the fields of a fixed list of chunks; `search` returns (chunk id, score)."""

    def __init__(self, ids: list[int], fields: dict[str, list[list[str]]], *,
                 k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = np.array(ids, dtype=np.int64)
        self.fields = {name: _Field.build(docs) for name, docs in fields.items()}
        self.k1, self.b = k1, b

    @classmethod
    def from_store(cls, store) -> "BM25Index":
        """Words from the FTS5 bodies, bigrams from the heading and text of each chunk."""
        bodies = dict(store.conn.execute("SELECT rowid, body FROM chunks_fts"))
        rows = list(store.conn.execute("SELECT id, heading, text FROM chunks ORDER BY id"))
        ids = [r[0] for r in rows]
        return cls(ids, {"word": [body_words(bodies.get(i, "")) for i in ids],
                         "bigram": [bigrams(h + "\n" + t) for _, h, t in rows]})

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, terms: dict[str, list[str]],
               weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every chunk for the query terms of each field, weighted by field."""
        weights = weights or FIELD_WEIGHTS
        total = np.zeros(len(self.ids), np.float32)
        n = max(1, len(self.ids))
        for name, field in self.fields.items():
            weight = weights.get(name, 0.0)
            if weight == 0.0 or not terms.get(name):
                continue
            norm = self.k1 * (1 - self.b + self.b * field.lengths / max(field.lengths.mean(), 1))
            for term in dict.fromkeys(terms[name]):  # each distinct query term once
                if term not in field.postings:
                    continue
                rows, tf = field.postings[term]
                idf = np.log1p((n - len(rows) + 0.5) / (len(rows) + 0.5))
                total[rows] += weight * idf * tf * (self.k1 + 1) / (tf + norm[rows])
        return total

    def search(self, query: str, k: int,
               weights: dict[str, float] | None = None) -> list[tuple[int, float]]:
        """(chunk id, score) of the k best chunks with a positive score, best first."""
        scores = self.scores(query_fields(query), weights)
        best = np.argsort(-scores, kind="stable")[:k]
        return [(int(self.ids[i]), float(scores[i])) for i in best if scores[i] > 0]


def query_fields(query: str) -> dict[str, list[str]]:
    """The query's terms per field, spelled as the index spells them."""
    pairs = [p for p in bigrams(query) if p not in STOPWORDS]  # 什么, 哪里: no content
    return {"word": query_terms(query, "jieba"), "bigram": pairs}
