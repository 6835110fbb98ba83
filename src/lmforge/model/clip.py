"""CLIP: a dual encoder that maps images and texts into one space (Radford et al., 2021).

    text  (B, T) ids  -> text tower (causal Transformer) -> vector at the EOS token
                      -> text_projection   -> (B, D)  text embedding
    image (B, 3, H, W) -> vision tower (ViT, vision.py) -> vector at [CLS]
                      -> visual_projection -> (B, D)  image embedding

Training pulls each image's embedding towards its own caption's and pushes it from the
other captions in the batch (contrastive alignment; the loss, with the learned temperature
`logit_scale`, lives in train/objectives/contrastive.py). After training, zero-shot
classification is retrieval: embed one caption per class, pick the caption closest to
the image.

`encode_text` and `encode_image` return the projected, unnormalised embeddings, as
transformers' `get_text_features` / `get_image_features` do; normalise before comparing.
Both towers reuse lmforge's encoder `Block`s; names follow transformers' CLIPModel.
Test: `pytest tests/model/test_clip.py`.
"""

import math
from dataclasses import asdict, dataclass, field

import torch
import torch.nn.functional as F
from torch import nn

from lmforge.model.transformer import Stack
from lmforge.model.vision import TowerConfig, VisionConfig, VisionTower


@dataclass
class TextConfig(TowerConfig):
    """Sizes of CLIP's text tower (transformers' CLIPTextConfig spells them the same)."""

    vocab_size: int = 512
    """Token ids the embedding table holds."""
    max_position_embeddings: int = 32
    """Longest caption in tokens (the learned position table)."""
    eos_token_id: int = 2
    """The caption's summary is read at this token (2: OpenAI's legacy rule, the largest id)."""
    pad_token_id: int = 1
    """Id that pads captions in a batch."""


@dataclass
class CLIPConfig:
    """A CLIP model: its two towers and the shared embedding space."""

    text: TextConfig = field(default_factory=TextConfig)
    vision: VisionConfig = field(default_factory=VisionConfig)
    projection_dim: int = 64
    """Width of the shared embedding space."""
    logit_scale_init_value: float = math.log(1 / 0.07)
    """Initial log of the inverse temperature (CLIP: a temperature of 0.07)."""
    arch: str = "clip"
    kind: str = "dual-encoder"

    def to_dict(self) -> dict:
        return asdict(self)


class TextTower(nn.Module):
    """ids (B, T) -> token vectors (B, T, C): causal attention, as in GPT-2, then a norm."""

    def __init__(self, config: TextConfig) -> None:
        super().__init__()
        self.config = config
        c = config
        self.tokens = nn.Embedding(c.vocab_size, c.hidden_size)
        self.positions = nn.Embedding(c.max_position_embeddings, c.hidden_size)
        blocks = c.tower_blocks(c.max_position_embeddings, c.vocab_size)
        self.encoder = Stack(blocks, c.num_hidden_layers, causal=True)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None):
        length, longest = input_ids.shape[1], self.config.max_position_embeddings
        if length > longest:
            raise ValueError(f"text of {length} tokens; this tower takes at most {longest}")
        positions = torch.arange(length, device=input_ids.device).expand(input_ids.shape[0], -1)
        x = self.tokens(input_ids) + self.positions(positions)  # (B, T, C)
        return self.encoder(x, positions, attention_mask)  # (B, T, C), final norm applied

    def summary_index(self, input_ids: torch.Tensor) -> torch.Tensor:
        """(B,) the position whose vector stands for the whole text: the first EOS token.

        OpenAI's checkpoints say eos_token_id 2 by mistake; transformers then takes the
        largest id in the row (their EOS is the last id of the vocabulary), and so do we."""
        if self.config.eos_token_id == 2:
            return input_ids.argmax(dim=-1)
        return (input_ids == self.config.eos_token_id).int().argmax(dim=-1)


class CLIPModel(nn.Module):
    """Two towers and two projections into one embedding space; see the module docstring."""

    def __init__(self, config: CLIPConfig) -> None:
        super().__init__()
        self.config = config
        self.text = TextTower(config.text)
        self.vision = VisionTower(config.vision)
        D = config.projection_dim
        self.text_projection = nn.Linear(config.text.hidden_size, D, bias=False)
        self.visual_projection = nn.Linear(config.vision.hidden_size, D, bias=False)
        # learned temperature, kept as a log so it stays positive: logits = e^s * cos
        self.logit_scale = nn.Parameter(torch.tensor(float(config.logit_scale_init_value)))

    def encode_text(self, input_ids: torch.Tensor,
                    attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """(B, T) ids, each holding an EOS -> (B, D) projected, unnormalised embeddings."""
        hidden = self.text(input_ids, attention_mask)  # (B, T, C)
        rows = torch.arange(hidden.shape[0], device=hidden.device)
        return self.text_projection(hidden[rows, self.text.summary_index(input_ids)])

    def encode_image(self, pixel_values: torch.Tensor) -> torch.Tensor:
        """(B, 3, H, W) preprocessed pixels -> (B, D) projected, unnormalised embeddings."""
        return self.visual_projection(self.vision(pixel_values)[:, 0])  # the [CLS] token

    def similarity(self, text_embeds: torch.Tensor, image_embeds: torch.Tensor) -> torch.Tensor:
        """(B_img, B_txt) logits: cosine similarity times the learned scale e^s (<= 100)."""
        text_embeds = F.normalize(text_embeds, dim=-1)
        image_embeds = F.normalize(image_embeds, dim=-1)
        scale = self.logit_scale.clamp(max=math.log(100)).exp()  # CLIP caps it at 100
        return scale * image_embeds @ text_embeds.t()

    def set_gradient_checkpointing(self, enabled: bool) -> None:
        """Recompute each block's activations in backward instead of storing them."""
        self.text.encoder.gradient_checkpointing = enabled
        self.vision.encoder.gradient_checkpointing = enabled

    def num_parameters(self) -> int:
        return sum(p.numel() for p in self.parameters())

    def init_weights(self, std: float = 0.02) -> None:
        """Initialise from scratch as transformers initialises CLIP: embeddings N(0, std),
        attention and MLP matrices scaled by their width and depth, projections by
        width^-1/2, zero biases, unit norms. Smaller (GPT-2's 0.02 everywhere) leaves the
        [CLS] vector nearly the same for every image, and training collapses to it."""
        for tower in (self.text, self.vision):
            width, depth = tower.config.hidden_size, tower.config.num_hidden_layers
            inner = width**-0.5 * (2 * depth) ** -0.5  # q, k, v and the MLP's down projection
            for name, p in tower.named_parameters():
                if name.endswith("norm.weight"):
                    nn.init.ones_(p)
                elif name.endswith("bias"):
                    nn.init.zeros_(p)
                elif name == "class_embedding" or name.endswith("o_proj.weight"):
                    nn.init.normal_(p, std=width**-0.5)
                elif name.endswith("up_proj.weight"):
                    nn.init.normal_(p, std=(2 * width) ** -0.5)
                elif name.endswith(("q_proj.weight", "k_proj.weight", "v_proj.weight",
                                    "down_proj.weight")):
                    nn.init.normal_(p, std=inner)
                else:  # token, position and patch embeddings
                    nn.init.normal_(p, std=std)
        nn.init.normal_(self.text_projection.weight, std=self.config.text.hidden_size**-0.5)
        nn.init.normal_(self.visual_projection.weight,
                        std=self.config.vision.hidden_size**-0.5)
