"""POST /v1/embeddings: sentence vectors from the encoder model (MiniLM by default).

The same code path as `lmforge embed` (infer/embeddings.py: mean-pool, L2-normalise), so
the vectors are identical. Runs in a worker thread under a lock: the event loop stays free
and two batches do not fight over the cores.

Test: `pytest tests/serve/test_openai_client.py -k embeddings`.
"""

import asyncio
import base64
import threading

import numpy as np
from fastapi import APIRouter, Request

from lmforge.infer.embeddings import embed_texts
from lmforge.serve.errors import APIError
from lmforge.serve.schemas import EmbeddingList, EmbeddingRequest

router = APIRouter()
MAX_INPUTS = 2048
_lock = threading.Lock()


@router.post("/v1/embeddings", response_model=EmbeddingList)
async def embeddings(body: EmbeddingRequest, request: Request):
    server = request.app.state.server
    if server.embedder is None or body.model != server.embedding_model_id:
        served = server.embedding_model_id or "none (started with --embedding-model none)"
        raise APIError(404, f"embedding model {body.model!r} does not exist; this server "
                       f"embeds with {served}", "model", "model_not_found")
    texts = [body.input] if isinstance(body.input, str) else body.input
    if not texts or len(texts) > MAX_INPUTS:
        raise APIError(400, f"input must hold 1..{MAX_INPUTS} strings, got {len(texts)}",
                       "input")
    if any(not t for t in texts):
        raise APIError(400, "input holds an empty string", "input")
    tokenizer = server.embedder.tokenizer
    n_tokens = sum(len(ids) for ids in tokenizer.encode_batch(texts, add_special=True))
    vectors = await asyncio.to_thread(_embed, server.embedder, texts)
    data = []
    for i, vector in enumerate(vectors):
        value = (base64.b64encode(np.asarray(vector, dtype=np.float32).tobytes()).decode()
                 if body.encoding_format == "base64" else vector)
        data.append({"object": "embedding", "index": i, "embedding": value})
    return {"object": "list", "data": data, "model": body.model,
            "usage": {"prompt_tokens": n_tokens, "total_tokens": n_tokens}}


def _embed(embedder, texts: list[str]) -> list[list[float]]:
    with _lock:
        return embed_texts(embedder.model, embedder.tokenizer, texts).tolist()
