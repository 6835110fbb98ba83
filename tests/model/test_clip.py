"""CLIP: parity with transformers on a tiny random CLIPModel the test builds (no downloads),
through `lmforge.load` and through `lmforge embed --image` (preprocessing included)."""

import json
import subprocess
import sys

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import transformers as tf

import lmforge
from lmforge.errors import DataError
from lmforge.extras import MissingExtraError
from lmforge.io.clip_checkpoint import load_clip_folder, save_clip_folder
from lmforge.io.images import ImageProcessor, open_image

PIL = pytest.importorskip("PIL.Image", reason="the vision extra (Pillow) is part of [test]")


def tiny_hf_clip(eos_token_id: int = 2) -> tf.CLIPModel:
    torch.manual_seed(0)
    text = dict(vocab_size=99, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                intermediate_size=37, max_position_embeddings=16, eos_token_id=eos_token_id,
                pad_token_id=1, bos_token_id=0)
    vision = dict(image_size=32, patch_size=8, hidden_size=48, num_hidden_layers=2,
                  num_attention_heads=4, intermediate_size=40, hidden_act="quick_gelu")
    config = tf.CLIPConfig(text_config=text, vision_config=vision, projection_dim=24)
    model = tf.CLIPModel(config).eval()
    with torch.no_grad():  # non-trivial norms and biases: a wrong name cannot hide
        for p in model.parameters():
            p.add_(torch.randn_like(p) * (0.3 if p.dim() == 1 else 0.05))
    return model


@pytest.fixture(scope="module")
def clip_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny-clip")
    hf = tiny_hf_clip()
    hf.save_pretrained(folder)  # safetensors
    processor = tf.CLIPImageProcessorPil(size={"shortest_edge": 32},
                                         crop_size={"height": 32, "width": 32})
    processor.save_pretrained(folder)
    return folder, hf, processor


def cosine(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    return F.cosine_similarity(a.float(), b.float(), dim=-1)


def features(output) -> torch.Tensor:
    """transformers 5 returns a model output whose pooler_output holds the features."""
    return output if isinstance(output, torch.Tensor) else output.pooler_output


@pytest.mark.parametrize("eos_token_id", [2, 5])  # OpenAI's legacy argmax rule, a real EOS
def test_text_and_image_embeddings_match_transformers(tmp_path, eos_token_id):
    hf = tiny_hf_clip(eos_token_id)
    hf.save_pretrained(tmp_path)
    lm = lmforge.load(str(tmp_path))
    ids = torch.randint(6, 99, (3, 9), generator=torch.Generator().manual_seed(1))
    ids[:, 6] = 98 if eos_token_id == 2 else eos_token_id  # the summary token
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0  # padding after the EOS changes nothing before it
    pixels = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(2))
    with torch.no_grad():
        ref_text = features(hf.get_text_features(input_ids=ids, attention_mask=mask))
        ref_image = features(hf.get_image_features(pixel_values=pixels))
        ours_text = lm.model.encode_text(ids, mask)
        ours_image = lm.model.encode_image(pixels)
    assert cosine(ours_text, ref_text).min() >= 0.9999
    assert cosine(ours_image, ref_image).min() >= 0.9999
    assert (ours_image - ref_image).abs().max() < 1e-4  # unnormalised, as get_*_features


def test_a_saved_folder_opens_in_transformers(tmp_path, clip_folder):
    model, processor = load_clip_folder(clip_folder[0])
    save_clip_folder(model, tmp_path, processor)
    again = tf.CLIPModel.from_pretrained(tmp_path).eval()
    pixels = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        assert torch.allclose(features(again.get_image_features(pixel_values=pixels)),
                              model.encode_image(pixels), atol=1e-5)
    saved = json.loads((tmp_path / "preprocessor_config.json").read_text())
    assert saved["crop_size"] == {"height": 32, "width": 32}


def write_image(path, width=50, height=40):
    """A non-square picture, so resizing and cropping both change it."""
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, (height, width, 3), dtype=np.uint8)
    PIL.fromarray(pixels).save(path)
    return path


def test_preprocessing_equals_clip_image_processor(tmp_path, clip_folder):
    folder, _, hf_processor = clip_folder
    image = open_image(write_image(tmp_path / "a.png"))
    ours = ImageProcessor.from_dict(json.loads((folder / "preprocessor_config.json").read_text()))
    theirs = hf_processor(images=image, return_tensors="np")["pixel_values"][0]
    assert ours(image).shape == (3, 32, 32) == theirs.shape
    assert np.abs(ours(image) - theirs).max() < 1e-5


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "lmforge.cli", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow  # a subprocess, as users run it
def test_cli_embed_image_equals_processor_plus_get_image_features(tmp_path, clip_folder):
    folder, hf, hf_processor = clip_folder
    path = write_image(tmp_path / "b.png", 37, 61)
    done = run_cli("embed", "--model", str(folder), "--image", str(path))
    assert done.returncode == 0, done.stderr
    ours = torch.tensor(json.loads(done.stdout))
    inputs = hf_processor(images=PIL.open(path), return_tensors="pt")
    with torch.no_grad():
        theirs = features(hf.get_image_features(pixel_values=inputs["pixel_values"]))
    assert ours.shape == (1, 24)
    assert cosine(ours, theirs).item() >= 0.9999
    assert abs(ours.norm().item() - 1) < 1e-5  # printed normalised, as text embeddings are


def test_without_pillow_reading_an_image_names_the_vision_extra(tmp_path, monkeypatch):
    path = write_image(tmp_path / "c.png")
    monkeypatch.setitem(sys.modules, "PIL", None)  # as if Pillow were not installed
    monkeypatch.setitem(sys.modules, "PIL.Image", None)
    with pytest.raises(MissingExtraError, match=r"\[vision\] extra.*pip install -e \"\.\[vision\]"):
        open_image(path)


@pytest.mark.slow  # a subprocess, as users run it
def test_a_file_that_is_not_an_image_is_one_error_line(tmp_path, clip_folder):
    fake = tmp_path / "photo.png"
    fake.write_text("not really a picture")
    with pytest.raises(DataError, match="photo.png is not an image"):
        open_image(fake)
    done = run_cli("embed", "--model", str(clip_folder[0]), "--image", str(fake))
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "photo.png is not an image" in lines[0], done.stderr
