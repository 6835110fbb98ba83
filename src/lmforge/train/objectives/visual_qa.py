"""Answering questions about a picture: next-token loss on the answer, given image + question.

    tokens   <s> What color is the circle ? red </s>
    labels    -    -     -    -   -    -   - red </s>      (the question is context, not target)

The loss is the causal-LM cross-entropy over the answer tokens and the closing EOS only
(as SFT masks the prompt, objectives/sft.py). A held-out answer counts as correct when the
model's most likely token is the right one at every answer position, EOS included: exactly
when greedy decoding would write the right answer and stop, with no generation loop.
The model is a VisionLanguageModel (model/vlm.py); without an image tower it is the
text-only baseline, trained on the same questions.
Test: `pytest tests/train/test_vlm.py`.
"""

import numpy as np
import torch
import torch.nn.functional as F

from lmforge.data.synthetic import shapes
from lmforge.train.objectives import IGNORE_INDEX, Objective


def question_answer_batch(tokenizer, pairs: list[tuple[str, str]]):
    """(question, answer) pairs -> ids (B, T) and labels (B, T) (answers and EOS only),
    both shifted for next-token prediction: labels[t] is the token after ids[t]."""
    rows, targets = [], []
    for question, answer in pairs:
        q = tokenizer.encode(question)
        a = tokenizer.encode(answer) + [tokenizer.eos_id]
        tokens = [tokenizer.bos_id, *q, *a]
        rows.append(tokens[:-1])
        targets.append([IGNORE_INDEX] * len(q) + a)  # position of the last question token on
    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), tokenizer.pad_id, dtype=torch.long)
    labels = torch.full((len(rows), width), IGNORE_INDEX, dtype=torch.long)
    for i, (row, target) in enumerate(zip(rows, targets, strict=True)):
        ids[i, :len(row)], labels[i, :len(target)] = torch.tensor(row), torch.tensor(target)
    return ids, labels


class VisualQA(Objective):
    """Trains a VisionLanguageModel on one question per picture."""

    name = "visual_qa"
    reports_perplexity = False

    def __init__(self, tokenizer, processor, held_out: list | None = None, seed: int = 0):
        super().__init__(seed)
        self.tokenizer, self.processor = tokenizer, processor
        self.held_out = held_out or []

    def batch(self, raw: list, train: bool = True) -> dict[str, torch.Tensor]:
        """Scenes -> pixels and one of each scene's six questions, picked at random."""
        generator = self.generator if train else self.eval_generator
        picks = torch.randint(0, 6, (len(raw),), generator=generator).tolist()
        asked = [shapes.questions(s)[k] for s, k in zip(raw, picks, strict=True)]
        return self.encode(raw, [(q, a) for q, a, _ in asked])

    def encode(self, scenes: list, pairs: list[tuple[str, str]]) -> dict[str, torch.Tensor]:
        ids, labels = question_answer_batch(self.tokenizer, pairs)
        pixels = self.processor.normalize_array(np.stack([s.pixels for s in scenes]))
        return {"input_ids": ids, "labels": labels, "pixel_values": torch.from_numpy(pixels)}

    def loss(self, model, batch):
        logits = model.logits(model(batch["input_ids"], batch["pixel_values"]))  # (B, T, V)
        loss = F.cross_entropy(logits.flatten(0, 1).float(), batch["labels"].flatten())
        return loss, {"batch_answer_accuracy": answers_correct(logits, batch["labels"]).mean()}

    @torch.no_grad()
    def evaluate(self, trainer) -> dict[str, float]:
        if not self.held_out:
            return {}
        return held_out_accuracy(trainer.model, self, self.held_out)


def answers_correct(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """(B,) 1.0 where the argmax is right at every labelled position (greedy gets it)."""
    wrong = (logits.argmax(-1) != labels) & (labels != IGNORE_INDEX)
    return (~wrong.any(-1)).float().detach()


@torch.no_grad()
def held_out_accuracy(model, objective: VisualQA, scenes: list, batch_size: int = 256
                      ) -> dict[str, float]:
    """Every question of every held-out picture: accuracy overall and per kind of question."""
    was_training = model.training
    model.eval()
    device = next(model.parameters()).device
    right: dict[str, list[float]] = {"colour": [], "position": [], "shape": []}
    for start in range(0, len(scenes), batch_size):
        chunk = scenes[start:start + batch_size]
        for k in range(6):  # question k of each picture, batched
            asked = [shapes.questions(s)[k] for s in chunk]
            batch = objective.encode(chunk, [(q, a) for q, a, _ in asked])
            batch = {name: t.to(device) for name, t in batch.items()}
            logits = model.logits(model(batch["input_ids"], batch["pixel_values"]))
            right[asked[0][2]] += answers_correct(logits, batch["labels"]).tolist()
    model.train(was_training)
    every = [x for scores in right.values() for x in scores]
    return {"val_answer_accuracy": float(np.mean(every)),
            **{f"val_{kind}_accuracy": float(np.mean(scores)) for kind, scores in right.items()}}
