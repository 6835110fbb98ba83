"""The embedded stdlib-docs corpus: deterministic, big enough, English prose."""

from lmforge.data.corpus import STDLIB_MODULES, stdlib_docs_corpus, write_stdlib_corpus


def test_corpus_is_deterministic_and_over_one_megabyte():
    first, second = stdlib_docs_corpus(), stdlib_docs_corpus()
    assert first == second
    size = sum(len(doc.encode("utf-8")) for doc in first)
    assert size > 1_000_000  # measured 1.68 MB on CPython 3.11
    assert len(first) > 200  # help topics + one document per module


def test_corpus_is_mostly_ascii_english_prose():
    text = "".join(stdlib_docs_corpus())
    ascii_share = sum(ch.isascii() for ch in text) / len(text)
    assert ascii_share > 0.99
    words = text.lower().split()
    for common in ("the", "is", "of", "return", "a"):
        assert words.count(common) > 1000  # prose, not just code or tables
    letters = sum(ch.isalpha() for ch in text) / len(text)
    assert letters > 0.6


def test_module_list_is_sorted_and_safe():
    assert list(STDLIB_MODULES) == sorted(STDLIB_MODULES)
    for unsafe in ("antigravity", "this", "idlelib", "tkinter", "turtle"):
        assert unsafe not in STDLIB_MODULES


def test_write_stdlib_corpus(tmp_path):
    size = write_stdlib_corpus(tmp_path / "corpus.txt")
    text = (tmp_path / "corpus.txt").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) == size
    assert text.startswith(stdlib_docs_corpus()[0])
