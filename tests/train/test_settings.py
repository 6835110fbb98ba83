"""Recipes and settings: every shipped recipe validates; bad input is a clear error."""

from pathlib import Path

import pytest
import yaml

from lmforge.errors import ConfigError
from lmforge.model.config import ModelConfig
from lmforge.train.pipeline import load_settings
from lmforge.train.pretrain import QUICKSTART
from lmforge.train.recipe import load_sections
from lmforge.train.settings import DataSettings, FinetuneSettings, TrainSettings

RECIPES = sorted((Path(__file__).parents[2] / "recipes").glob("*.yaml"))


def load_recipe(path=None, overrides=None) -> tuple[dict, DataSettings, TrainSettings]:
    """A pretraining recipe -> (model dict, data, train)."""
    train, data, model = load_settings("pretrain", path, overrides or {})
    return model, data, train


def test_recipes_exist():
    names = {p.name for p in RECIPES}
    assert {"char-shakespeare.yaml", "bpe-10m-stdlib.yaml", "gpt2-124m.yaml",
            "smollm2-135m.yaml", "quickstart.yaml"} <= names


def _section(path: Path) -> str:
    """finetune / rl / clip / vlm recipes have their own loaders; the rest pretrain."""
    raw = yaml.safe_load(path.read_text()) or {}
    return next((k for k in ("finetune", "rl", "clip", "vlm") if k in raw), "pretrain")


@pytest.mark.parametrize("path", RECIPES, ids=lambda p: p.name)
def test_every_recipe_loads_and_validates(path):
    if _section(path) == "rl":
        assert load_settings("grpo", path, {}) is not None
        return
    if _section(path) == "finetune":
        ft, train = load_settings("finetune", path, {})
        assert isinstance(ft, FinetuneSettings) and isinstance(train, TrainSettings)
        return
    if _section(path) in ("clip", "vlm"):
        from lmforge.train import vision, vlm

        sections, defaults = ((vision.CLIP_SECTIONS, vision.CLIP_DEFAULTS)
                              if _section(path) == "clip" else
                              (vlm.VLM_SECTIONS, vlm.VLM_DEFAULTS))
        loaded = load_sections(path, {}, sections, {"train": defaults})
        assert isinstance(loaded[0], TrainSettings)
        return
    model, data, train = load_recipe(path)
    config = ModelConfig.from_dict({"vocab_size": 1000, **model}, str(path))
    assert isinstance(data, DataSettings) and isinstance(train, TrainSettings)
    if config.position == "learned":
        assert config.max_position_embeddings >= train.block_size


def test_real_model_shapes():
    from lmforge.model.transformer import Transformer

    for name, millions in (("gpt2-124m.yaml", 124.4), ("smollm2-135m.yaml", 134.5)):
        model_dict, _, _ = load_recipe(RECIPES[0].with_name(name))
        import torch

        with torch.device("meta"):
            model = Transformer(ModelConfig.from_dict(model_dict))
        assert model.num_parameters() / 1e6 == pytest.approx(millions, rel=0.01)


def test_quickstart_yaml_equals_embedded_recipe():
    on_disk = yaml.safe_load(RECIPES[0].with_name("quickstart.yaml").read_text())
    on_disk["train"].pop("out_dir")
    assert on_disk == QUICKSTART


def test_unknown_key_names_key_and_file(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("train:\n  max_step: 10\n")
    with pytest.raises(ConfigError, match=r"r\.yaml \[train\].*max_step"):
        load_recipe(path)
    path.write_text("model:\n  hidden: 10\n")
    with pytest.raises(ConfigError, match=r"r\.yaml.*hidden"):
        load_recipe(path)
    path.write_text("optim:\n  lr: 1\n")
    with pytest.raises(ConfigError, match="unknown section"):
        load_recipe(path)
    with pytest.raises(ConfigError, match="learning_rate"):
        load_recipe(None, {"learning_rate": "1e-3"})


def test_impossible_shapes_are_errors(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("model:\n  hidden_size: 100\n  num_attention_heads: 3\n")
    with pytest.raises(ConfigError, match="not divisible"):
        load_recipe(path)
    with pytest.raises(ConfigError, match="batch_size"):
        load_recipe(None, {"batch_size": "0"})
    with pytest.raises(ConfigError, match="min_lr"):
        load_recipe(None, {"lr": "1e-4", "min_lr": "1e-3"})


def test_overrides_coerce_and_route():
    model, data, train = load_recipe(RECIPES[0].with_name("char-shakespeare.yaml"),
                                     {"lr": "3e-4", "model.hidden_size": "64",
                                      "data.source": "x.txt", "compile": "true"})
    assert train.lr == 3e-4 and train.compile is True
    assert model["hidden_size"] == 64 and data.source == "x.txt"
