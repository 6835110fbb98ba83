"""Late interaction over a static encoder's token vectors: a fourth ranked list for hybrid.

A static encoder (rag/static_encoder.py) embeds a text as the mean of its tokens' vectors,
so one word of the question that matches the passage is averaged away among the rest. Its
table can also score question and passage token by token, as ColBERT does (Khattab &
Zaharia, 2020) with a transformer's outputs: each question token finds its most similar
token of the passage, and the scores add up, weighted by the question token's vector length
(the table started as IDF x a unit vector, so a rare word weighs more, and training kept
that ordering roughly):

    maxsim(q, d) = sum over tokens t of q:  |v_t| * max over tokens u of d: cos(v_t, v_u)
                   / sum over t of |v_t|

A paraphrase whose words are near the passage's in the table (trained by inverse cloze on
the same corpus) scores high without sharing them. It costs a matrix product per candidate,
so it re-scores the candidates the first-stage lists found (dense, FTS5, bm25) rather than
the whole index. Its weight in the fusion is chosen on the dev half of
benchmarks/bench_rag_zh.py (retrieval.TUNED_FUSION, docs/rag.md).

Test: `pytest tests/rag/test_late_interaction.py`.
"""

import torch
import torch.nn.functional as F


class LateInteraction:
    """MaxSim scores from a static table: `tokenizer` (tokenizers.Tokenizer) and the
    (vocabulary, dim) `weights` of a StaticEmbedder."""

    def __init__(self, tokenizer, weights: torch.Tensor) -> None:
        self.tokenizer = tokenizer
        self.lengths = weights.norm(dim=-1)
        self.unit = F.normalize(weights, dim=-1)
        self._tokens: dict[str, torch.Tensor] = {}  # a passage's distinct known tokens

    def tokens(self, text: str) -> torch.Tensor:
        """Ids of the text's tokens that have a vector (tokens the corpus lacks are zero)."""
        ids = self.tokenizer.encode(text, add_special_tokens=False).ids
        return torch.tensor([i for i in ids if self.lengths[i] > 0], dtype=torch.long)

    def scores(self, query: str, passages: list[str]) -> list[float]:
        """maxsim(query, passage) for each passage; 0 when either has no known token."""
        query_ids = self.tokens(query)
        if len(query_ids) == 0:
            return [0.0] * len(passages)
        weights = self.lengths[query_ids]
        out = []
        for text in passages:
            if text not in self._tokens:
                self._tokens[text] = torch.unique(self.tokens(text))
            ids = self._tokens[text]
            if len(ids) == 0:
                out.append(0.0)
                continue
            best = (self.unit[query_ids] @ self.unit[ids].T).max(dim=1).values
            out.append(float((weights * best).sum() / weights.sum()))
        return out

    def rank(self, query: str, candidates: dict[int, str]) -> list[tuple[int, float]]:
        """(chunk id, maxsim) of the candidates (id -> text), best first."""
        ids = list(candidates)
        scored = zip(ids, self.scores(query, [candidates[i] for i in ids]), strict=True)
        return sorted(scored, key=lambda item: -item[1])


def late_interaction_for(embedder) -> LateInteraction | None:
    """A LateInteraction over the static table of `embedder` (a static encoder, or the
    Chinese half of rag/bilingual.py's); None for a transformer."""
    static = getattr(embedder, "chinese", None) or embedder
    if not getattr(static, "static", False) or not hasattr(static, "weights"):
        return None
    return LateInteraction(static.tokenizer, static.weights)
