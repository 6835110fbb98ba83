"""Late interaction over a static table (rag/late_interaction.py): MaxSim scores and order by
hand on a four-token table, and the retriever's `maxsim` list over a toy index."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from lmforge.rag.late_interaction import LateInteraction, late_interaction_for


def toy_tokenizer():
    from tokenizers import Tokenizer
    from tokenizers.models import WordLevel
    from tokenizers.pre_tokenizers import Whitespace

    tokenizer = Tokenizer(WordLevel({"a": 0, "b": 1, "c": 2, "d": 3, "[UNK]": 4},
                                    unk_token="[UNK]"))
    tokenizer.pre_tokenizer = Whitespace()
    return tokenizer


# a: length 2 along x; b: length 1 along y; c: (4, 3), cos 0.8 with a and 0.6 with b;
# d and [UNK]: zero (a token the corpus never held)
TABLE = torch.tensor([[2.0, 0.0], [0.0, 1.0], [4.0, 3.0], [0.0, 0.0], [0.0, 0.0]])


def test_maxsim_by_hand():
    late = LateInteraction(toy_tokenizer(), TABLE)
    passages = ["a d", "c", "b", "d"]
    # query "a b", weights |a| = 2 and |b| = 1:
    #   "a d": a finds a (1), b finds a (0)        -> (2 * 1 + 1 * 0) / 3   = 0.6667
    #   "c":   a finds c (0.8), b finds c (0.6)    -> (2 * 0.8 + 1 * 0.6) / 3 = 0.7333
    #   "b":   a finds b (0), b finds b (1)        -> 1 / 3
    #   "d":   no known token                      -> 0
    assert late.scores("a b", passages) == pytest.approx([2 / 3, 2.2 / 3, 1 / 3, 0.0])
    assert [i for i, _ in late.rank("a b", dict(enumerate(passages)))] == [1, 0, 2, 3]
    assert late.scores("d", passages) == [0.0] * 4  # a query of unknown tokens scores 0


class ToyStatic:
    """A static encoder over TABLE (mean of token vectors, normalised), as StaticEmbedder."""

    name, dim, tuned, static = "toy-static", 2, True, True

    def __init__(self) -> None:
        self.tokenizer, self.weights = toy_tokenizer(), TABLE

    def count_tokens(self, texts):
        return [len(t.split()) for t in texts]

    def embed(self, texts):
        out = []
        for text in texts:
            ids = self.tokenizer.encode(text, add_special_tokens=False).ids
            out.append(F.normalize(self.weights[ids].mean(0), dim=-1).numpy())
        return np.stack(out).astype(np.float32)


def test_the_retriever_reorders_its_candidates_by_maxsim(tmp_path):
    from lmforge.rag.bilingual import BilingualEmbedder
    from lmforge.rag.indexer import index_paths
    from lmforge.rag.retrieval import Retriever
    from lmforge.rag.store import Store

    docs = tmp_path / "docs"
    docs.mkdir()
    for name, text in {"ad": "a d", "c": "c", "b": "b"}.items():
        (docs / f"{name}.txt").write_text(text, encoding="utf-8")
    embedder = ToyStatic()
    store = Store(tmp_path / "i.sqlite", embedding_model=embedder.name, dim=embedder.dim)
    index_paths([docs], store, embedder)
    retriever = Retriever(store, embedder)
    assert late_interaction_for(BilingualEmbedder(embedder)).tokenizer is embedder.tokenizer
    query = "a b"
    ranked = retriever.ranking("maxsim", query, embedder.embed([query])[0], 10)
    names = [retriever.store.chunks([i])[i].source.rsplit("/", 1)[1] for i, _ in ranked]
    assert names == ["c.txt", "ad.txt", "b.txt"]
    assert [s for _, s in ranked] == pytest.approx([2.2 / 3, 2 / 3, 1 / 3])


def test_no_late_interaction_without_a_static_table(hash_embedder):
    assert late_interaction_for(hash_embedder) is None
