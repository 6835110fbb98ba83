"""BM25 over jieba words and character bigrams: the formula by hand, and a name jieba
segments differently in question and passage, which FTS5 misses and the bigrams find."""

import math

import pytest

from lmforge.rag.bm25 import BM25Index, bigrams, query_fields
from lmforge.rag.indexer import index_paths
from lmforge.rag.retrieval import FUSION, Retriever
from lmforge.rag.store import Store


def test_scores_match_the_formula_by_hand():
    docs = [["猴王", "金箍棒", "猴王"], ["唐僧", "猴王"], ["唐僧", "白马", "龙"]]
    index = BM25Index([10, 11, 12], {"word": docs})
    # 金箍棒: N = 3, df = 1, avgdl = 8/3; doc 10 has tf 1 and length 3
    idf = math.log(1 + (3 - 1 + 0.5) / (1 + 0.5))
    norm = 1.2 * (1 - 0.75 + 0.75 * 3 / (8 / 3))
    assert idf * 2.2 / (1 + norm) == pytest.approx(0.933113, abs=1e-6)
    scores = index.scores({"word": ["金箍棒"]}, {"word": 1.0})
    assert scores.tolist() == pytest.approx([0.933113, 0.0, 0.0], abs=1e-5)
    # 猴王: df = 2; tf 2 in doc 10 (length 3), tf 1 in doc 11 (length 2)
    idf = math.log(1 + (3 - 2 + 0.5) / (2 + 0.5))
    expected = [idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / (8 / 3)))
                for tf, dl in ((2, 3), (1, 2))]
    scores = index.scores({"word": ["猴王", "猴王"]}, {"word": 1.0})  # a repeated term counts once
    assert scores.tolist() == pytest.approx([*expected, 0.0], abs=1e-5)
    assert index.search("唐僧", 5, {"word": 1.0})[0][0] in (11, 12)


def test_fields_add_with_their_weights():
    index = BM25Index([1, 2], {"word": [["甲"], ["乙"]], "bigram": [["天地"], ["玄黄"]]})
    words = index.scores({"word": ["甲"]}, {"word": 1.0})
    pairs = index.scores({"bigram": ["天地"]}, {"bigram": 1.0})
    both = index.scores({"word": ["甲"], "bigram": ["天地"]}, {"word": 1.0, "bigram": 0.5})
    assert both.tolist() == pytest.approx((words + 0.5 * pairs).tolist())


def test_bigrams_stay_inside_runs_of_chinese_characters():
    assert bigrams("护官符, ab 单子。") == ["护官", "官符", "单子"]
    assert query_fields("护官的单子")["bigram"] == ["护官", "官的", "的单", "单子"]


def test_bigrams_find_a_name_jieba_cuts_differently(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("门子递上一张纸，这是本省的护官符，上写四大家族。",
                                encoding="utf-8")
    (docs / "b.txt").write_text("雨村喝了一杯茶，又看了看窗外的天色。", encoding="utf-8")
    store = Store(tmp_path / "i.sqlite", embedding_model=hash_embedder.name,
                  dim=hash_embedder.dim)
    index_paths([docs], store, hash_embedder)
    retriever = Retriever(store, hash_embedder)
    question = "护官的单子"  # jieba: 护官 / 单子; the passage: 护 / 官符
    assert retriever.search(question, k=2, mode="keyword") == []
    assert retriever.search(question, k=2, mode="bm25")[0].source == str(docs / "a.txt")
    assert retriever.search(question, k=2, mode="hybrid")[0].source == str(docs / "a.txt")

    (docs / "c.txt").write_text("护官符又抄了一份。", encoding="utf-8")  # the index follows edits
    index_paths([docs], store, hash_embedder)
    assert {h.source for h in retriever.search(question, k=3, mode="bm25")} == \
        {str(docs / "a.txt"), str(docs / "c.txt")}


def test_hybrid_without_a_dense_weight_still_fills_k_from_the_vectors(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    for i, text in enumerate(["护官符上写着四大家族。", "雨村喝茶。", "门子笑了。", "天色晚了。"]):
        (docs / f"{i}.txt").write_text(text, encoding="utf-8")
    store = Store(tmp_path / "i.sqlite", embedding_model=hash_embedder.name,
                  dim=hash_embedder.dim)
    index_paths([docs], store, hash_embedder)
    bm25_alone = {"en": FUSION["en"], "zh": {"dense": 0.0, "keyword": 0.0, "bm25": 1.0}}
    retriever = Retriever(store, hash_embedder, fusion=bm25_alone)
    assert retriever.weights("护官的单子")["dense"] == 0.0  # Chinese ranks by bm25 alone
    hits = retriever.search("护官的单子", k=3, mode="hybrid")
    assert len(hits) == 3 and hits[0].source == str(docs / "0.txt")  # matches first, then fill
    assert [h.score for h in hits[1:]] == [0.0, 0.0]


def test_fusion_reads_each_list_only_to_its_depth(tmp_path, hash_embedder):
    docs = tmp_path / "docs"
    docs.mkdir()
    for name in "axcyz":
        (docs / f"{name}.txt").write_text(f"document {name} stands alone", encoding="utf-8")
    store = Store(tmp_path / "i.sqlite", embedding_model=hash_embedder.name,
                  dim=hash_embedder.dim)
    index_paths([docs], store, hash_embedder)
    ids = {name: store.conn.execute("SELECT c.id FROM chunks c JOIN files f ON f.id = c.file_id "
                                    "WHERE f.path = ?", (str(docs / f"{name}.txt"),)
                                    ).fetchone()[0] for name in "axcyz"}
    lists = {"dense": ["a", "x", "c"], "keyword": ["y", "z", "c"]}  # c is third in both
    retriever = Retriever(store, hash_embedder, fusion={
        "en": {"dense": 1.0, "keyword": 1.0, "bm25": 0.0}, "zh": {"dense": 1.0}})
    retriever.ranking = lambda name, *_: [(ids[n], 1.0) for n in lists[name]]
    deep = retriever.search("document", k=2)
    assert deep[0].source == str(docs / "c.txt")
    assert deep[0].score == pytest.approx(2 / 63)
    retriever.depth = {"en": 2, "zh": 50}  # c is past the depth of both lists: no evidence
    shallow = retriever.search("document", k=5)
    assert [h.source[-5:] for h in shallow[:4]] == ["a.txt", "y.txt", "x.txt", "z.txt"]
    assert shallow[0].score == pytest.approx(1 / 61) and shallow[2].score == pytest.approx(1 / 62)
    retriever.depth, retriever.rrf_k = {"en": 50, "zh": 50}, {"en": 1, "zh": 60}
    steep = retriever.search("document", k=5)  # constant 1: rank 1 = ranks 3 + 3 (1/2)
    assert steep[0].source[-5:] == "a.txt" and steep[0].score == pytest.approx(1 / 2)
    assert {h.source[-5:]: h.score for h in steep}["c.txt"] == pytest.approx(2 / 4)
