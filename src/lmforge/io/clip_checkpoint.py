"""transformers' CLIP folders (`model_type: clip`) <-> `CLIPModel` (model/clip.py).

    config.json               text_config, vision_config, projection_dim, logit_scale
    model.safetensors         CLIPModel's weights (renamed by io/clip_names.py)
    preprocessor_config.json  how an image becomes pixels (io/images.py)
    tokenizer.json (+config)  the text tokenizer, when the folder has one

A folder written here opens in transformers (`CLIPModel.from_pretrained`) and vice versa.
Weights are read with safetensors only (no pickle).
Test: `pytest tests/model/test_clip.py`.
"""

import json
import math
import re
from pathlib import Path

import torch
from safetensors.torch import save_file

from lmforge.atomic import atomic_path, write_text_atomic
from lmforge.errors import ConfigError, ModelFileError
from lmforge.io.clip_names import CLIP, IGNORED_SUFFIXES
from lmforge.io.hf_checkpoint import check_extra_and_shapes, read_safetensors
from lmforge.io.hf_config import ACTIVATION_NAMES
from lmforge.io.images import PREPROCESSOR_CONFIG, ImageProcessor, read_processor
from lmforge.model.clip import CLIPConfig, CLIPModel, TextConfig
from lmforge.model.vision import VisionConfig

CLIP_ACTIVATIONS = {**ACTIVATION_NAMES, "quick_gelu": "quick_gelu"}
_TEXT_KEYS = ("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
              "intermediate_size", "max_position_embeddings")
_VISION_KEYS = ("image_size", "patch_size", "num_channels", "hidden_size", "num_hidden_layers",
                "num_attention_heads", "intermediate_size")


def is_clip_folder(folder: Path) -> bool:
    path = Path(folder) / "config.json"
    if not path.is_file():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("model_type") == "clip"
    except (json.JSONDecodeError, UnicodeDecodeError, AttributeError):
        return False  # the ordinary loader names the broken file


def config_from_hf(hf: dict, source: str = "config.json") -> CLIPConfig:
    """transformers' CLIPConfig dict -> CLIPConfig (its towers' defaults where a key is
    missing, as transformers fills them)."""
    text, vision = hf.get("text_config") or {}, hf.get("vision_config") or {}
    try:
        return CLIPConfig(
            text=TextConfig(**{k: int(text[k]) for k in _TEXT_KEYS if k in text},
                            hidden_act=_activation(text.get("hidden_act", "quick_gelu"), source),
                            layer_norm_eps=float(text.get("layer_norm_eps", 1e-5)),
                            eos_token_id=int(text.get("eos_token_id", 2)),
                            pad_token_id=int(text.get("pad_token_id", 1))),
            vision=VisionConfig(**{k: int(vision[k]) for k in _VISION_KEYS if k in vision},
                                hidden_act=_activation(vision.get("hidden_act", "quick_gelu"),
                                                       source),
                                layer_norm_eps=float(vision.get("layer_norm_eps", 1e-5))),
            projection_dim=int(hf.get("projection_dim", 512)),
            logit_scale_init_value=float(hf.get("logit_scale_init_value", math.log(1 / 0.07))))
    except (TypeError, ValueError) as e:
        raise ConfigError(f"{source}: {e}") from None


def _activation(name: str, source: str) -> str:
    if name not in CLIP_ACTIVATIONS:
        raise ConfigError(f"{source}: unsupported activation {name!r}")
    return CLIP_ACTIVATIONS[name]


def config_to_hf(config: CLIPConfig) -> dict:
    t, v = config.text, config.vision
    act = {"gelu_tanh": "gelu_new"}
    return {
        "model_type": "clip", "architectures": ["CLIPModel"],
        "projection_dim": config.projection_dim,
        "logit_scale_init_value": config.logit_scale_init_value,
        "text_config": {**{k: getattr(t, k) for k in _TEXT_KEYS}, "model_type": "clip_text_model",
                        "projection_dim": config.projection_dim,
                        "hidden_act": act.get(t.hidden_act, t.hidden_act),
                        "layer_norm_eps": t.layer_norm_eps, "eos_token_id": t.eos_token_id,
                        "pad_token_id": t.pad_token_id, "bos_token_id": 0},
        "vision_config": {**{k: getattr(v, k) for k in _VISION_KEYS},
                          "model_type": "clip_vision_model",
                          "projection_dim": config.projection_dim,
                          "hidden_act": act.get(v.hidden_act, v.hidden_act),
                          "layer_norm_eps": v.layer_norm_eps},
    }


def _pattern(name: str) -> re.Pattern:
    return re.compile(re.escape(name).replace(re.escape("{i}"), r"(?P<i>\d+)") + "$")


_RULES = [(_pattern(hf), ours) for hf, ours in CLIP.items()]


def hf_to_lmforge(hf_state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    ours = {}
    for name, tensor in hf_state.items():
        for pattern, target in _RULES:
            if m := pattern.match(name):
                ours[target.replace("{i}", m.groupdict().get("i") or "")] = tensor
                break
        else:
            if not name.endswith(IGNORED_SUFFIXES):
                raise ModelFileError(f"unexpected parameter {name!r} for architecture clip")
    return ours


def lmforge_to_hf(state: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    back = [(_pattern(ours), hf) for hf, ours in CLIP.items()]
    hf = {}
    for name, tensor in state.items():
        for pattern, target in back:
            if m := pattern.match(name):
                hf[target.replace("{i}", m.groupdict().get("i") or "")] = tensor.contiguous()
                break
        else:
            raise ConfigError(f"architecture clip has no Hugging Face name for {name!r}")
    return hf


def load_weights(model: CLIPModel, hf_state: dict[str, torch.Tensor]) -> None:
    """Copy HF-named weights into the model; missing or misshapen ones are errors."""
    ours, expected = hf_to_lmforge(hf_state), model.state_dict()
    missing = sorted(set(expected) - set(ours))
    if missing:
        raise ModelFileError(f"checkpoint lacks {len(missing)} parameter(s), e.g. {missing[:3]}")
    check_extra_and_shapes(ours, expected)
    model.load_state_dict(ours, strict=True, assign=True)


def load_clip_folder(folder: str | Path) -> tuple[CLIPModel, ImageProcessor]:
    """Build a CLIPModel from a transformers CLIP folder, with its image processor."""
    folder = Path(folder)
    hf = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    model = CLIPModel(config_from_hf(hf, str(folder / "config.json")))
    load_weights(model, read_safetensors(folder))
    return model.eval(), read_processor(folder)


def save_clip_folder(model: CLIPModel, folder: str | Path,
                     processor: ImageProcessor | None = None) -> None:
    """Write config.json, model.safetensors and preprocessor_config.json (atomically)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().float().cpu() for k, v in model.state_dict().items()}
    with atomic_path(folder / "model.safetensors") as tmp:
        save_file(lmforge_to_hf(state), tmp, metadata={"format": "pt"})
    write_text_atomic(folder / "config.json", json.dumps(config_to_hf(model.config), indent=2))
    processor = processor or ImageProcessor(
        shortest_edge=model.config.vision.image_size, crop_height=model.config.vision.image_size,
        crop_width=model.config.vision.image_size)
    write_text_atomic(folder / PREPROCESSOR_CONFIG, json.dumps(processor.to_dict(), indent=2))
