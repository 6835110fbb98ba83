"""Train a tiny LLaVA-style VLM on questions about generated pictures, and the text-only
baseline beside it (same decoder, same questions, same steps, no image).

    recipe (recipes/vlm-tiny.yaml) -> the trained CLIP folder (train/vision.py): its frozen
                                      image tower and its tokenizer
                                   -> VisionLanguageModel (model/vlm.py): tower, projector,
                                      a fresh lmforge decoder
                                   -> Trainer + VisualQA objective (the one loop), twice:
                                      with the image (out_dir/vlm), without (out_dir/text-only)
                                   -> out_dir/summary.json: held-out answer accuracy of both

Sections: train (TrainSettings), data (ShapesSettings), decoder (ModelConfig: vocabulary
and special ids come from the CLIP's tokenizer), vlm (VLMSettings).
Run: `lmforge train-vlm --config recipes/vlm-tiny.yaml`.
Test: `pytest tests/train/test_vlm.py`.
"""

import dataclasses
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from safetensors.torch import save_file

from lmforge.atomic import write_text_atomic
from lmforge.errors import ConfigError
from lmforge.io.clip_checkpoint import load_clip_folder
from lmforge.io.hf_tokenizer import load_hf_tokenizer, save_hf_tokenizer
from lmforge.model.config import ModelConfig
from lmforge.model.vlm import VisionLanguageModel
from lmforge.train.objectives.visual_qa import VisualQA
from lmforge.train.recipe import load_sections
from lmforge.train.settings import TrainSettings
from lmforge.train.vision import (
    FolderTrainer,
    HeldOut,
    SceneLoader,
    ShapesSettings,
    check_fresh_start,
    held_out_scenes,
    write_summary,
)


@dataclass
class VLMSettings:
    """Where the image tower comes from, and which runs to make."""

    clip: str = "runs/clip-tiny/model"
    """A CLIP folder (lmforge train-clip writes one): its vision tower and tokenizer."""
    baseline: bool = True
    """Also train the text-only baseline (same decoder and steps, no image)."""


VLM_SECTIONS = {"train": TrainSettings, "data": ShapesSettings, "decoder": ModelConfig,
                "vlm": VLMSettings}
VLM_DEFAULTS = {"out_dir": "runs/vlm-tiny", "max_steps": 600, "batch_size": 64, "lr": 2e-3,
                "min_lr": 1e-4, "warmup_steps": 30, "weight_decay": 0.1, "eval_every": 200,
                "eval_batches": 2, "log_every": 25, "tensorboard": False}


def build_vlm(decoder: dict, vision, tokenizer) -> VisionLanguageModel:
    """The decoder's vocabulary and special ids are the tokenizer's."""
    config = ModelConfig.from_dict({**decoder, "vocab_size": tokenizer.vocab_size,
                                    "bos_token_id": tokenizer.bos_id,
                                    "eos_token_id": tokenizer.eos_id,
                                    "pad_token_id": tokenizer.pad_id}, "recipe [decoder]")
    model = VisionLanguageModel(vision, config)
    model.decoder.init_weights()
    return model


def save_vlm(model: VisionLanguageModel, tokenizer, folder: Path) -> None:
    """The trained parts: decoder config, all weights (safetensors), the tokenizer."""
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()
             if k != "decoder.lm_head.weight" or not model.config.tie_word_embeddings}
    save_file(state, str(folder / "model.safetensors"), metadata={"format": "pt"})
    write_text_atomic(folder / "decoder_config.json",
                      json.dumps(model.config.to_dict(), indent=2))
    save_hf_tokenizer(tokenizer, folder)


def train_vlm(recipe: str | Path | None = None, overrides: dict[str, Any] | None = None
              ) -> dict:
    """Run a VLM recipe (and its text-only baseline); returns both runs' results."""
    train, data, decoder, vlm = load_sections(recipe, overrides or {}, VLM_SECTIONS,
                                              {"train": VLM_DEFAULTS})
    check_fresh_start(train)
    clip_folder = Path(vlm.clip)
    if not (clip_folder / "tokenizer.json").is_file():
        raise ConfigError(f"vlm.clip: {clip_folder} is not a CLIP folder with a tokenizer "
                          "(train one first: lmforge train-clip --config recipes/clip-tiny.yaml)")
    clip, processor = load_clip_folder(clip_folder)
    tokenizer = load_hf_tokenizer(clip_folder)
    if clip.config.vision.image_size != data.image_size:
        raise ConfigError(f"data.image_size {data.image_size} differs from the CLIP tower's "
                          f"{clip.config.vision.image_size}")
    held_out = held_out_scenes(data.held_out_images, data.image_size)
    results = {"clip": str(clip_folder), "held_out_images": len(held_out),
               "held_out_questions": 6 * len(held_out)}
    runs = [("vlm", clip.vision)] + ([("text_only", None)] if vlm.baseline else [])
    for name, vision in runs:
        torch.manual_seed(train.seed)  # the same decoder initialisation for both runs
        model = build_vlm(decoder, vision, tokenizer)
        out = Path(train.out_dir) / name.replace("_", "-")
        settings = dataclasses.replace(train, out_dir=str(out))
        objective = VisualQA(tokenizer, processor, held_out, seed=train.seed)
        started = time.perf_counter()
        trainer = FolderTrainer(
            model, objective, SceneLoader(train.batch_size, data.image_size, train.seed),
            settings, HeldOut(held_out, train.batch_size),
            save=lambda folder, model=model: save_vlm(model, tokenizer, folder))
        final = trainer.fit()
        final.update(objective.evaluate(trainer), wall_s=time.perf_counter() - started,
                     trainable_parameters=model.num_parameters(trainable_only=True))
        write_summary(out, final)
        results[name] = {k: v for k, v in final.items() if isinstance(v, (int, float))}
    write_text_atomic(Path(train.out_dir) / "summary.json", json.dumps(results, indent=2))
    return results
