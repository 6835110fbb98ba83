"""RAG fixtures: a real MiniLM embedder, the evaluation corpus and its index (session scope),
and a tiny deterministic embedder for tests about bookkeeping rather than meaning."""

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))  # eval_corpus.py, shared with the benchmark
TEST_CHAPTERS = 4  # chapters of each novel indexed by the tests (the benchmark takes 12)


class HashEmbedder:
    """Bag of hashed words -> unit vector: same text, same vector; shared words, closer."""

    def __init__(self, dim: int = 16, name: str = "hash-16") -> None:
        self.name, self.dim = name, dim
        self.embedded = 0  # how many texts were embedded, to count re-embedding

    def count_tokens(self, texts):
        return [len(t.split()) + sum(ord(c) > 0x3000 for c in t) for t in texts]

    def embed(self, texts):
        self.embedded += len(texts)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in text.lower().split():
                out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % self.dim] += 1
            out[i] /= max(np.linalg.norm(out[i]), 1e-9)
        return out


@pytest.fixture
def hash_embedder():
    return HashEmbedder()


@pytest.fixture(scope="session")
def minilm_embedder():
    from lmforge.rag.embedder import Embedder

    return Embedder("all-minilm-l6-v2")


@pytest.fixture(scope="session")
def eval_corpus(tmp_path_factory) -> Path:
    from eval_corpus import build_corpus

    return build_corpus(tmp_path_factory.mktemp("rag_eval") / "corpus", TEST_CHAPTERS)


@pytest.fixture(scope="session")
def eval_index(eval_corpus, minilm_embedder, tmp_path_factory):
    """The evaluation corpus indexed once (MiniLM vectors + jieba keywords)."""
    from lmforge.rag.indexer import index_paths
    from lmforge.rag.retrieval import Retriever
    from lmforge.rag.store import Store

    db = tmp_path_factory.mktemp("rag_db") / "eval.sqlite"
    store = Store(db, embedding_model=minilm_embedder.name, dim=minilm_embedder.dim,
                  keyword_tokenizer="jieba")
    report = index_paths([eval_corpus], store, minilm_embedder)
    assert not report.failed, report.failed
    return Retriever(store, minilm_embedder)


@pytest.fixture(scope="session")
def docs_retriever(minilm_embedder, tmp_path_factory):
    """tests/rag/docs (English and Chinese documents written for the tests), small chunks."""
    from lmforge.rag.indexer import index_paths
    from lmforge.rag.retrieval import Retriever
    from lmforge.rag.store import Store

    db = tmp_path_factory.mktemp("docs") / "docs.sqlite"
    store = Store(db, embedding_model=minilm_embedder.name, dim=minilm_embedder.dim)
    index_paths([Path(__file__).parent / "docs"], store, minilm_embedder, max_tokens=80,
                overlap_tokens=16)
    return Retriever(store, minilm_embedder)
