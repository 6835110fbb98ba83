"""A static index's two encoders (rag/bilingual.py): each text in its language's half of the
vector, a query's dense list holding only chunks of its language; the fusion weights of such
an index, by hand; an index built before keeps its own embedder; one hit a chapter first for
Chinese hybrid searches (retrieval.diversify)."""

import numpy as np
import pytest
from conftest import HashEmbedder

from lmforge.rag.bilingual import BilingualEmbedder
from lmforge.rag.indexer import index_paths
from lmforge.rag.retrieval import (
    FUSION,
    FUSION_K,
    PER_FILE,
    TUNED_FUSION,
    Hit,
    Retriever,
    diversify,
    reciprocal_rank_fusion,
)
from lmforge.rag.store import Store


def bilingual() -> BilingualEmbedder:
    chinese = HashEmbedder(dim=32, name="static-32")
    chinese.tuned = chinese.static = True
    return BilingualEmbedder(chinese, lambda: HashEmbedder(dim=64, name="english-64"),
                             english_dim=64)


def test_each_text_is_embedded_by_its_language_in_its_own_half():
    embedder = bilingual()
    chinese = ["黛玉 的 父亲", "宝玉 摔 玉"]
    vectors = embedder.embed(chinese)
    assert vectors.shape == (2, 96) and embedder._english is None  # MiniLM not loaded
    assert np.array_equal(vectors[:, :32], HashEmbedder(32).embed(chinese))
    assert not vectors[:, 32:].any()
    mixed = embedder.embed(["kettle descale", "宝玉 摔 玉", "kettle 水"])
    english = HashEmbedder(64).embed(["kettle descale", "kettle 水"])
    assert np.array_equal(mixed[[0, 2], 32:], english)
    assert not mixed[[0, 2], :32].any() and not mixed[1, 32:].any()  # "kettle 水": 1/7 Chinese
    assert embedder.name == "static-32" and embedder.tuned and embedder.static


def test_a_query_ranks_only_chunks_of_its_language_by_that_encoder(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "kettle.txt").write_text("kettle descale water monthly", encoding="utf-8")
    (docs / "harbor.txt").write_text("harbor boats water", encoding="utf-8")
    (docs / "novel.txt").write_text("黛玉 父亲 去世 御史", encoding="utf-8")
    embedder = bilingual()
    store = Store(tmp_path / "i.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    index_paths([docs], store, embedder)
    retriever = Retriever(store, embedder)
    assert retriever.fusion is TUNED_FUSION and TUNED_FUSION["en"] == FUSION["en"]
    hits = retriever.search("kettle descale water", k=3, mode="dense")
    # cosines of hashed words: 3 of 3 query words in 4 (kettle), 1 of 3 in 3 (harbor), 0
    assert [h.source.rsplit("/", 1)[1] for h in hits] == ["kettle.txt", "harbor.txt",
                                                          "novel.txt"]
    assert [round(h.similarity, 4) for h in hits] == [round(3 / np.sqrt(12), 4),
                                                      round(1 / 3, 4), 0.0]
    hits = retriever.search("黛玉 父亲", k=3, mode="dense")
    assert hits[0].source.endswith("novel.txt") and hits[0].similarity == pytest.approx(
        2 / np.sqrt(8))
    assert [h.similarity for h in hits[1:]] == [0.0, 0.0]


def test_the_chinese_fusion_of_a_static_index_by_hand():
    """Chinese queries of a static index: dense, FTS5 and bm25 lists fused with TUNED_FUSION's
    weights and RRF's constant for Chinese (10)."""
    weights = TUNED_FUSION["zh"]
    k = FUSION_K["zh"]
    dense, fts5, bm25 = [("A", 0), ("B", 0), ("C", 0)], [("C", 0), ("A", 0)], [("B", 0), ("C", 0)]
    fused = dict(reciprocal_rank_fusion([dense, fts5, bm25],
                                        [weights["dense"], weights["keyword"], weights["bm25"]],
                                        k))
    expected = {"A": weights["dense"] / (k + 1) + weights["keyword"] / (k + 2),
                "B": weights["dense"] / (k + 2) + weights["bm25"] / (k + 1),
                "C": weights["dense"] / (k + 3) + weights["keyword"] / (k + 1)
                + weights["bm25"] / (k + 2)}
    assert fused == pytest.approx(expected)


def test_an_index_built_with_the_static_encoder_alone_keeps_it(tmp_path, monkeypatch):
    from lmforge.rag import service

    embedder = bilingual()
    monkeypatch.setattr(service, "cached_embedder", lambda name: embedder)
    Store(tmp_path / "old.sqlite", embedding_model="static-32", dim=32).close()
    Store(tmp_path / "new.sqlite", embedding_model="static-32", dim=96).close()
    assert service.open_index(tmp_path / "old.sqlite")[1].embedder is embedder.chinese
    assert service.open_index(tmp_path / "new.sqlite")[1].embedder is embedder


def test_diversify_puts_one_hit_a_file_first_and_drops_none():
    hits = [Hit(name, "x", 1.0, start, start + 10)
            for name, start in [("a", 0), ("a", 20), ("b", 0), ("a", 40), ("c", 0), ("b", 20)]]
    order = [(h.source, h.start) for h in diversify(hits, 1)]
    assert order == [("a", 0), ("b", 0), ("c", 0), ("a", 20), ("a", 40), ("b", 20)]
    assert [(h.source, h.start) for h in diversify(hits, 2)] == [
        ("a", 0), ("a", 20), ("b", 0), ("c", 0), ("b", 20), ("a", 40)]
    assert diversify(hits, None) == hits


def test_a_chinese_hybrid_search_ranks_one_chunk_a_chapter_first(tmp_path):
    """Three chunks of one chapter match the question best; with PER_FILE's 1 for Chinese the
    other chapter's chunk comes second in hybrid mode, and bm25 mode is left as ranked."""
    docs = tmp_path / "docs"
    docs.mkdir()
    paragraph = "宝玉 黛玉 贾母 说话 " * 6
    (docs / "ch1.txt").write_text("\n\n".join(f"{paragraph} 第{i}段" for i in range(3)),
                                  encoding="utf-8")
    (docs / "ch2.txt").write_text("宝玉 黛玉 园子 读书", encoding="utf-8")
    embedder = bilingual()
    store = Store(tmp_path / "i.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    index_paths([docs], store, embedder, max_tokens=100, overlap_tokens=0)
    assert store.counts()["chunks"] == 4
    query = "宝玉 黛玉 贾母"
    assert PER_FILE["zh"] == 1
    bm25 = Retriever(store, embedder).search(query, k=4, mode="bm25")
    assert [h.source.rsplit("/", 1)[1] for h in bm25] == ["ch1.txt"] * 3 + ["ch2.txt"]
    hybrid = Retriever(store, embedder).search(query, k=4)
    assert [h.source.rsplit("/", 1)[1] for h in hybrid] == ["ch1.txt", "ch2.txt"] + \
        ["ch1.txt"] * 2
    unlimited = Retriever(store, embedder, per_file={"en": None, "zh": None})
    assert [h.source.rsplit("/", 1)[1] for h in unlimited.search(query, k=4)][:3] == \
        ["ch1.txt"] * 3
