"""The Vision Transformer (ViT) image tower: an image read as a sequence of patch tokens.

    image (B, 3, H, W) -> cut into P x P patches -> one linear map per patch (a strided
    convolution) -> (B, N, C) patch tokens, N = (H / P) * (W / P)
    -> [CLS] + patches, + learned position vectors -> pre-norm -> encoder blocks -> norm

(Dosovitskiy et al., 2020, "An Image is Worth 16x16 Words".) The encoder blocks are the same
`Block`s the text models use (bidirectional, pre-norm, LayerNorm, GELU MLP): a ViT is a BERT
whose "words" are patches. The [CLS] token's final vector summarises the image (CLIP
projects it); the patch tokens' vectors feed a VLM's projector (model/vlm.py).

Names follow transformers' CLIPVisionModel (io/clip_names.py maps them).
Test: `pytest tests/model/test_clip.py`.
"""

from dataclasses import asdict, dataclass

import torch
from torch import nn

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.model.transformer import Stack


@dataclass
class TowerConfig:
    """Sizes of one of CLIP's towers (text or vision): OpenAI's pre-norm Transformer encoder."""

    hidden_size: int = 64
    """Width of each token vector (in the vision tower, each patch's)."""
    num_hidden_layers: int = 2
    """Encoder blocks."""
    num_attention_heads: int = 4
    """Attention heads per block."""
    intermediate_size: int = 256
    """Hidden width of each block's MLP."""
    hidden_act: str = "quick_gelu"
    """MLP activation: quick_gelu (OpenAI CLIP), gelu or gelu_tanh."""
    layer_norm_eps: float = 1e-5
    """Epsilon of every LayerNorm."""

    def tower_blocks(self, positions: int, vocab_size: int = 1) -> ModelConfig:
        """The encoder blocks' ModelConfig: pre-norm LayerNorm, biased projections, a plain
        (ungated) MLP; positions are added before the blocks (causal or not is the Stack's)."""
        return ModelConfig(
            arch="clip", kind="encoder", vocab_size=vocab_size, hidden_size=self.hidden_size,
            num_hidden_layers=self.num_hidden_layers,
            num_attention_heads=self.num_attention_heads,
            intermediate_size=self.intermediate_size, max_position_embeddings=positions,
            norm="layernorm", norm_eps=self.layer_norm_eps, norm_position="pre",
            position="none", mlp="gelu", activation=self.hidden_act, attention_bias=True,
            attention_out_bias=True, mlp_bias=True, tie_word_embeddings=False)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class VisionConfig(TowerConfig):
    """Sizes of one ViT image tower (transformers' CLIPVisionConfig spells them the same)."""

    image_size: int = 32
    """Side of the square input image in pixels."""
    patch_size: int = 8
    """Side of one square patch; image_size must be a multiple of it."""
    num_channels: int = 3
    """Colour channels of the input (RGB)."""

    def __post_init__(self) -> None:
        if self.image_size <= 0 or self.patch_size <= 0 or self.image_size % self.patch_size:
            raise ConfigError(f"image_size {self.image_size} must be a positive multiple of "
                              f"patch_size {self.patch_size}")

    @property
    def num_patches(self) -> int:
        return (self.image_size // self.patch_size) ** 2

    def block_config(self) -> ModelConfig:
        """The encoder blocks' ModelConfig (bidirectional: the Stack is built with
        causal=False), one position for [CLS] and one a patch."""
        return self.tower_blocks(self.num_patches + 1)


class VisionTower(nn.Module):
    """pixel_values (B, 3, H, W) -> token vectors (B, 1 + N, C); token 0 is [CLS]."""

    def __init__(self, config: VisionConfig) -> None:
        super().__init__()
        self.config = config
        C, P = config.hidden_size, config.patch_size
        # a P x P convolution with stride P: one shared linear map applied to every patch
        self.patch_embedding = nn.Conv2d(config.num_channels, C, kernel_size=P, stride=P,
                                         bias=False)
        self.class_embedding = nn.Parameter(torch.randn(C) * C**-0.5)
        self.positions = nn.Embedding(config.num_patches + 1, C)
        self.pre_norm = nn.LayerNorm(C, eps=config.layer_norm_eps)
        self.encoder = Stack(config.block_config(), config.num_hidden_layers, causal=False)

    def forward(self, pixel_values: torch.Tensor) -> torch.Tensor:
        B, _, height, width = pixel_values.shape
        side = self.config.image_size
        if height != side or width != side:
            raise ValueError(f"image of {height}x{width} pixels; this tower takes "
                             f"{side}x{side} (preprocess it: resize and crop)")
        weight = self.patch_embedding.weight
        patches = self.patch_embedding(pixel_values.to(weight.dtype))  # (B, C, H/P, W/P)
        patches = patches.flatten(2).transpose(1, 2)  # (B, N, C), row by row
        cls = self.class_embedding.to(patches.dtype).expand(B, 1, -1)  # (B, 1, C)
        x = torch.cat([cls, patches], dim=1) + self.positions.weight  # (B, 1 + N, C)
        positions = torch.arange(x.shape[1], device=x.device).expand(B, -1)
        return self.encoder(self.pre_norm(x), positions)  # (B, 1 + N, C), final norm applied
