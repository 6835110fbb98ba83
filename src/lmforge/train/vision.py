"""Train a tiny CLIP from nothing on generated pictures (data/synthetic/shapes.py).

    recipe (recipes/clip-tiny.yaml)  ->  tokenizer (every word the generator writes)
                                     ->  CLIPModel (model/clip.py), random weights
                                     ->  Trainer + Contrastive objective (the one loop)
                                     ->  out_dir/model: a transformers CLIP folder
                                         (config.json, model.safetensors, tokenizer.json,
                                          preprocessor_config.json): lmforge.load opens it

The run's sections: train (TrainSettings), data (ShapesSettings), text (TextConfig), vision
(VisionConfig), clip (ProjectionSettings). Each evaluation logs zero-shot top-1 retrieval
on held-out pictures (val_zero_shot_top1_en / _zh in metrics.csv).

The same pieces (tokenizer, scene loader, a Trainer that saves a folder of its own) serve
the VLM run (train/vlm.py). Such runs do not resume from a checkpoint: each takes minutes.
Run: `lmforge train-clip --config recipes/clip-tiny.yaml`.
Test: `pytest tests/train/test_vlm.py`.
"""

import dataclasses
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tokenizers import Tokenizer as Backend
from tokenizers import decoders, models, normalizers, pre_tokenizers

from lmforge.data.synthetic import shapes
from lmforge.errors import ConfigError
from lmforge.io.clip_checkpoint import save_clip_folder
from lmforge.io.hf_tokenizer import save_hf_tokenizer
from lmforge.io.images import ImageProcessor
from lmforge.model.clip import CLIPConfig, CLIPModel, TextConfig
from lmforge.model.vision import VisionConfig
from lmforge.tokenizer import Tokenizer
from lmforge.train.objectives.contrastive import Contrastive
from lmforge.train.recipe import load_sections
from lmforge.train.settings import TrainSettings
from lmforge.train.trainer import Trainer

PAD, UNK, BOS, EOS = "<pad>", "<unk>", "<s>", "</s>"  # ids 0, 1, 2, 3


@dataclass
class ShapesSettings:
    """The generated pictures."""

    image_size: int = 32
    """Side of each picture in pixels (the vision tower's image_size follows it)."""
    held_out_images: int = 600
    """Held-out pictures for evaluation (drawn from shapes.HELD_OUT_SEED)."""


@dataclass
class ProjectionSettings:
    """CLIP's shared space."""

    projection_dim: int = 64
    """Width of the space both towers project into."""
    logit_scale_init: float = 2.6593
    """Initial log inverse temperature: ln(1 / 0.07), as CLIP starts."""


CLIP_SECTIONS = {"train": TrainSettings, "data": ShapesSettings, "text": TextConfig,
                 "vision": VisionConfig, "clip": ProjectionSettings}
CLIP_DEFAULTS = {"out_dir": "runs/clip-tiny", "max_steps": 600, "batch_size": 64, "lr": 2e-3,
                 "min_lr": 1e-4, "warmup_steps": 30, "weight_decay": 0.1, "eval_every": 100,
                 "eval_batches": 4, "log_every": 25, "tensorboard": False}


def shapes_tokenizer() -> Tokenizer:
    """A word-level tokenizer over every text the generator writes: English splits at
    spaces and punctuation, Chinese into single characters (BERT's normalizer spaces out
    CJK characters, its pre-tokenizer splits). EOS ends each text: CLIP's text tower reads
    its summary there."""
    chinese = normalizers.BertNormalizer(clean_text=False, handle_chinese_chars=True,
                                         strip_accents=False, lowercase=False)
    split = pre_tokenizers.BertPreTokenizer()
    words = {piece for text in shapes.vocabulary()
             for piece, _ in split.pre_tokenize_str(chinese.normalize_str(text))}
    vocab = {token: i for i, token in enumerate([PAD, UNK, BOS, EOS, *sorted(words)])}
    backend = Backend(models.WordLevel(vocab, unk_token=UNK))
    backend.normalizer, backend.pre_tokenizer = chinese, split
    backend.decoder = decoders.WordPiece()  # joins words with spaces, glues punctuation
    return Tokenizer(backend, bos_token=BOS, eos_token=EOS, pad_token=PAD, unk_token=UNK,
                     add_eos=True)


class SceneLoader:
    """Batches of distinct-kind scenes drawn on the fly; the position is the batch count,
    so a run's batches are the same for the same seed."""

    def __init__(self, batch_size: int, image_size: int, seed: int) -> None:
        self.batch_size, self.image_size, self.seed = batch_size, image_size, seed
        self.position = 0

    def next_batch(self) -> list:
        rng = np.random.default_rng((self.seed, self.position))
        self.position += 1
        return shapes.batch_of_distinct_kinds(self.batch_size, rng, self.image_size)

    def state_dict(self) -> dict:
        return {"position": self.position}

    def load_state_dict(self, state: dict) -> None:
        self.position = int(state["position"])


class HeldOut:
    """Fixed held-out batches (the Trainer's validation loader)."""

    def __init__(self, scenes: list, batch_size: int) -> None:
        self.batches = [scenes[i:i + batch_size] for i in range(0, len(scenes), batch_size)]

    def __iter__(self):
        return iter(self.batches)


def held_out_scenes(n: int, image_size: int) -> list:
    """Pictures in runs of 75, each run every kind once (shapes.generate): a batch of 75
    has no two captions alike."""
    return shapes.generate(n, seed=shapes.HELD_OUT_SEED, size=image_size)


class FolderTrainer(Trainer):
    """The one Trainer, whose checkpoint is the model's own folder (`save(folder)`), written
    to out_dir/model: these runs are minutes long and start over rather than resume."""

    def __init__(self, *args, save, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.save_folder = save

    def save_checkpoint(self) -> Path:
        folder = Path(self.settings.out_dir) / "model"
        self.save_folder(folder)
        self.final["checkpoint"] = str(folder)
        return folder


def check_fresh_start(settings: TrainSettings) -> None:
    if settings.resume:
        raise ConfigError("train.resume: vision runs start over (they take minutes); "
                          "remove resume")


def build_clip(text: TextConfig, vision: VisionConfig, clip: ProjectionSettings,
               tokenizer: Tokenizer, image_size: int) -> CLIPModel:
    text = dataclasses.replace(text, vocab_size=tokenizer.vocab_size,
                               eos_token_id=tokenizer.eos_id, pad_token_id=tokenizer.pad_id)
    vision = dataclasses.replace(vision, image_size=image_size)
    model = CLIPModel(CLIPConfig(text=text, vision=vision, projection_dim=clip.projection_dim,
                                 logit_scale_init_value=clip.logit_scale_init))
    model.init_weights()
    return model


def processor_for(image_size: int) -> ImageProcessor:
    """How pictures become pixels; written beside the weights, so `embed --image` on a
    saved PNG computes what training saw."""
    return ImageProcessor(shortest_edge=image_size, crop_height=image_size,
                          crop_width=image_size)


def train_clip(recipe: str | Path | None = None, overrides: dict[str, Any] | None = None
               ) -> dict:
    """Run a CLIP recipe; returns the Trainer's final metrics plus the zero-shot results."""
    train, data, text, vision, clip = load_sections(recipe, overrides or {}, CLIP_SECTIONS,
                                                    {"train": CLIP_DEFAULTS})
    check_fresh_start(train)
    torch.manual_seed(train.seed)
    tokenizer = shapes_tokenizer()
    model = build_clip(text, vision, clip, tokenizer, data.image_size)
    processor = processor_for(data.image_size)
    held_out = held_out_scenes(data.held_out_images, data.image_size)
    objective = Contrastive(tokenizer, processor, model.config.text.max_position_embeddings,
                            tokenizer.pad_id, held_out, seed=train.seed)

    def save(folder: Path) -> None:
        save_clip_folder(model, folder, processor)
        save_hf_tokenizer(tokenizer, folder)

    started = time.perf_counter()
    trainer = FolderTrainer(model, objective, SceneLoader(train.batch_size, data.image_size,
                                                          train.seed),
                            train, HeldOut(held_out, len(shapes.KINDS)), save=save)
    final = trainer.fit()
    final.update(objective.evaluate(trainer), parameters=model.num_parameters(),
                 wall_s=time.perf_counter() - started, held_out_images=len(held_out))
    write_summary(train.out_dir, final)
    return final


def write_summary(out_dir: str | Path, final: dict) -> None:
    """out_dir/summary.json: the numbers a doc quotes, beside metrics.csv and loss.png."""
    keep = {k: v for k, v in final.items() if isinstance(v, (int, float, str))}
    (Path(out_dir) / "summary.json").write_text(json.dumps(keep, indent=2) + "\n",
                                               encoding="utf-8")
