"""RAG-Fusion: the chat model rewrites the question N ways, each query is searched, and the
ranked lists are fused by reciprocal rank.

Raudaschl, 2023 ("RAG-Fusion"); the fusion is Cormack et al.'s reciprocal rank fusion,
the same `reciprocal_rank_fusion` the hybrid retriever uses to join its dense and keyword
lists (retrieval.py), here one level up, over whole hybrid searches:

    question ──model──> rewrite 1 .. rewrite N       (N sampled replies, one Engine batch)
    question, rewrite 1..N ──Retriever.search──> N+1 ranked lists of `candidates` hits
    score(chunk) = sum over lists of 1 / (60 + rank in that list)      rank from 1
    the k best distinct chunks (overlapping chunks of one file dropped, as in retrieval)

The original question is always one of the queries, so a useless rewrite can dilute the
ranking but not replace it. A hit keeps the similarity and keyword coverage it had for the
original question (the "not found" gate of answer.py reads those), or, for a chunk only a
rewrite found, those it had for that rewrite. `FusionRetriever.search` has the retriever's
signature, so `answer_question` and `rag ask` take it unchanged.
Measured against plain hybrid search in docs/prompting.md (benchmarks/bench_rag_fusion.py).
Test: `pytest tests/rag/test_fusion.py`.
"""

import re
from dataclasses import replace

from lmforge.errors import ConfigError
from lmforge.prompting.completer import Sampling
from lmforge.rag.keywords import is_chinese
from lmforge.rag.retrieval import Hit, Reranker, deduplicate, reciprocal_rank_fusion

REWRITE = {
    "en": "Rewrite this question as a different search query with the same meaning. Reply "
          "with the query only.\nQuestion: {question}",
    "zh": "把这个问题改写成意思相同的另一个搜索查询，只回答查询本身。\n问题：{question}",
}
CANDIDATES = 20  # hits taken from each query's search before fusing


def rewrite_queries(model, question: str, n: int, seed: int = 0,
                    temperature: float = 0.7) -> list[str]:
    """Up to n distinct rewrites (sampled, one batched call); empty or repeated ones and
    copies of the question are dropped."""
    if n < 1:
        raise ConfigError(f"--fusion needs at least 1 rewrite, got {n}")
    prompt = REWRITE["zh" if is_chinese(question) else "en"].format(question=question)
    replies = model.complete([[{"role": "user", "content": prompt}]] * n,
                             Sampling(max_tokens=40, temperature=temperature, seed=seed,
                                      stop=["\n"]))
    seen, rewrites = {question.strip().lower()}, []
    for reply in replies:
        query = clean_query(reply)
        if query and query.lower() not in seen:
            seen.add(query.lower())
            rewrites.append(query)
    return rewrites


def clean_query(reply: str) -> str:
    """A reply as a query: its first line, without a "Query:" label or quotes."""
    line = reply.strip().splitlines()[0] if reply.strip() else ""
    line = re.sub(r"^(?:search )?(?:query|查询)\s*[:：]\s*", "", line, flags=re.I)
    return line.strip().strip("\"'“”「」").strip()


def fuse_hits(ranked: list[list[Hit]], k: int) -> list[Hit]:
    """Reciprocal rank fusion of hit lists: the k best distinct chunks, score = fused."""
    first: dict[int, Hit] = {}
    for hits in ranked:
        for hit in hits:
            first.setdefault(hit.chunk_id, hit)  # the earliest list's view of the chunk
    fused = reciprocal_rank_fusion([[(h.chunk_id, h.score) for h in hits] for hits in ranked])
    return deduplicate([replace(first[chunk_id], score=score) for chunk_id, score in fused])[:k]


class FusionRetriever:
    """A Retriever whose search fuses the question's and `n` rewrites' hybrid searches."""

    def __init__(self, retriever, model, n: int, *, candidates: int = CANDIDATES,
                 seed: int = 0) -> None:
        if n < 1:
            raise ConfigError(f"--fusion needs at least 1 rewrite, got {n}")
        self.retriever, self.model, self.n = retriever, model, n
        self.candidates, self.seed = candidates, seed
        self.last_queries: list[str] = []

    def search(self, query: str, k: int = 5, mode: str = "hybrid",
               rerank: Reranker | None = None) -> list[Hit]:
        if k < 1:
            raise ConfigError(f"k={k} must be >= 1")
        queries = [query, *rewrite_queries(self.model, query, self.n, self.seed)]
        self.last_queries = queries
        n = max(self.candidates, k)
        hits = fuse_hits([self.retriever.search(q, k=n, mode=mode) for q in queries],
                         max(k, 10) if rerank else k)
        return rerank(query, hits)[:k] if rerank is not None else hits
