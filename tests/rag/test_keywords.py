"""Keyword text for FTS5: jieba segmentation vs. trigrams, query terms, language detection."""

from lmforge.rag.keywords import index_text, is_chinese, match_expression, query_terms


def test_jieba_segments_chinese_for_the_index_and_the_query():
    words = index_text("孙悟空从东海龙宫得到金箍棒", "jieba").split()
    assert {"孙悟空", "东海", "龙宫", "金箍棒"} <= set(words)
    terms = query_terms("孙悟空从东海龙宫得到的兵器是什么？", "jieba")
    assert "孙悟空" in terms and "兵器" in terms
    assert "什么" not in terms and "的" not in terms and "？" not in terms  # stopwords, marks


def test_english_queries_drop_stopwords_and_punctuation():
    assert query_terms("What is the warranty of the Zephyr K-40?", "jieba") == [
        "warranty", "zephyr", "k", "40"]


def test_trigram_queries_are_three_character_pieces():
    assert query_terms("金箍棒在哪", "trigram") == ["金箍棒", "箍棒在", "棒在哪"]
    assert query_terms("is it ok", "trigram") == []  # words under 3 characters cannot match
    assert index_text("金箍棒", "trigram") == "金箍棒"  # FTS5 does the splitting itself


def test_match_expression_quotes_terms_and_handles_empty_queries():
    assert match_expression('say "hello" world', "jieba") == '"say" OR "hello" OR "world"'
    assert match_expression("what is it?", "jieba") is None


def test_language_detection():
    assert is_chinese("图书馆哪天闭馆？")
    assert is_chinese("Python 的 lambda 是什么")
    assert not is_chinese("What does lambda do?")
