"""Vision: the shapes generator, CLIP's contrastive loss and training, the tiny VLM and its
answer accuracy, and the two runs end to end at toy size (seconds; the measured runs are in
docs/vision.md)."""

import math

import numpy as np
import pytest
import torch

import lmforge
from lmforge.data.synthetic import shapes
from lmforge.infer.clip_embeddings import embed_clip_texts
from lmforge.model.clip import TextConfig
from lmforge.model.config import ModelConfig
from lmforge.model.vision import VisionConfig, VisionTower
from lmforge.model.vlm import VisionLanguageModel
from lmforge.train.objectives import IGNORE_INDEX
from lmforge.train.objectives.contrastive import Contrastive, clip_loss
from lmforge.train.objectives.visual_qa import VisualQA, answers_correct
from lmforge.train.vision import (
    ProjectionSettings,
    SceneLoader,
    build_clip,
    processor_for,
    shapes_tokenizer,
    train_clip,
)
from lmforge.train.vlm import train_vlm

torch.set_num_threads(1)
DECODER = dict(arch="llama", kind="decoder", hidden_size=32, num_hidden_layers=1,
               num_attention_heads=2, intermediate_size=64, max_position_embeddings=64,
               tie_word_embeddings=True)


@pytest.fixture(scope="module")
def tokenizer():
    return shapes_tokenizer()


def test_pictures_are_seeded_and_captioned_in_two_languages():
    a, b = shapes.generate(10, seed=3), shapes.generate(10, seed=3)
    assert all(np.array_equal(x.pixels, y.pixels) for x, y in zip(a, b, strict=True))
    other = shapes.generate(10, seed=4)
    assert not all(np.array_equal(x.pixels, y.pixels) for x, y in zip(a, other, strict=True))
    scene = shapes.Scene("circle", "red", "top left", a[0].pixels)
    assert scene.caption("en") == "a red circle at the top left"
    assert scene.caption("zh") == "左上角有一个红色的圆形"
    assert ("这是什么颜色?", "红色", "colour") in shapes.questions(scene)
    assert ("Where is the circle?", "top left", "position") in shapes.questions(scene)
    batch = shapes.batch_of_distinct_kinds(64, np.random.default_rng(0))
    assert len({s.kind for s in batch}) == 64
    # the shape is drawn in its colour where it should be: the top-left quadrant
    red = shapes.render("square", "red", "top left", np.random.default_rng(1))
    is_red = (red[..., 0] > 150) & (red[..., 1] < 120)
    assert is_red[:16, :16].sum() > 40 and is_red[16:, 16:].sum() == 0


def test_every_generated_text_tokenizes_without_unknown_words(tokenizer):
    for text in shapes.vocabulary():
        ids = tokenizer.encode(text, add_special=True)
        assert tokenizer.unk_id not in ids and ids[-1] == tokenizer.eos_id
    assert len(tokenizer.encode("左上角")) == 3  # one token per Chinese character


def test_clip_loss_is_the_mean_of_both_directions_cross_entropy():
    logits = torch.tensor([[2.0, 0.0], [1.0, 3.0]])
    rows = -(math.log(math.e**2 / (math.e**2 + 1)) + math.log(math.e**3 / (math.e + math.e**3)))
    cols = -(math.log(math.e**2 / (math.e**2 + math.e)) + math.log(math.e**3 / (1 + math.e**3)))
    assert clip_loss(logits).item() == pytest.approx((rows / 2 + cols / 2) / 2, rel=1e-6)


def tiny_clip(tokenizer):
    torch.manual_seed(0)
    return build_clip(TextConfig(hidden_size=32, intermediate_size=64),
                      VisionConfig(hidden_size=32, intermediate_size=64),
                      ProjectionSettings(projection_dim=32), tokenizer, 32)


def test_a_few_steps_lower_the_contrastive_loss(tokenizer):
    model = tiny_clip(tokenizer)
    objective = Contrastive(tokenizer, processor_for(32), 32, tokenizer.pad_id)
    batch = objective.batch(SceneLoader(8, 32, seed=0).next_batch())
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3)
    losses = []
    for step in range(40):
        for group in optimizer.param_groups:  # warmup, as the recipes do: a full-size first
            group["lr"] = 2e-3 * min(1.0, (step + 1) / 20)  # step collapses every embedding
        loss, metrics = objective.loss(model, batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[0] > 0.8 * math.log(8)  # about chance: 1 in 8
    assert losses[-1] < 0.25 * losses[0], losses
    assert metrics["batch_top1"].item() == 1.0  # each picture finds its own caption
    assert 0 < metrics["temperature"].item() < 0.07  # learned: sharper than CLIP's start


def tiny_vlm(tokenizer, sees_images=True):
    torch.manual_seed(0)
    tower = VisionTower(VisionConfig(hidden_size=32, intermediate_size=64))
    config = ModelConfig(**DECODER, vocab_size=tokenizer.vocab_size)
    return VisionLanguageModel(tower if sees_images else None, config)


def test_the_vlm_learns_answers_with_its_image_tower_frozen(tokenizer):
    model = tiny_vlm(tokenizer)
    objective = VisualQA(tokenizer, processor_for(32))
    batch = objective.batch(SceneLoader(16, 32, seed=1).next_batch())
    tower = {k: v.clone() for k, v in model.vision.state_dict().items()}
    trainable = [p for p in model.parameters() if p.requires_grad]
    assert not any(p.requires_grad for p in model.vision.parameters())
    optimizer = torch.optim.AdamW(trainable, lr=3e-3)
    model.train()
    losses = []
    for _ in range(10):
        loss, _ = objective.loss(model, batch)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < 0.6 * losses[0], losses
    assert all(torch.equal(tower[k], v) for k, v in model.vision.state_dict().items())
    # the answer depends on the picture: another image changes the logits
    model.eval()
    with torch.no_grad():
        ids, pixels = batch["input_ids"][:2], batch["pixel_values"][:2]
        assert not torch.allclose(model.logits(model(ids, pixels)),
                                  model.logits(model(ids, pixels.flip(0))))


def greedy_answer(model, ids_prefix, pixels, eos_id, most=6):
    """The plain decoding loop: full forward each step, argmax, stop at EOS."""
    out = []
    ids = ids_prefix
    for _ in range(most):
        token = model.logits(model(ids, pixels))[0, -1].argmax().item()
        out.append(token)
        if token == eos_id:
            break
        ids = torch.cat([ids, torch.tensor([[token]])], dim=1)
    return out


def test_answer_accuracy_is_exactly_greedy_decoding(tokenizer):
    model = tiny_vlm(tokenizer).eval()
    objective = VisualQA(tokenizer, processor_for(32))
    scenes = SceneLoader(6, 32, seed=2).next_batch()
    batch = objective.batch(scenes)
    with torch.no_grad():  # a briefly trained model: some answers right, some wrong
        optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad],
                                      lr=3e-3)
        for _ in range(30):
            with torch.enable_grad():
                loss, _ = objective.loss(model, batch)
                loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        correct = answers_correct(model.logits(model(batch["input_ids"],
                                                     batch["pixel_values"])), batch["labels"])
        for i in range(len(scenes)):
            labels = batch["labels"][i]
            start = int((labels != IGNORE_INDEX).nonzero()[0])  # last question token
            target = labels[labels != IGNORE_INDEX].tolist()
            decoded = greedy_answer(model, batch["input_ids"][i:i + 1, :start + 1],
                                    batch["pixel_values"][i:i + 1], tokenizer.eos_id)
            assert (decoded == target) == bool(correct[i])
    assert 0 < correct.sum() < len(scenes)  # both outcomes were checked


def test_the_text_only_baseline_has_no_image_tower(tokenizer):
    model = tiny_vlm(tokenizer, sees_images=False)
    assert not model.sees_images and not hasattr(model, "projector")
    ids = torch.tensor([[tokenizer.bos_id, 5, 6]])
    assert model(ids).shape == (1, 3, 32)


def test_both_runs_end_to_end_at_toy_size(tmp_path):
    toy = {"max_steps": 3, "batch_size": 8, "eval_every": 3, "eval_batches": 1,
           "log_every": 1, "warmup_steps": 1, "num_threads": 1, "progress": False,
           "held_out_images": 12}
    clip = train_clip(None, {**toy, "out_dir": str(tmp_path / "clip"),
                             "text.hidden_size": 16, "text.intermediate_size": 32,
                             "vision.hidden_size": 16, "vision.intermediate_size": 32})
    assert 0 <= clip["val_zero_shot_top1_en"] <= 1 and 0 <= clip["val_zero_shot_top1_zh"] <= 1
    lm = lmforge.load(clip["checkpoint"])  # a transformers CLIP folder with a tokenizer
    assert lm.image_processor.crop_height == 32 and lm.tokenizer is not None
    texts = ["a red circle at the top left", "左上角有一个红色的圆形"]  # what `embed` prints
    vectors = embed_clip_texts(lm, texts)
    assert vectors.shape == (2, 64)
    for row, text in enumerate(texts):  # batched and padded = alone
        ids = torch.tensor([lm.tokenizer.encode(text, add_special=True)])
        with torch.no_grad():
            alone = torch.nn.functional.normalize(lm.model.encode_text(ids), dim=-1)
        assert torch.allclose(vectors[row], alone[0], atol=1e-5)
    result = train_vlm(None, {**toy, "out_dir": str(tmp_path / "vlm"),
                              "vlm.clip": clip["checkpoint"], **{
                                  f"decoder.{k}": v for k, v in DECODER.items()}})
    for run in ("vlm", "text_only"):
        assert 0 <= result[run]["val_answer_accuracy"] <= 1
        assert (tmp_path / "vlm" / run.replace("_", "-") / "model" / "model.safetensors").is_file()
    assert result["held_out_questions"] == 72
