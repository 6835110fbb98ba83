"""RAG-Fusion on fixed (scripted) rewrites and fixed ranked lists: the fused order and
scores equal reciprocal rank fusion computed by hand."""

import pytest

from lmforge.errors import ConfigError
from lmforge.prompting.completer import ScriptedCompleter
from lmforge.rag.fusion import FusionRetriever, clean_query, fuse_hits, rewrite_queries
from lmforge.rag.retrieval import Hit


def hit(chunk_id: int, source: str | None = None) -> Hit:
    return Hit(source or f"doc{chunk_id}.md", f"text {chunk_id}", 1.0, 0, 100,
               chunk_id=chunk_id, similarity=chunk_id / 10)


class ListRetriever:
    """Fixed ranked chunk ids per query."""

    def __init__(self, lists: dict[str, list[int]]) -> None:
        self.lists, self.asked = lists, []

    def search(self, query, k=5, mode="hybrid", rerank=None):
        self.asked.append((query, k, mode))
        return [hit(i) for i in self.lists[query]][:k]


def test_fused_order_and_scores_equal_the_hand_computation():
    retriever = ListRetriever({"q": [1, 2, 3], "rewrite a": [3, 1], "rewrite b": [4, 3]})
    model = ScriptedCompleter(["Query: rewrite a", "\"rewrite b\"", "q"])
    fusion = FusionRetriever(retriever, model, 3)
    hits = fusion.search("q", k=4)
    # 1: 1/61 + 1/62; 2: 1/62; 3: 1/63 + 1/61 + 1/62; 4: 1/61
    expected = {3: 1 / 63 + 1 / 61 + 1 / 62, 1: 1 / 61 + 1 / 62, 4: 1 / 61, 2: 1 / 62}
    assert [h.chunk_id for h in hits] == [3, 1, 4, 2]
    assert [h.score for h in hits] == pytest.approx(list(expected.values()), abs=1e-12)
    # the copy of the question is dropped; every query searched for 20 candidates, hybrid
    assert fusion.last_queries == ["q", "rewrite a", "rewrite b"]
    assert retriever.asked == [("q", 20, "hybrid"), ("rewrite a", 20, "hybrid"),
                               ("rewrite b", 20, "hybrid")]
    assert model.calls == 3 and model.seeds == [0, 1, 2]  # one batched call, n samples


def test_overlapping_chunks_of_one_file_count_once():
    same_file = [Hit("a.md", "x", 1, 0, 100, chunk_id=1), Hit("a.md", "y", 1, 10, 110,
                                                                 chunk_id=2)]
    fused = fuse_hits([same_file, [hit(3)]], k=5)
    assert [h.chunk_id for h in fused] == [1, 3]  # chunk 2 overlaps chunk 1 by 90%


def test_rewrites_are_cleaned_and_bad_n_is_one_clear_error():
    assert clean_query("查询：贾宝玉住在哪里\nmore") == "贾宝玉住在哪里"
    model = ScriptedCompleter(["", "Same question", "same question"])
    assert rewrite_queries(model, "q", 3) == ["Same question"]
    with pytest.raises(ConfigError, match="at least 1 rewrite, got 0"):
        FusionRetriever(ListRetriever({}), model, 0)
