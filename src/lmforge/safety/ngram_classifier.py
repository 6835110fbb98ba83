"""A small classifier lmforge trains itself: hashed character n-grams -> linear -> softmax.

    clf = NgramClassifier.load()                    # the one shipped (data/classifier.safetensors)
    clf("怎么用化肥做炸弹？", "input")               # {'violence_weapons': 0.93, ...}
    check(text, classifiers=[clf])                  # joins the rules (classifier.py's hook)

    clf = train_classifier(read_jsonl("train.jsonl"))   # {"text", "label"} lines
    clf.save("my_classifier.safetensors")

Why this shape: the rules (policy.yaml) match the phrasings they were written for; a
classifier over character n-grams also scores phrasings nobody wrote a rule for, in English
and Chinese alike (Chinese has no spaces, so characters, not words, are the unit), is
trained in seconds on a CPU and needs no model to be loaded. Features are the 1-4 character
n-grams of the normalised text (normalize.py undoes full-width, spacing and look-alike
tricks first) and its word bigrams, hashed into `dim` buckets (the hashing trick,
Weinberger et al., 2009), counted as log(1 + n) and scaled to unit length; a linear layer
gives one logit a label. The labels are the policy's category names plus "benign"; the
score of a category is its softmax probability, so `check` flags it at the policy's
`classifier_threshold`. Training: full-batch AdamW on cross-entropy with weight decay.

Test: `pytest tests/safety/test_ngram_classifier.py`.
"""

import json
import re
import zlib
from importlib.resources import files
from pathlib import Path

import torch
from torch import nn

from lmforge.data.jsonl import iter_jsonl
from lmforge.errors import DataError, LmforgeError
from lmforge.safety.normalize import normalize

BENIGN = "benign"
SHIPPED = files("lmforge.safety") / "data" / "classifier.safetensors"
_WORD = re.compile(r"[a-z0-9']+|[\u3400-\u9fff]")


def ngram_ids(text: str, dim: int, max_n: int = 4) -> list[int]:
    """Hashed feature ids of one text: char 1..max_n-grams of each normalised word, with
    boundary marks, and word bigrams (a Chinese character counts as a word)."""
    words = _WORD.findall(normalize(text, split_articles=False))
    feats = []
    joined = "".join(w if len(w) == 1 and w >= "\u3400" else f" {w} " for w in words)
    for n in range(1, max_n + 1):
        feats += [joined[i:i + n] for i in range(len(joined) - n + 1)
                  if joined[i:i + n].strip()]
    feats += [f"{a}_{b}" for a, b in zip(words, words[1:], strict=False)]
    return [zlib.crc32(f.encode()) % dim for f in feats]


class NgramClassifier(nn.Module):
    name = "ngram"

    def __init__(self, labels: list[str], dim: int = 1 << 16) -> None:
        super().__init__()
        self.labels, self.dim = list(labels), dim
        self.weight = nn.EmbeddingBag(dim, len(labels), mode="sum")
        self.bias = nn.Parameter(torch.zeros(len(labels)))
        nn.init.zeros_(self.weight.weight)

    def features(self, texts: list[str]):
        """(flat ids, offsets, per-id weights): log counts scaled to unit length a text."""
        flat, offsets, weights = [], [], []
        for text in texts:
            counts: dict[int, int] = {}
            for i in ngram_ids(text, self.dim):
                counts[i] = counts.get(i, 0) + 1
            values = torch.log1p(torch.tensor(list(counts.values()), dtype=torch.float32))
            offsets.append(len(flat))
            flat += list(counts)
            weights.append(values / values.norm().clamp_min(1e-6))
        return (torch.tensor(flat, dtype=torch.long), torch.tensor(offsets, dtype=torch.long),
                torch.cat(weights) if weights else torch.zeros(0))

    def forward(self, texts: list[str]) -> torch.Tensor:
        ids, offsets, weights = self.features(texts)
        return self.weight(ids, offsets, per_sample_weights=weights) + self.bias  # (B, C)

    @torch.inference_mode()
    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        probs = torch.softmax(self(texts), dim=-1)  # (B, C)
        return [{label: round(p.item(), 4) for label, p in zip(self.labels, row, strict=True)
                 if label != BENIGN} for row in probs]

    def __call__(self, text, direction: str | None = None):
        """The hook `check` calls: `fn(text, direction) -> {category: probability}`; a
        list of texts (no direction) runs the module's forward instead."""
        if isinstance(text, str):
            return self.scores([text])[0]
        return super().__call__(text)

    def save(self, path: str | Path) -> None:
        from safetensors.torch import save_file

        save_file({"weight": self.weight.weight.detach().half().contiguous(),
                   "bias": self.bias.detach().float()}, str(path),
                  metadata={"labels": json.dumps(self.labels), "dim": str(self.dim)})

    @classmethod
    def load(cls, path: str | Path | None = None) -> "NgramClassifier":
        from safetensors import safe_open

        path = Path(str(SHIPPED)) if path is None else Path(path)
        if not path.is_file():
            raise LmforgeError(f"classifier file {path} does not exist")
        with safe_open(str(path), framework="pt") as f:
            meta = f.metadata() or {}
            if "labels" not in meta or "dim" not in meta:
                raise LmforgeError(f"{path} is not an lmforge n-gram classifier (no labels)")
            clf = cls(json.loads(meta["labels"]), int(meta["dim"]))
            clf.weight.weight.data = f.get_tensor("weight").float()
            clf.bias.data = f.get_tensor("bias").float()
        return clf.eval()


def read_jsonl(path: str | Path) -> list[dict]:
    """Labelled records, one JSON object a line with "text" and "label"; a bad line is an
    error naming the file and line."""
    records = []
    for n, record in iter_jsonl(path):
        if not isinstance(record.get("text"), str) or not isinstance(record.get("label"), str):
            raise DataError(f"{path}:{n}: needs a string 'text' and a string 'label'")
        records.append(record)
    return records


def train_classifier(records: list[dict], *, dim: int = 1 << 16, epochs: int = 200,
                     lr: float = 0.5, weight_decay: float = 1e-4, seed: int = 0,
                     log=None) -> NgramClassifier:
    """Fit a classifier on {"text", "label"} records (full batch, AdamW, cross-entropy)."""
    labels = sorted({r["label"] for r in records})
    if len(labels) < 2:
        raise ValueError(f"training needs at least two labels, got {labels}")
    if BENIGN in labels:  # benign first, a fixed place
        labels = [BENIGN] + [label for label in labels if label != BENIGN]
    torch.manual_seed(seed)
    clf = NgramClassifier(labels, dim)
    ids, offsets, weights = clf.features([r["text"] for r in records])
    target = torch.tensor([labels.index(r["label"]) for r in records])
    opt = torch.optim.AdamW(clf.parameters(), lr=lr, weight_decay=weight_decay)
    for epoch in range(epochs):
        logits = clf.weight(ids, offsets, per_sample_weights=weights) + clf.bias
        loss = nn.functional.cross_entropy(logits, target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if log is not None and (epoch % 50 == 0 or epoch == epochs - 1):
            acc = (logits.argmax(-1) == target).float().mean().item()
            log(f"epoch {epoch + 1}/{epochs}: loss {loss.item():.4f}, train accuracy {acc:.3f}")
    return clf.eval()
