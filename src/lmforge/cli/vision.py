"""Commands that train on pictures: train-clip (a tiny CLIP), train-vlm (a tiny VLM).

    lmforge train-clip --config recipes/clip-tiny.yaml
    lmforge train-vlm --config recipes/vlm-tiny.yaml --vlm.clip runs/clip-tiny/model

Every recipe key is an option too (--max-steps 100, --vision.patch_size 4), as for
pretrain. Each prints its results as one JSON line on stdout.
"""

import json
import sys
from typing import Annotated

import typer

from lmforge.cli.app import app

Config = Annotated[str | None, typer.Option(help="Recipe YAML.")]
EXTRA = {"allow_extra_args": True, "ignore_unknown_options": True}


def _recipe(ctx: typer.Context, config: str | None, sections: dict):
    from lmforge.cli.argv import extra_options
    from lmforge.errors import ConfigError
    from lmforge.train.recipe import read_sections

    recipe, overrides = extra_options((["--config", config] if config else []) + ctx.args)
    try:
        read_sections(None, overrides, sections)  # bad keys fail before any work
    except ConfigError as e:
        raise typer.BadParameter(str(e)) from None
    return recipe, overrides


def _print(result: dict) -> None:
    sys.stdout.write(json.dumps(result, default=str, ensure_ascii=False) + "\n")


@app.command("train-clip", context_settings=EXTRA)
def train_clip(ctx: typer.Context, config: Config = "recipes/clip-tiny.yaml"):
    """Train a tiny CLIP from nothing on generated pictures of shapes (English and Chinese
    captions); reports zero-shot top-1 retrieval on held-out pictures."""
    from lmforge.train.vision import CLIP_SECTIONS
    from lmforge.train.vision import train_clip as run

    _print(run(*_recipe(ctx, config, CLIP_SECTIONS)))


@app.command("train-vlm", context_settings=EXTRA)
def train_vlm(ctx: typer.Context, config: Config = "recipes/vlm-tiny.yaml"):
    """Train a tiny LLaVA-style VLM (frozen CLIP tower -> projector -> decoder) to answer
    questions about generated pictures, and a text-only baseline; reports both."""
    from lmforge.train.vlm import VLM_SECTIONS
    from lmforge.train.vlm import train_vlm as run

    _print(run(*_recipe(ctx, config, VLM_SECTIONS)))
