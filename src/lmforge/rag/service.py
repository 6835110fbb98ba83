"""RAG for callers that hold a conversation: the CLI, the server's `rag` option, the agent.

`open_index(db)` opens an index with the embedding model it was built with (embedders are
cached per name, so a server loads MiniLM once). `rag_chat_messages(messages, db)` turns a
chat request into a grounded one: the last user message is the question, the retrieved
chunks become numbered sources in front of it, and the caller gets those sources back to
show as citations; when nothing relevant is found, `not_found` holds the reply to give
instead of calling the model.

Test: `pytest tests/rag/test_answer.py`.
"""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lmforge.errors import ConfigError
from lmforge.rag.answer import NOT_FOUND, build_messages, language, relevance
from lmforge.rag.embedder import Embedder
from lmforge.rag.retrieval import Hit, Retriever
from lmforge.rag.store import Store


@lru_cache(maxsize=4)
def cached_embedder(name: str) -> Embedder:
    return Embedder(name)


def open_index(db: str | Path, embedding_model: str | None = None) -> tuple[Store, Retriever]:
    """An existing index and a retriever over it; a model other than its own is an error."""
    store = Store(db, create=False)
    if embedding_model is not None and embedding_model != store.embedding_model:
        store.close()
        raise ConfigError(f"{db} was built with embedding model {store.embedding_model} "
                          f"(dimension {store.dim}), not {embedding_model}")
    return store, Retriever(store, cached_embedder(store.embedding_model))


@dataclass
class RagContext:
    messages: list[dict]
    """The conversation with the last user turn replaced by sources + question."""
    sources: list[Hit]
    not_found: str | None
    """The reply to give without generating, when no source is relevant."""


def rag_chat_messages(messages: list[dict], db: str | Path, *, k: int = 4,
                      mode: str = "hybrid") -> RagContext:
    """Ground the last user message of a chat in the index `db` (see module docstring)."""
    last = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
    if last is None or not isinstance(messages[last].get("content"), str):
        raise ConfigError("rag needs a chat whose last user message is text (the question)")
    question = messages[last]["content"]
    store, retriever = open_index(db)
    try:
        hits = [h for h in retriever.search(question, k=k, mode=mode) if relevance(h)]
    finally:
        store.close()
    if not hits:
        return RagContext(messages, [], NOT_FOUND[language(question)])
    system, user = build_messages(question, hits)
    earlier = [m for m in messages[:last] if m.get("role") != "system"]
    return RagContext([system, *earlier, user, *messages[last + 1:]], hits, None)
