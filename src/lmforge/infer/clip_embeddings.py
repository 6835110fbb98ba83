"""Embeddings from a CLIP model: image files and texts into one space, L2-normalised.

    embed_images(lm, paths)   each file preprocessed as the model's preprocessor_config.json
                              says (io/images.py), then `encode_image`
    embed_clip_texts(lm, texts)  tokenized (EOS added by the tokenizer), padded, `encode_text`

Cosine similarity between an image's vector and a caption's is CLIP's zero-shot score.
Test: `pytest tests/model/test_clip.py`.
"""

from pathlib import Path

import torch
import torch.nn.functional as F

from lmforge.errors import ConfigError
from lmforge.io.images import load_pixels
from lmforge.model.clip import CLIPModel


def is_clip(model) -> bool:
    return isinstance(model, CLIPModel)


def require_clip(lm) -> CLIPModel:
    if not is_clip(lm.model):
        raise ConfigError(f"model {lm.name!r} does not embed images: give a CLIP folder "
                          "(config.json with model_type clip)")
    return lm.model


@torch.inference_mode()
def embed_images(lm, paths: list[str | Path], normalize: bool = True) -> torch.Tensor:
    """(N, D) image embeddings of the files at `paths`."""
    model = require_clip(lm)
    weight = model.visual_projection.weight
    pixels = load_pixels(paths, lm.image_processor).to(weight.device)
    vectors = model.encode_image(pixels).float()
    return F.normalize(vectors, dim=-1) if normalize else vectors


@torch.inference_mode()
def embed_clip_texts(lm, texts: list[str], normalize: bool = True) -> torch.Tensor:
    """(N, D) text embeddings; each text is cut to the tower's length, keeping its EOS."""
    model = require_clip(lm)
    if lm.tokenizer is None:
        raise ConfigError(f"{lm.path} has no tokenizer.json: it can embed images only")
    text = model.config.text
    input_ids, mask = clip_text_batch(lm.tokenizer, texts, text.max_position_embeddings,
                                      text.pad_token_id)
    device = model.visual_projection.weight.device
    vectors = model.encode_text(input_ids.to(device), mask.to(device)).float()
    return F.normalize(vectors, dim=-1) if normalize else vectors


def clip_text_batch(tokenizer, texts: list[str], max_length: int, pad_id: int):
    """Texts -> (ids (B, T), mask (B, T)), padded on the right; a text longer than the
    tower keeps its last token (the EOS the summary is read at)."""
    rows = [ids if len(ids) <= max_length else ids[:max_length - 1] + ids[-1:]
            for ids in tokenizer.encode_batch(texts, add_special=True)]
    width = max(len(r) for r in rows)
    input_ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, ids in enumerate(rows):
        input_ids[i, :len(ids)], mask[i, :len(ids)] = torch.tensor(ids), 1
    return input_ids, mask
