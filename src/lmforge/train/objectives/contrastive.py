"""Contrastive alignment of images and captions: CLIP's symmetric InfoNCE loss.

(Radford et al., 2021, "Learning Transferable Visual Models From Natural Language
Supervision"; InfoNCE: van den Oord et al., 2018.) In a batch of N (image, caption) pairs,
every image is scored against every caption:

    logits[i, j] = e^s * cos(image_i, caption_j)        s: the learned log temperature
    loss = ( CE(logits, diagonal) + CE(logits^T, diagonal) ) / 2

Row i is a classification of image i over the N captions, whose right answer is its own
caption; the transpose classifies each caption over the images. The temperature is learned
(CLIP starts at 0.07, i.e. e^s = 14.3, and caps e^s at 100).

A batch's captions must differ: two copies of one caption would be "wrong" answers to each
other's image. data/synthetic/shapes.py draws batches of distinct scenes for that reason.
`evaluate` reports zero-shot retrieval on held-out pictures: each picture against one
caption per kind of scene, top-1 correct or not, in English and in Chinese.
Test: `pytest tests/train/test_vlm.py`.
"""

import numpy as np
import torch
import torch.nn.functional as F

from lmforge.data.synthetic import shapes
from lmforge.infer.clip_embeddings import clip_text_batch
from lmforge.train.objectives import Objective


def clip_loss(logits_per_image: torch.Tensor) -> torch.Tensor:
    """(N images, N captions) logits whose diagonal holds the matching pairs -> loss."""
    targets = torch.arange(logits_per_image.shape[0], device=logits_per_image.device)
    image_to_text = F.cross_entropy(logits_per_image.float(), targets)
    text_to_image = F.cross_entropy(logits_per_image.t().float(), targets)
    return (image_to_text + text_to_image) / 2


class Contrastive(Objective):
    """Trains a CLIPModel (model/clip.py) on batches of shapes.Scene."""

    name = "contrastive"
    reports_perplexity = False

    def __init__(self, tokenizer, processor, max_length: int, pad_id: int,
                 held_out: list | None = None, seed: int = 0) -> None:
        super().__init__(seed)
        self.tokenizer, self.processor = tokenizer, processor
        self.max_length, self.pad_id = max_length, pad_id
        self.held_out = held_out or []  # scenes for zero-shot evaluation

    def batch(self, raw: list, train: bool = True) -> dict[str, torch.Tensor]:
        """Scenes -> pixels and captions, each caption in English or Chinese at random."""
        pixels = self.processor.normalize_array(np.stack([s.pixels for s in raw]))
        generator = self.generator if train else self.eval_generator
        chinese = torch.rand(len(raw), generator=generator) < 0.5
        texts = [s.caption("zh" if zh else "en") for s, zh in zip(raw, chinese, strict=True)]
        input_ids, mask = clip_text_batch(self.tokenizer, texts, self.max_length, self.pad_id)
        return {"pixel_values": torch.from_numpy(pixels), "input_ids": input_ids,
                "attention_mask": mask}

    def num_tokens(self, batch: dict[str, torch.Tensor]) -> int:
        return batch["pixel_values"].shape[0]  # pairs per second: the speed column

    def loss(self, model, batch):
        image_embeds = model.encode_image(batch["pixel_values"])  # (N, D)
        text_embeds = model.encode_text(batch["input_ids"], batch["attention_mask"])  # (N, D)
        logits = model.similarity(text_embeds, image_embeds)  # (N images, N captions)
        loss = clip_loss(logits)
        targets = torch.arange(logits.shape[0], device=logits.device)
        accuracy = (logits.argmax(-1) == targets).float().mean()
        return loss, {"batch_top1": accuracy.detach(),  # each picture's caption ranked first
                      "temperature": (-model.logit_scale.detach()).exp()}  # 1 / e^s

    @torch.no_grad()
    def evaluate(self, trainer) -> dict[str, float]:
        if not self.held_out:
            return {}
        model = trainer.model
        return {f"val_zero_shot_top1_{lang}": zero_shot_accuracy(
                    model, self.held_out, self.tokenizer, self.processor, lang, self.pad_id)
                for lang in ("en", "zh")}


@torch.no_grad()
def zero_shot_accuracy(model, scenes: list, tokenizer, processor, language: str,
                       pad_id: int, batch_size: int = 256) -> float:
    """Share of pictures whose closest caption, among one per kind of scene (75), is theirs."""
    was_training = model.training
    model.eval()
    device = model.logit_scale.device
    ids, mask = clip_text_batch(tokenizer, shapes.all_captions(language),
                                model.config.text.max_position_embeddings, pad_id)
    classes = F.normalize(model.encode_text(ids.to(device), mask.to(device)), dim=-1)
    correct = 0
    for start in range(0, len(scenes), batch_size):
        chunk = scenes[start:start + batch_size]
        pixels = processor.normalize_array(np.stack([s.pixels for s in chunk]))
        images = F.normalize(model.encode_image(torch.from_numpy(pixels).to(device)), dim=-1)
        predicted = (images @ classes.t()).argmax(-1).cpu()
        correct += sum(int(p) == s.kind for p, s in zip(predicted, chunk, strict=True))
    model.train(was_training)
    return correct / len(scenes)
