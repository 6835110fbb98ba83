"""Retrieval evaluation on documents written for the tests: recall@1/@5 of keyword, dense
and hybrid search, overall and per language, and the "not found" gate.

The test indexes the first TEST_CHAPTERS chapters of each novel (the benchmark,
benchmarks/bench_rag.py, runs all 12 and reports the full table in docs/rag.md); questions
about chapters not indexed here are left out, the unanswerable ones stay in."""

import pytest
from eval_corpus import load_questions, recall_table

from lmforge.rag.answer import relevance

pytestmark = pytest.mark.slow  # embeds a few hundred chunks with MiniLM


@pytest.fixture(scope="module")
def questions(eval_corpus):
    return [q for q in load_questions() if all((eval_corpus / s).exists() for s in q["sources"])]


@pytest.fixture(scope="module")
def table(eval_index, questions, eval_corpus):
    return recall_table(eval_index, questions, eval_corpus)


def test_the_question_set_is_large_enough(questions):
    answerable = [q for q in questions if q["sources"]]
    assert len(load_questions()) >= 90 and len(answerable) >= 65
    assert sum(q["lang"] == "zh" for q in answerable) >= 18
    assert sum(not q["sources"] for q in questions) >= 12


def test_hybrid_recall_meets_the_goals_and_beats_keyword_alone(table):
    # measured (docs/rag.md): hybrid R@5 1.000 overall and on Chinese; keyword 0.971, dense 0.900
    assert table[("hybrid", "all")]["recall@5"] >= 0.95
    assert table[("hybrid", "zh")]["recall@5"] >= 0.90
    assert table[("hybrid", "all")]["recall@5"] > table[("keyword", "all")]["recall@5"]
    assert table[("hybrid", "all")]["recall@5"] > table[("dense", "all")]["recall@5"]


def test_dense_minilm_is_weak_on_chinese_and_fusion_carries_it(table):
    # all-MiniLM-L6-v2 is an English model: measured, not assumed
    assert table[("dense", "zh")]["recall@5"] < table[("keyword", "zh")]["recall@5"]
    assert table[("dense", "en")]["recall@5"] >= 0.8


def test_the_not_found_gate_separates_absent_answers(eval_index, questions, eval_corpus):
    said_absent, absent = [], []
    for q in questions:
        hits = eval_index.search(q["question"], k=4)
        said_absent.append(not any(relevance(h, q["lang"]) for h in hits))
        absent.append(not q["sources"])
    caught = sum(a and s for a, s in zip(absent, said_absent, strict=True))
    precision = caught / max(1, sum(said_absent))
    recall = caught / sum(absent)
    assert precision >= PRECISION_GOAL and recall >= RECALL_GOAL, (precision, recall)


# measured: every unanswerable question is caught (recall 1.0); precision 0.67 (en) and
# 0.75 (zh): a few answerable paraphrases also fall below the thresholds
PRECISION_GOAL = 0.6
RECALL_GOAL = 1.0
