"""Retrieval: dense, keyword (BM25) and hybrid search over a store, with de-duplication.

- dense: embed the query with the index's encoder, take the nearest chunk vectors (cosine).
  Good at paraphrase ("how do I join paths" finds `os.path.join`), weak on rare names and,
  with the English MiniLM, on Chinese.
- keyword: FTS5 MATCH over the query's content words, ranked by BM25 (Robertson & Zaragoza,
  2009). Good at names and exact terms in any language the tokenizer segments.
- bm25: Okapi BM25 over jieba words and Chinese character bigrams (rag/bm25.py), built in
  memory from the store: finds a name or a paraphrase that jieba segments differently.
- maxsim: the candidates of the three lists above re-scored token by token with a static
  encoder's table (rag/late_interaction.py); a fusion list only, on for Chinese queries of
  an index built with a static encoder (TUNED_FUSION), off elsewhere.
- hybrid: reciprocal-rank fusion (Cormack et al., 2009): score = sum over the lists of
  weight / (60 + rank). Ranks, not raw scores, are fused, so cosine and BM25 need no
  calibration; a chunk that is high in any list rises. The weights depend on the query's
  language (`FUSION`): the bundled MiniLM is an English model whose Chinese rankings are
  close to noise, so for Chinese queries its weight is 0; an index built with a static
  encoder tuned on the corpus (rag/static_encoder.py, rag/bilingual.py: Chinese text by it,
  other text by MiniLM) has its own table (`TUNED_FUSION`), in which the dense list does
  count for Chinese. Each list is read to a depth per language
  (`FUSION_DEPTH`). All were chosen on the dev half of benchmarks/bench_rag_zh.py and
  reported on its held-out half (docs/rag.md).

Overlapping chunks (the chunker's overlap) of one file are near-duplicates: a hit whose
character range mostly overlaps a better hit of the same file is dropped, so k hits are k
different passages. A hybrid search then puts at most `PER_FILE` hits of one file ahead of
the other files' hits (Chinese: 1, so the top 5 are five chapters; the rest follow in their
order: none is dropped). An optional `rerank(query, hits)` callable reorders the final
candidates (e.g. `rerank.ChatModelReranker`).

Every hit carries `similarity` (cosine of query and chunk) and `coverage` (the share of the
query's content words found in the chunk, each word weighted by its BM25 inverse document
frequency, so a rare name counts more than a common word and a word the index never saw
counts most): answering uses them to decide "not found".

Test: `pytest tests/rag/test_retrieval.py`.
"""

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import numpy as np

from lmforge.errors import ConfigError
from lmforge.rag.bm25 import BM25Index
from lmforge.rag.chunking import position
from lmforge.rag.embedder import Embedder, is_tuned
from lmforge.rag.indexer import embedding_text
from lmforge.rag.keywords import is_chinese, match_expression, query_terms
from lmforge.rag.late_interaction import late_interaction_for
from lmforge.rag.store import Store

MODES = ("hybrid", "dense", "keyword", "bm25")
RRF_K = 60  # the constant of Cormack et al.; damps the weight of the very first ranks
# RRF weight of each ranked list by query language ("keyword" is FTS5's BM25 over jieba words),
# chosen on the dev half of benchmarks/bench_rag_zh.py (docs/rag.md), by R@5, then MRR@10,
# on its 93 dev novel questions (30 + 63 added when the first 30 no longer told settings
# apart). FUSION, the bundled MiniLM (and a tuned transformer): for Chinese, bm25 1 and
# MiniLM's dense list 0.25 (dev R@5 89/93, MRR@10 0.872; bm25 alone 89/93, 0.860); English
# keeps the weights measured on bench_rag.py's 51 English questions (the 10 English dev
# questions preferred dense 1 / keyword 0.5 / bm25 0.5, by a few ranks). TUNED_FUSION, a
# static encoder from `rag tune-embedder`: for Chinese, dense, FTS5 and bm25 1 each and late
# interaction over the static table 2 (the best of 1440 settings: dev R@5 93/93, MRR@10
# 0.878; the weights before, dense 0.25 + FTS5 0.25 + bm25 1 with constant 10 and no limit
# a file: 89/93, 0.868). English text of such an index is embedded by MiniLM
# (rag/bilingual.py), so English queries fuse as in a MiniLM index.
FUSION = {"en": {"dense": 1.0, "keyword": 1.0, "bm25": 0.0, "maxsim": 0.0},
          "zh": {"dense": 0.25, "keyword": 0.0, "bm25": 1.0, "maxsim": 0.0}}
TUNED_FUSION = {"en": dict(FUSION["en"]),
                "zh": {"dense": 1.0, "keyword": 1.0, "bm25": 1.0, "maxsim": 2.0}}
FIRST_STAGE = ("dense", "keyword", "bm25")  # the lists whose candidates "maxsim" re-scores
# How deep into each list RRF reads, by query language: a chunk at rank 45 of one list and
# rank 6 of another is weak evidence, yet 1/(60+45) + 1/(60+6) outscores a chunk one list
# ranks first (1/61); in a mixed index the English chunks' dense ranks shift whenever the
# Chinese chunks change (MiniLM ranks them at random), so such a pair came and went with the
# Chinese chunking. The dev half chose 20 for English (with either encoder) and 50 for Chinese.
FUSION_DEPTH = {"en": 20, "zh": 50}
# RRF's constant by query language: 60 (Cormack et al.) makes rank 1 worth only 1.3x rank 20,
# so chunks that are mediocre in every list outrank one that a list puts first; a smaller
# constant trusts the top of each list more. Chosen on the dev half with the weights: 5 for
# Chinese, with either encoder.
FUSION_K = {"en": RRF_K, "zh": 5}
# How many hits of one file a hybrid search puts first, by query language (None: no limit);
# the file's further hits follow the other files' (`diversify`). A chapter of a novel holds
# dozens of chunks, and a question's words recur across several of them, so three chunks of
# a wrong chapter can push the right chapter out of the top 5. Chosen on the dev half with
# the weights (Chinese 1, with either encoder); English keeps no limit (its weights come
# from bench_rag.py).
PER_FILE: dict[str, int | None] = {"en": None, "zh": 1}
DENSE_WEIGHT = {lang: w["dense"] for lang, w in FUSION.items()}


@dataclass
class Hit:
    source: str
    text: str
    score: float
    start: int
    end: int
    heading: list[str] = field(default_factory=list)
    page: int | None = None
    chunk_id: int = 0
    similarity: float = 0.0
    coverage: float = 0.0

    @property
    def position(self) -> str:
        return position(self.start, self.end, self.heading, self.page)

    def to_json(self) -> dict:
        return {**asdict(self), "position": self.position}


Reranker = Callable[[str, list[Hit]], list[Hit]]


class Retriever:
    """Searches one store with the embedder that built it."""

    def __init__(self, store: Store, embedder: Embedder, *, candidates: int = 50,
                 dense_weight: dict[str, float] | None = None,
                 fusion: dict[str, dict[str, float]] | None = None,
                 depth: dict[str, int] | None = None,
                 rrf_k: dict[str, int] | None = None,
                 per_file: dict[str, int | None] | None = None) -> None:
        if embedder.dim != store.dim or embedder.name != store.embedding_model:
            raise ConfigError(f"{store.path} holds vectors of {store.embedding_model} "
                              f"(dimension {store.dim}); got embedder {embedder.name} "
                              f"(dimension {embedder.dim})")
        self.store, self.embedder, self.candidates = store, embedder, candidates
        self.fusion = fusion or (TUNED_FUSION if is_tuned(embedder) else FUSION)
        self.dense_weight = dense_weight or {lang: w["dense"] for lang, w in self.fusion.items()}
        self.depth = depth or dict(FUSION_DEPTH)
        self.rrf_k = rrf_k or dict(FUSION_K)
        self.per_file = per_file or dict(PER_FILE)
        self._bm25: tuple[tuple, BM25Index] | None = None
        self.late = late_interaction_for(embedder)  # None unless a static table is at hand

    def search(self, query: str, k: int = 5, mode: str = "hybrid",
               rerank: Reranker | None = None) -> list[Hit]:
        """The k best distinct chunks for `query`, best first."""
        if mode not in MODES:
            raise ConfigError(f"search mode {mode!r} is not one of {', '.join(MODES)}")
        if not isinstance(query, str) or not query.strip():
            raise ConfigError("the search query is empty")
        if k < 1:
            raise ConfigError(f"k={k} must be >= 1")
        n = max(self.candidates, 4 * k)
        query_vector = self.embedder.embed([query])[0]
        weights = self.weights(query) if mode == "hybrid" else {mode: 1.0}
        ranked = {name: self.ranking(name, query, query_vector, n)
                  for name, weight in weights.items() if weight > 0}
        if mode == "hybrid":
            language = query_language(query)
            scored = reciprocal_rank_fusion([r[:self.depth[language]] for r in ranked.values()],
                                            [weights[name] for name in ranked],
                                            self.rrf_k[language])
            if len(scored) < n and "dense" not in ranked:  # too few keyword matches: the
                seen = {i for i, _ in scored}                # nearest vectors fill the tail
                scored += [(i, 0.0) for i, _ in self.store.nearest(query_vector, n)
                           if i not in seen][: n - len(scored)]
        else:
            scored = ranked[mode]
        hits = self._hits(query, query_vector, scored)
        hits = deduplicate(hits)
        if mode == "hybrid":
            hits = diversify(hits, self.per_file[query_language(query)])
        if rerank is not None:
            hits = rerank(query, hits[: max(k, 10)])
        return hits[:k]

    def weights(self, query: str) -> dict[str, float]:
        """The RRF weight of each ranked list for this query's language."""
        language = query_language(query)
        return {**self.fusion[language], "dense": self.dense_weight[language]}

    def ranking(self, name: str, query: str, query_vector: np.ndarray,
                n: int) -> list[tuple[int, float]]:
        """The n best (chunk id, score) of one ranker: dense, keyword or bm25, or maxsim,
        which re-scores the union of the other three lists (rag/late_interaction.py)."""
        if name == "dense":
            return self.store.nearest(query_vector, n)
        if name == "keyword":
            match = match_expression(query, self.store.keyword_tokenizer)
            return self.store.keyword(match, n) if match else []
        if name == "maxsim":
            return self.late_ranking(query, query_vector, n)
        return self.bm25().search(query, n)

    def late_ranking(self, query: str, query_vector: np.ndarray,
                     n: int) -> list[tuple[int, float]]:
        """The first-stage candidates ordered by late interaction ([] without a static
        table)."""
        if self.late is None:
            return []
        ids = list(dict.fromkeys(i for name in FIRST_STAGE
                                 for i, _ in self.ranking(name, query, query_vector, n)))
        chunks = self.store.chunks(ids)
        return self.late.rank(query, {i: embedding_text(chunks[i]) for i in ids})

    def bm25(self) -> BM25Index:
        """The in-memory BM25 index, built on first use and again when the chunks change."""
        key = tuple(self.store.conn.execute("SELECT count(*), max(id) FROM chunks").fetchone())
        if self._bm25 is None or self._bm25[0] != key:
            self._bm25 = (key, BM25Index.from_store(self.store))
        return self._bm25[1]

    def _hits(self, query: str, query_vector: np.ndarray,
              scored: list[tuple[int, float]]) -> list[Hit]:
        chunks = self.store.chunks([i for i, _ in scored])
        vectors = self._vectors([i for i, _ in scored])
        weights = self._idf(query_terms(query, "jieba"))
        hits = []
        for chunk_id, score in scored:
            c = chunks[chunk_id]
            similarity = float(vectors[chunk_id] @ query_vector) if chunk_id in vectors else 0.0
            hits.append(Hit(c.source, c.text, float(score), c.start, c.end, c.heading, c.page,
                            chunk_id, similarity, keyword_coverage(weights, c.text)))
        return hits

    def _idf(self, terms: list[str]) -> dict[str, float]:
        """BM25's inverse document frequency of each term over the index's chunks."""
        n = max(1, self.store.counts()["chunks"])
        weights = {}
        for term in terms:
            df = self.store.document_frequency(term) if self.store.keyword_tokenizer == "jieba" \
                else 0
            weights[term] = math.log((n - df + 0.5) / (df + 0.5) + 1.0)
        return weights

    def _vectors(self, ids: list[int]) -> dict[int, np.ndarray]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.store.conn.execute(
            f"SELECT rowid, embedding FROM chunks_vec WHERE rowid IN ({marks})", ids)
        return {rowid: np.frombuffer(blob, dtype=np.float32) for rowid, blob in rows}


def query_language(query: str) -> str:
    """'zh' or 'en': the key of the fusion tables."""
    return "zh" if is_chinese(query) else "en"


def reciprocal_rank_fusion(rankings, weights=None, k: int = RRF_K) -> list[tuple[int, float]]:
    """Fuse ranked (id, score) lists: each id scores sum of weight / (k + rank), rank
    counted from 1; weights default to 1 for every list."""
    fused: dict[int, float] = {}
    for ranking, weight in zip(rankings, weights or [1.0] * len(rankings), strict=True):
        for rank, (chunk_id, _) in enumerate(ranking, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + weight / (k + rank)
    return sorted(fused.items(), key=lambda item: -item[1])


def deduplicate(hits: list[Hit], max_overlap: float = 0.5) -> list[Hit]:
    """Drop hits whose span overlaps a better hit of the same file by > max_overlap."""
    kept: list[Hit] = []
    spans: dict[str, list[tuple[int, int]]] = {}  # the kept spans of each file
    for hit in hits:
        length = max(1, hit.end - hit.start)
        same_file = spans.setdefault(hit.source, [])
        if not any((min(end, hit.end) - max(start, hit.start)) / length > max_overlap
                   for start, end in same_file):
            kept.append(hit)
            same_file.append((hit.start, hit.end))
    return kept


def diversify(hits: list[Hit], per_file: int | None) -> list[Hit]:
    """The hits with at most `per_file` of each file first, in their order, then the rest in
    theirs (None: unchanged). Nothing is dropped, so a two-file folder still gives k hits."""
    if per_file is None:
        return hits
    first, rest, seen = [], [], {}
    for hit in hits:
        seen[hit.source] = seen.get(hit.source, 0) + 1
        (first if seen[hit.source] <= per_file else rest).append(hit)
    return first + rest


def keyword_coverage(weights: dict[str, float], text: str) -> float:
    """Weighted share of the query's content words that occur in `text` (case-insensitive).
    One-character Chinese words (做, 说, 人...) occur in almost any Chinese passage, so they
    count only when the query has nothing longer."""
    terms = [t for t in weights if len(t) > 1 or t.isascii()] or list(weights)
    total = sum(weights[t] for t in terms)
    if not terms or total <= 0:
        return 0.0
    lowered = text.lower()
    return sum(weights[t] for t in terms if t in lowered) / total
