"""One index, two encoders: Chinese text by the tuned static encoder, other text by MiniLM.

The static encoder `rag tune-embedder` makes reads Chinese far better than the bundled
MiniLM, and English worse (benchmarks/bench_rag_zh.py, docs/rag.md). So a static index
embeds each text by its language and keeps both in one vector, side by side:

    Chinese text  ->  [ static(text) | 0 ... 0       ]     (static dim + MiniLM dim)
    other text    ->  [ 0 ... 0      | minilm(text)  ]

Both halves are unit vectors, so the cosine of two texts of one language is that language's
encoder's cosine, and a Chinese query and an English chunk (or the reverse) meet at exactly
0: the query's language chooses the dense list, with no second vector table in the store.
MiniLM runs only on the non-Chinese chunks and queries (and loads on the first of them), so
a Chinese corpus indexes in seconds as before. A text counts as Chinese when a fifth of its
letters are Chinese characters (`keywords.is_chinese`, the rule that picks the fusion
weights of a query).

The static folder itself is unchanged (SentenceTransformer(folder) still reads it); only the
index holds the wider vectors.

Test: `pytest tests/rag/test_bilingual.py`.
"""

from collections.abc import Callable

import numpy as np

from lmforge.rag.embedder import DEFAULT_EMBEDDING_MODEL, Embedder
from lmforge.rag.keywords import is_chinese


class BilingualEmbedder:
    """The Embedder interface over a Chinese encoder and an English one (see the docstring);
    name, token counts and `tuned` are the Chinese encoder's."""

    def __init__(self, chinese, english: Callable[[], object] | None = None,
                 english_dim: int = 384) -> None:
        self.chinese = chinese
        self._make_english = english or (lambda: Embedder(DEFAULT_EMBEDDING_MODEL))
        self._english = None
        self.name = chinese.name
        self.dim = chinese.dim + english_dim
        self.tuned = getattr(chinese, "tuned", False)
        self.static = getattr(chinese, "static", False)

    @property
    def english(self):
        """The English encoder, loaded on first use."""
        if self._english is None:
            self._english = self._make_english()
            if self.chinese.dim + self._english.dim != self.dim:
                raise ValueError(f"the English encoder makes {self._english.dim}-dimensional "
                                 f"vectors, not {self.dim - self.chinese.dim}")
        return self._english

    def count_tokens(self, texts: list[str]) -> list[int]:
        return self.chinese.count_tokens(texts)

    def embed(self, texts: list[str]) -> np.ndarray:
        """(N, dim) float32 unit vectors: each text in its own language's half."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        chinese = [i for i, t in enumerate(texts) if is_chinese(t)]
        other = sorted(set(range(len(texts))) - set(chinese))
        split = self.chinese.dim
        if chinese:
            out[chinese, :split] = self.chinese.embed([texts[i] for i in chinese])
        if other:
            out[other, split:] = self.english.embed([texts[i] for i in other])
        return out
