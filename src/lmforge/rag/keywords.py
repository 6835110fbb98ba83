"""Keyword search text for SQLite FTS5, in English and Chinese.

FTS5 finds words, but Chinese is written without spaces, so its default `unicode61`
tokenizer sees a whole run of Chinese characters as one "word". Two fixes, both kept so they
can be measured against each other (benchmarks/bench_rag.py, docs/rag.md):

- `jieba`: segment the text into words with the jieba segmenter before indexing, and store
  the words separated by spaces; FTS5 then uses `porter unicode61` (English stemming too).
  A query is segmented the same way and its content words are OR-ed.
- `trigram`: FTS5's own trigram tokenizer indexes every 3-character substring; a query
  becomes an OR of the 3-character pieces of its words (no segmenter needed, but words of
  one or two characters, most Chinese words, only match as part of longer pieces).

BM25 (FTS5's `bm25()`) then ranks by how rare the matched terms are and how often they occur.

Test: `pytest tests/rag/test_keywords.py`.
"""

import re

KEYWORD_TOKENIZERS = ("jieba", "trigram")
DEFAULT_KEYWORD_TOKENIZER = "jieba"

FTS5_TOKENIZE = {"jieba": "porter unicode61 remove_diacritics 2", "trigram": "trigram"}

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w\u3400-\u9fff]+", re.UNICODE)

# question words and glue that every document matches: they only add noise to an OR query
_ENGLISH_STOPWORDS = """
a an the is are was were be been being of to in on at by for with from as and or not no
what which who whom whose when where why how does do did doing done can could should would
will shall may might must this that these those it its there their they them he she his her
him we you your our i me my into about than then so if but also any all some such one
"""
_CHINESE_STOPWORDS = """
的 了 是 在 和 与 及 或 也 都 就 又 还 而 之 者 其 这 那 此 彼 什么 谁 哪 哪里 哪个 哪些 吗 呢 吧 啊
怎么 怎样 如何 为什么 为何 几 多少 是否 有 没有 被 把 给 对 从 向 说 中 里 上 下 个 位 一 回
"""
STOPWORDS = set(_ENGLISH_STOPWORDS.split()) | set(_CHINESE_STOPWORDS.split())


def is_chinese(text: str, share: float = 0.2) -> bool:
    """True when at least `share` of the letters are Chinese characters."""
    letters = [c for c in text if c.isalnum()]
    return bool(letters) and sum(bool(_CJK.match(c)) for c in letters) / len(letters) >= share


def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict..." chatter on stderr
    return jieba


def index_text(text: str, tokenizer: str) -> str:
    """The text FTS5 stores for a chunk: segmented into words for `jieba`, as is for trigram."""
    if tokenizer == "trigram" or not _CJK.search(text):
        return text
    return " ".join(_jieba().cut_for_search(text))


def query_terms(query: str, tokenizer: str) -> list[str]:
    """The content words of a query, as the index spells them (deduplicated, in order)."""
    if tokenizer == "jieba":
        words = _jieba().cut_for_search(query) if _CJK.search(query) else _WORD.findall(query)
    else:
        words = _WORD.findall(query)
    terms: list[str] = []
    for word in words:
        word = word.strip().lower()
        if not _WORD.fullmatch(word) or word in STOPWORDS:
            continue
        if tokenizer == "trigram":
            pieces = [word[i:i + 3] for i in range(max(1, len(word) - 2))] if len(word) >= 3 else []
        else:
            pieces = [word]
        terms += [p for p in pieces if p not in terms]
    return terms


def match_expression(query: str, tokenizer: str) -> str | None:
    """An FTS5 MATCH expression OR-ing the query's terms; None when nothing is searchable."""
    terms = query_terms(query, tokenizer)
    if not terms:
        return None
    return " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
