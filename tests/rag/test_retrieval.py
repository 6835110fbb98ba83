"""Retrieval with the real MiniLM: dense, keyword and hybrid; fusion, de-duplication, search
errors. The full evaluation (80+ questions) is tests/rag/test_eval.py."""

import pytest

from lmforge.errors import ConfigError
from lmforge.rag.retrieval import Hit, deduplicate, reciprocal_rank_fusion

pytestmark = pytest.mark.slow  # loads MiniLM


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = dict(reciprocal_rank_fusion([[(1, 0.9), (2, 0.8)], [(2, 7.0), (3, 5.0)]]))
    assert fused[2] == pytest.approx(1 / 62 + 1 / 61)
    assert fused[1] == pytest.approx(1 / 61) and fused[3] == pytest.approx(1 / 62)
    assert max(fused, key=fused.get) == 2


def test_overlapping_chunks_of_one_file_are_deduplicated():
    hits = [Hit("a", "x", 3, 0, 100), Hit("a", "x", 2, 40, 140), Hit("a", "x", 1, 90, 200),
            Hit("b", "x", 1, 0, 100)]
    kept = deduplicate(hits)
    assert [(h.source, h.start) for h in kept] == [("a", 0), ("a", 90), ("b", 0)]


@pytest.mark.parametrize("mode", ["dense", "keyword", "hybrid"])
def test_each_mode_finds_the_kettle_descaling_passage(docs_retriever, mode):
    hits = docs_retriever.search("How often should the kettle be descaled?", k=3, mode=mode)
    assert hits[0].source.endswith("zephyr_kettle_manual.html")
    assert "every 30 days" in hits[0].text
    assert hits[0].heading == ["Zephyr K-40 Kettle", "Descaling"]


def test_dense_finds_paraphrases_that_share_no_keywords(docs_retriever):
    query = "robot vehicle got trapped in dust"  # the log says "wheel sank into soft sand"
    assert docs_retriever.search(query, k=5, mode="keyword") == [] or \
        "Sol 14" not in docs_retriever.search(query, k=1, mode="keyword")[0].text
    dense = docs_retriever.search(query, k=1, mode="dense")[0]
    assert dense.source.endswith("rover_mission_log.md") and "Sol 14" in dense.heading[-1]


def test_chinese_questions_are_found_through_the_keyword_side(docs_retriever):
    hits = docs_retriever.search("古籍阅览室在图书馆的哪一层？", k=3, mode="hybrid")
    assert hits[0].source.endswith("city_library_rules.txt") and "地下二层" in hits[0].text
    assert hits[0].coverage >= 0.5


def test_hits_carry_similarity_coverage_and_json(docs_retriever):
    hit = docs_retriever.search("warranty of the Zephyr K-40 kettle", k=1)[0]
    assert 0.3 < hit.similarity <= 1.0 and hit.coverage == 1.0
    record = hit.to_json()
    assert {"source", "text", "score", "start", "end", "position"} <= set(record)


def test_bad_searches_are_clear_errors(docs_retriever):
    with pytest.raises(ConfigError, match="mode"):
        docs_retriever.search("x", mode="fuzzy")
    with pytest.raises(ConfigError, match="empty"):
        docs_retriever.search("   ")
    assert docs_retriever.search("the of and", mode="keyword") == []  # only stopwords
