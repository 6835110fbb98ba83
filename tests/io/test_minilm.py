"""all-MiniLM-L6-v2 in lmforge's encoder family against sentence-transformers."""

import torch

import lmforge
from lmforge.infer.embeddings import embed_texts

TEXTS = [
    "The cat sits on the mat.",
    "A quick brown fox jumps over the lazy dog, then naps under a tree for the afternoon.",
    "Transformers use self-attention.",
    "今天天气很好",
    "",
]


def test_embeddings_match_sentence_transformers(minilm_dir):
    from sentence_transformers import SentenceTransformer

    lm = lmforge.load("all-minilm-l6-v2")
    assert lm.model.config.kind == "encoder"
    ours = embed_texts(lm.model, lm.tokenizer, TEXTS, batch_size=2)  # batches with padding
    ref = torch.tensor(SentenceTransformer(str(minilm_dir), device="cpu").encode(
        TEXTS, normalize_embeddings=True))
    cosine = (ours * ref).sum(-1)
    assert cosine.min().item() >= 0.9999, cosine
    assert torch.allclose(ours.norm(dim=-1), torch.ones(len(TEXTS)), atol=1e-5)


def test_similar_sentences_are_closer():
    lm = lmforge.load("all-minilm-l6-v2")
    a, b, c = embed_texts(lm.model, lm.tokenizer, [
        "How do I bake bread?", "What is a recipe for baking bread?", "The stock market fell."])
    assert (a @ b) > (a @ c) + 0.3
