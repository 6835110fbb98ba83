"""A tiny LLaVA-style vision-language model: image patches become the decoder's first tokens.

    image (B, 3, H, W) -> frozen ViT tower (vision.py, from a trained CLIP)
                       -> its N patch vectors (B, N, C_v)
                       -> projector: Linear, GELU, Linear -> (B, N, C)   "image tokens"
    text ids (B, T)    -> the decoder's token embeddings (B, T, C)
    [image tokens ; text] -> lmforge decoder (causal, RoPE) -> logits for the text positions

(Liu et al., 2023, "Visual Instruction Tuning"; the two-layer projector is LLaVA-1.5's.)
The tower stays frozen: CLIP already aligned its vectors with words, so only the projector
(and here the small decoder) learn to read them. Every text token can attend to every image
token before it, so "What color is the circle?" is answered from the pixels.

With `image_tokens=False` the same decoder sees the text alone: the baseline that shows
how much of the accuracy comes from looking.
Test: `pytest tests/train/test_vlm.py`.
"""

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Transformer
from lmforge.model.vision import VisionTower


class Projector(nn.Module):
    """(B, N, C_v) vision vectors -> (B, N, C) vectors in the decoder's embedding space."""

    def __init__(self, vision_size: int, hidden_size: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(vision_size, hidden_size)
        self.fc2 = nn.Linear(hidden_size, hidden_size)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


class VisionLanguageModel(nn.Module):
    """vision tower (frozen) + projector + lmforge decoder; see the module docstring."""

    def __init__(self, vision: VisionTower | None, decoder_config: ModelConfig) -> None:
        super().__init__()
        if decoder_config.kind != "decoder" or decoder_config.position == "learned":
            raise ValueError("the VLM's decoder must be a decoder with RoPE or no positions "
                             "(image tokens take the first positions, without a table row)")
        self.config = decoder_config
        self.decoder = Transformer(decoder_config)
        self.vision = vision
        if vision is not None:
            self.vision.requires_grad_(False)
            self.projector = Projector(vision.config.hidden_size, decoder_config.hidden_size)

    @property
    def sees_images(self) -> bool:
        return self.vision is not None

    def image_tokens(self, pixel_values: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) -> (B, N, C): the patch vectors ([CLS] left out, as LLaVA does)."""
        with torch.no_grad():  # frozen: no activations kept for a backward pass
            patches = self.vision(pixel_values)[:, 1:]  # (B, N, C_v)
        return self.projector(patches)

    def forward(self, input_ids: torch.Tensor, pixel_values: torch.Tensor | None = None
                ) -> torch.Tensor:
        """(B, T) ids (+ pixels) -> (B, T) hidden states at the text positions."""
        B, T = input_ids.shape
        prefix = self.image_tokens(pixel_values) if self.sees_images else None
        N = 0 if prefix is None else prefix.shape[1]
        positions = torch.arange(N + T, device=input_ids.device).expand(B, -1)  # (B, N + T)
        x = self.decoder.embed(input_ids, positions[:, N:])  # (B, T, C)
        if prefix is not None:
            x = torch.cat([prefix.to(x.dtype), x], dim=1)  # (B, N + T, C)
        hidden = self.decoder.decoder(x, positions)  # causal over image, then text
        return hidden[:, N:]

    def logits(self, hidden: torch.Tensor) -> torch.Tensor:
        return self.decoder.logits(hidden)

    def train(self, mode: bool = True) -> "VisionLanguageModel":
        super().train(mode)
        if self.vision is not None:
            self.vision.eval()  # frozen, also against dropout
        return self

    def set_gradient_checkpointing(self, enabled: bool) -> None:
        self.decoder.set_gradient_checkpointing(enabled)

    def num_parameters(self, trainable_only: bool = False) -> int:
        return sum(p.numel() for p in self.parameters()
                   if p.requires_grad or not trainable_only)
