"""The embedding model of an index: any lmforge encoder, all-MiniLM-L6-v2 by default.

Wraps `lmforge.load(name)` + `infer.embeddings.embed_texts` and adds what indexing needs:
a name and dimension to record in the database (a query must be embedded by the same model
the chunks were), token counts for chunking, and length-sorted batches (chunks of similar
length pad less, which matters on a CPU).

Any sentence-transformers folder of a BERT-family encoder works, from the Hub by name
(`BAAI/bge-small-zh-v1.5`, when the network allows) or on disk: its pooling is read from
`1_Pooling/config.json`, mean (MiniLM, e5) or the [CLS] vector (bge), then L2-normalised.

`static_encoder.load_embedder(name)` also takes the static folders `rag tune-embedder` makes.

Test: `pytest tests/rag/test_store.py` (dimension mismatch), `tests/rag/test_retrieval.py`,
`tests/rag/test_tune_embedder.py` (a local folder against sentence-transformers, both poolings).
"""

import json

import numpy as np

DEFAULT_EMBEDDING_MODEL = "all-minilm-l6-v2"
TUNING_RECORD = "lmforge_tuning.json"  # written by rag/tune_embedder.py beside the weights


class Embedder:
    """Sentence embeddings from an encoder checkpoint named like `lmforge.load` names."""

    def __init__(self, name: str = DEFAULT_EMBEDDING_MODEL, *, batch_size: int = 32,
                 max_length: int = 256) -> None:
        from lmforge.io.registry import load

        loaded = load(name)
        if loaded.model.config.kind != "encoder":
            raise ValueError(f"embedding model {name!r} is a {loaded.model.config.kind} model; "
                             "give an encoder (e.g. all-minilm-l6-v2)")
        self.name = name
        self.tuned = (loaded.path / TUNING_RECORD).is_file()
        self.pooling = pooling_mode(loaded.path)
        self.model, self.tokenizer = loaded.model.eval(), loaded.tokenizer
        self.batch_size = batch_size
        # sentence-transformers truncates MiniLM at 256 word pieces; so do we
        self.max_length = min(max_length, loaded.model.config.max_position_embeddings)
        self.dim = loaded.model.config.hidden_size

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Word-piece count of each text (without [CLS]/[SEP])."""
        if not texts:
            return []
        return [len(ids) for ids in self.tokenizer.encode_batch(list(texts))]

    def embed(self, texts: list[str]) -> np.ndarray:
        """(N, dim) float32 unit vectors, in the order of `texts`."""
        from lmforge.infer.embeddings import embed_texts

        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = embed_texts(self.model, self.tokenizer, [texts[i] for i in order],
                              batch_size=self.batch_size, max_length=self.max_length,
                              pooling=self.pooling)
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        out[order] = vectors.numpy()
        return out


def is_tuned(embedder) -> bool:
    """True for a static encoder made by `lmforge rag tune-embedder`: TUNED_FUSION's weights
    were chosen for it. A tuned transformer earned no dense weight for Chinese on the dev half
    (docs/rag.md), so it keeps FUSION like the bundled MiniLM."""
    return bool(getattr(embedder, "tuned", False)) and bool(getattr(embedder, "static", False))


def pooling_mode(folder) -> str:
    """'cls' when the folder's sentence-transformers pooling takes the [CLS] vector, else
    'mean' (also for a folder without a pooling config, and for a GGUF file)."""
    config = folder / "1_Pooling" / "config.json" if folder.is_dir() else None
    if config is None or not config.is_file():
        return "mean"
    return "cls" if json.loads(config.read_text(encoding="utf-8")).get(
        "pooling_mode_cls_token") else "mean"
