"""Retrieval-augmented generation: load, chunk, index (SQLite + sqlite-vec + FTS5), retrieve,
answer with citations.

    from lmforge.rag import open_index, index_paths, answer_question
    store, retriever = open_index("docs.sqlite")           # the embedder the index was built with
    hits = retriever.search("how do I descale the kettle?", k=5, mode="hybrid")

See docs/rag.md; tests in tests/rag/.
"""

from lmforge.rag.answer import Answer, answer_question
from lmforge.rag.embedder import DEFAULT_EMBEDDING_MODEL, Embedder
from lmforge.rag.indexer import IndexReport, index_paths
from lmforge.rag.retrieval import Hit, Retriever
from lmforge.rag.service import open_index, rag_chat_messages
from lmforge.rag.store import Store

__all__ = ["DEFAULT_EMBEDDING_MODEL", "Answer", "Embedder", "Hit", "IndexReport", "Retriever",
           "Store", "answer_question", "index_paths", "open_index", "rag_chat_messages"]
