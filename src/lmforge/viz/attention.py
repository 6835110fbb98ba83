"""Attention maps: who each token looks at, per layer and head, from the model itself.

    result = attention_maps(lm.model, lm.tokenizer, "The cat sat on the mat")
    result.maps            # (L, H, T, T): row i = how token i spreads its attention
    head_average(result)   # (L, T, T)
    rollout(result)        # (T, T): attention flowed through all layers

The weights come from the model's explicit attention path (model/attention.py): a forward
with `attention_maps=[]` collects softmax(QK^T / sqrt(d_k) + mask) for every layer, the
very matrix that multiplies V. Decoders show causal (lower-triangular) maps, encoders
full ones; an encoder-decoder shows its encoder's self-attention.

Attention rollout (Abnar & Zuidema, 2020, "Quantifying Attention Flow in Transformers"):
the residual connection is modelled as 0.5 * A + 0.5 * I per layer (rows renormalised),
and the layers are multiplied, first layer on the right.
Test: `pytest tests/viz/test_attention.py`.
"""

from dataclasses import dataclass

import torch

from lmforge.errors import ContextLengthError

DEFAULT_MAX_TOKENS = 512  # beyond this a T x T map is unreadable anyway


@dataclass
class AttentionResult:
    ids: list[int]
    tokens: list[str]
    """Each token as text (decoded on its own, so 'Ġthe' reads ' the'; part of a character
    shows as its bytes, "<e4 bb>")."""
    maps: torch.Tensor
    """(L, H, T, T) float32 attention weights; each row sums to 1."""
    truncated: int = 0
    """How many tokens were cut from the end to fit (0: none)."""


def token_texts(tokenizer, ids: list[int]) -> list[str]:
    from lmforge.viz.tokens import readable_token

    return [readable_token(tokenizer, i) for i in ids]


@torch.inference_mode()
def attention_maps(model, tokenizer, text: str, max_tokens: int | None = None,
                   truncate: bool = False) -> AttentionResult:
    """Run `text` through `model` and collect every layer's attention weights.

    Text longer than the limit (the model's context, and `max_tokens`) is an error unless
    `truncate`, which keeps the first tokens and records how many were dropped.
    """
    config = model.config
    ids = tokenizer.encode(text, add_special=config.kind == "encoder", parse_special=False)
    limit = min(config.max_position_embeddings, max_tokens or DEFAULT_MAX_TOKENS)
    truncated = max(0, len(ids) - limit)
    if truncated and not truncate:
        raise ContextLengthError(f"the text has {len(ids)} tokens; attention maps show at "
                                 f"most {limit} (use --truncate to keep the first {limit})")
    ids = ids[:limit]
    if not ids:
        raise ValueError("the text is empty: nothing to show")
    device = next(model.parameters()).device
    batch = torch.tensor([ids], device=device)
    collected: list[torch.Tensor] = []
    if config.kind == "decoder":
        model(batch, attention_maps=collected)
    else:  # encoders and the encoder half of encoder-decoders
        model.encode(batch, attention_maps=collected)
    maps = torch.stack([m[0].float() for m in collected])  # (L, H, T, T)
    return AttentionResult(ids, token_texts(tokenizer, ids), maps.cpu(), truncated)


def head_average(result: AttentionResult) -> torch.Tensor:
    """(L, T, T): each layer's heads averaged."""
    return result.maps.mean(dim=1)


def rollout(result: AttentionResult) -> torch.Tensor:
    """(T, T) attention rollout over all layers (Abnar & Zuidema, 2020)."""
    T = result.maps.shape[-1]
    eye = torch.eye(T)
    flow = eye
    for layer in head_average(result):
        mixed = 0.5 * layer + 0.5 * eye  # the residual stream carries each token forward
        mixed = mixed / mixed.sum(dim=-1, keepdim=True)
        flow = mixed @ flow
    return flow


def select(result: AttentionResult, layer: int | None, head: int | None,
           mode: str = "heads") -> tuple[torch.Tensor, list[str]]:
    """The maps to draw, (N, T, T), with one title each.

    mode "heads": layer L head H, or all heads of one layer, or every layer and head;
    "average": head averages (one layer or all); "rollout": the single rollout map.
    """
    L, H = result.maps.shape[:2]
    if layer is not None and not 0 <= layer < L:
        raise ValueError(f"--layer must be in 0..{L - 1}, got {layer}")
    if head is not None and not 0 <= head < H:
        raise ValueError(f"--head must be in 0..{H - 1}, got {head}")
    if mode == "rollout":
        return rollout(result)[None], ["rollout (all layers)"]
    layers = [layer] if layer is not None else list(range(L))
    if mode == "average":
        avg = head_average(result)
        return avg[layers], [f"layer {i}, head average" for i in layers]
    if mode != "heads":
        raise ValueError(f"mode must be heads, average or rollout, got {mode!r}")
    heads = [head] if head is not None else list(range(H))
    maps = torch.stack([result.maps[i, h] for i in layers for h in heads])
    return maps, [f"layer {i}, head {h}" for i in layers for h in heads]
