"""RAG for callers that hold a conversation: the CLI, the server's `rag` option, the agent.

`open_index(db)` opens an index with the embedding model it was built with (embedders are
cached per name, so a server loads MiniLM once). `rag_chat_messages(messages, db)` turns a
chat request into a grounded one: the last user message is the question, the retrieved
chunks become numbered sources in front of it, and the caller gets those sources back to
show as citations; when nothing relevant is found, `not_found` holds the reply to give
instead of calling the model, and `checked(reply)` turns a reply its sources do not
support into "not found". Sources are guarded as in `answer_question` (instructions
removed, marked as data: safety/defences.py).

Test: `pytest tests/rag/test_answer.py`.
"""

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lmforge.errors import ConfigError, DataError
from lmforge.rag.answer import (
    MIN_SUPPORT,
    NOT_FOUND,
    build_messages,
    guard_hits,
    language,
    relevance,
    supported_text,
)
from lmforge.rag.embedder import Embedder
from lmforge.rag.retrieval import Hit, Retriever
from lmforge.rag.store import Store
from lmforge.safety.defences import DEFAULT_DEFENCES


@lru_cache(maxsize=4)
def cached_embedder(name: str) -> Embedder:
    """The index's embedder: a transformer by name, or a static folder from `rag
    tune-embedder` paired with MiniLM for non-Chinese text (rag/bilingual.py)."""
    from lmforge.rag.bilingual import BilingualEmbedder
    from lmforge.rag.static_encoder import StaticEmbedder, load_embedder

    embedder = load_embedder(name)
    return BilingualEmbedder(embedder) if isinstance(embedder, StaticEmbedder) else embedder


def open_index(db: str | Path, embedding_model: str | None = None) -> tuple[Store, Retriever]:
    """An existing index and a retriever over it; a model other than its own is an error."""
    store = Store(db, create=False)
    if embedding_model is not None and embedding_model != store.embedding_model:
        store.close()
        raise ConfigError(f"{db} was built with embedding model {store.embedding_model} "
                          f"(dimension {store.dim}), not {embedding_model}")
    embedder = cached_embedder(store.embedding_model)
    if getattr(embedder, "chinese", None) is not None and store.dim == embedder.chinese.dim:
        embedder = embedder.chinese  # a static index built before rag/bilingual.py
    return store, Retriever(store, embedder)


@dataclass
class RagContext:
    messages: list[dict]
    """The conversation with the last user turn replaced by sources + question."""
    sources: list[Hit]
    not_found: str | None
    """The reply to give without generating, when no source is relevant."""
    question: str = ""

    def checked(self, reply: str) -> str:
        """The reply without the sentences its sources do not support; "not found" when
        none is left (the support check of rag/answer.py, step 4)."""
        if not self.sources:
            return reply
        lang = language(self.question)
        kept = supported_text(reply, self.question, self.sources, MIN_SUPPORT[lang])
        return kept or NOT_FOUND[lang]


def rag_chat_messages(messages: list[dict], db: str | Path, *, k: int = 4,
                      mode: str = "hybrid") -> RagContext:
    """Ground the last user message of a chat in the index `db` (see module docstring)."""
    last = max((i for i, m in enumerate(messages) if m.get("role") == "user"), default=None)
    if last is None or not isinstance(messages[last].get("content"), str):
        raise ConfigError("rag needs a chat whose last user message is text (the question)")
    question = messages[last]["content"]
    store, retriever = open_index(db)
    try:
        hits = [h for h in retriever.search(question, k=k, mode=mode)
                if relevance(h, language(question))]
    finally:
        store.close()
    if not hits:
        return RagContext(messages, [], NOT_FOUND[language(question)], question)
    hits = guard_hits(hits, DEFAULT_DEFENCES)  # retrieved text is data: as answer_question
    system, user = build_messages(question, hits, DEFAULT_DEFENCES)
    earlier = [m for m in messages[:last] if m.get("role") != "system"]
    return RagContext([system, *earlier, user, *messages[last + 1:]], hits, None, question)


def resolve_index(name: str, root: str | Path | None = None) -> Path:
    """The index a request names: `name` or `name.sqlite` inside the server's RAG folder
    (`root`, else $LMFORGE_RAG_DIR, else the working folder). A name that resolves outside
    that folder is refused, so a client cannot make the server open arbitrary files."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError("rag must name an index (a .sqlite file made by `lmforge rag index`)")
    folder = Path(root or os.environ.get("LMFORGE_RAG_DIR") or ".").resolve()
    for candidate in (folder / name, folder / f"{name}.sqlite"):
        path = candidate.resolve()
        if not path.is_relative_to(folder):
            raise ConfigError(f"rag index {name!r} is outside the server's RAG folder")
        if path.is_file():
            return path
    raise DataError(f"rag index {name!r} not found in {folder} (build it with "
                    f"`lmforge rag index PATH --db {folder / name}.sqlite`)")


def sources_json(hits: list[Hit]) -> list[dict]:
    """Numbered sources for a response: what a client shows as clickable citations."""
    return [{"n": n, "source": h.source, "position": h.position, "start": h.start,
             "end": h.end, "page": h.page, "heading": h.heading, "text": h.text}
            for n, h in enumerate(hits, 1)]


def ground_chat_request(body):
    """The server's `rag` option: (request with its last user turn grounded in the index
    `body.rag`, the RagContext). `body` is the server's pydantic chat request."""
    messages = []
    for message in body.messages:
        plain = message.model_dump(exclude_none=True)
        if isinstance(plain.get("content"), list):  # text parts -> one string
            plain["content"] = "".join(part.get("text") or "" for part in plain["content"])
        messages.append(plain)
    context = rag_chat_messages(messages, resolve_index(body.rag))
    message_type = type(body.messages[0])
    grounded = [message_type.model_validate(m) for m in context.messages]
    return body.model_copy(update={"messages": grounded}), context


def not_found_message(text: str) -> dict:
    return {"role": "assistant", "content": text, "tool_calls": None}
