"""A static index's two encoders (rag/bilingual.py): each text in its language's half of the
vector, a query's dense list holding only chunks of its language; the fusion weights of such
an index, by hand; an index built before keeps its own embedder."""

import numpy as np
import pytest
from conftest import HashEmbedder

from lmforge.rag.bilingual import BilingualEmbedder
from lmforge.rag.indexer import index_paths
from lmforge.rag.retrieval import FUSION, FUSION_K, TUNED_FUSION, Retriever, reciprocal_rank_fusion
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
