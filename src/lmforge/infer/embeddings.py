"""Sentence embeddings from an encoder: mean-pool the token vectors, then L2-normalise.

This is how sentence-transformers models such as all-MiniLM-L6-v2 turn a sentence into one
vector (Reimers & Gurevych, 2019, "Sentence-BERT"): the encoder's contextual token vectors
are averaged over the real (non-padding) tokens, so cosine similarity compares meanings.
Encoders trained otherwise (bge) take the first ([CLS]) token's vector: `pooling="cls"`.
"""

import torch
import torch.nn.functional as F

from lmforge.model.transformer import Transformer
from lmforge.tokenizer import Tokenizer


def mean_pool(hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    """(B, T, C) token vectors, (B, T) mask -> (B, C) average over real tokens."""
    mask = attention_mask[..., None].to(hidden.dtype)
    return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)


@torch.inference_mode()
def embed_texts(model: Transformer, tokenizer: Tokenizer, texts: list[str], *,
                batch_size: int = 32, max_length: int | None = None,
                normalize: bool = True, pooling: str = "mean") -> torch.Tensor:
    """Encode texts into (N, C) sentence embeddings, batched with padding; `pooling` is
    "mean" (over the real tokens) or "cls" (the first token's vector)."""
    if model.config.kind != "encoder":
        raise ValueError(f"embeddings need an encoder model, got a {model.config.kind} model")
    max_length = max_length or model.config.max_position_embeddings
    pad_id = tokenizer.pad_id if tokenizer.pad_id is not None else 0
    device = next(model.parameters()).device
    out = []
    for start in range(0, len(texts), batch_size):
        batch = [ids[:max_length] for ids in
                 tokenizer.encode_batch(texts[start:start + batch_size], add_special=True)]
        width = max(len(ids) for ids in batch)
        input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(batch), width), dtype=torch.long)
        for row, ids in enumerate(batch):
            input_ids[row, : len(ids)] = torch.tensor(ids)
            mask[row, : len(ids)] = 1
        input_ids, mask = input_ids.to(device), mask.to(device)
        hidden = model(input_ids, attention_mask=mask)
        pooled = (hidden[:, 0] if pooling == "cls" else mean_pool(hidden, mask)).float()
        out.append(F.normalize(pooled, dim=-1) if normalize else pooled)
    return torch.cat(out)
