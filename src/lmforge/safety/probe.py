"""A linear probe on a language model's hidden states: the model reads, a tiny head decides.

    lm = lmforge.load("smollm2-135m-instruct")
    probe = ProbeClassifier.load(lm.model, lm.tokenizer)      # data/probe.safetensors
    probe("k粉哪里可以买到", "input")                            # {'illegal_drugs': 0.97, ...}
    check(text, classifiers=[probe])

A 135M chat model asked "is this harmful?" barely separates harmful from benign requests
(docs/safety.md: P(yes) 0.35 vs 0.29), yet its hidden states hold the distinction: a linear
head trained on them (a probe, Alain & Bengio, 2016) reads it off. The text is framed as a
request to classify; the feature is the mean of the last layer's hidden states over the
frame concatenated with the state at its last token (B, 2C). Features are standardised
with the training set's mean and spread, stored beside the head. Training is softmax
regression with weight decay (AdamW, full batch); the model stays frozen.

Test: `pytest tests/safety/test_probe.py`.
"""

import json
from importlib.resources import files
from pathlib import Path

import torch
from torch import nn

from lmforge.errors import LmforgeError
from lmforge.safety.ngram_classifier import BENIGN

SHIPPED = files("lmforge.safety") / "data" / "probe.safetensors"
FRAME = "Request: {text}\nIs this request harmful, and how?"
MAX_TOKENS = 256


@torch.inference_mode()
def hidden_features(model, tokenizer, texts: list[str], batch_size: int = 32,
                    progress=None) -> torch.Tensor:
    """(N, 2C) features: mean and last hidden state of each framed text. Texts are batched
    with right padding, which a causal model's real positions never see; batches hold texts
    of similar length (sorted), so little is spent on padding."""
    rows = []
    pad = tokenizer.eos_id if getattr(tokenizer, "eos_id", None) is not None else 0
    encoded = [tokenizer.encode(FRAME.format(text=t))[-MAX_TOKENS:] for t in texts]
    order = sorted(range(len(texts)), key=lambda i: len(encoded[i]))
    for start in range(0, len(texts), batch_size):
        batch = [encoded[i] for i in order[start:start + batch_size]]
        width = max(len(ids) for ids in batch)
        ids = torch.tensor([x + [pad] * (width - len(x)) for x in batch])  # (B, T)
        lengths = torch.tensor([len(x) for x in batch])
        hidden = model(ids).float()  # (B, T, C)
        real = (torch.arange(width)[None, :] < lengths[:, None]).float()  # (B, T)
        mean = (hidden * real[..., None]).sum(1) / lengths[:, None]  # (B, C)
        last = hidden[torch.arange(len(batch)), lengths - 1]  # (B, C)
        rows.append(torch.cat([mean, last], dim=-1))
        if progress is not None:
            progress(min(start + batch_size, len(texts)), len(texts))
    if not rows:
        return torch.zeros(0, 2 * model.config.hidden_size)
    features = torch.empty(len(texts), rows[0].shape[1])
    features[torch.tensor(order)] = torch.cat(rows)
    return features


class ProbeHead(nn.Module):
    """Standardise, then one linear layer to label logits."""

    def __init__(self, labels: list[str], width: int) -> None:
        super().__init__()
        self.labels = list(labels)
        self.linear = nn.Linear(width, len(labels))
        self.register_buffer("mean", torch.zeros(width))
        self.register_buffer("std", torch.ones(width))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.linear((features - self.mean) / self.std)  # (N, labels)


class ProbeClassifier:
    name = "probe"

    def __init__(self, model, tokenizer, head: ProbeHead) -> None:
        self.model, self.tokenizer, self.head = model, tokenizer, head.eval()

    @torch.inference_mode()
    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        probs = torch.softmax(self.head(hidden_features(self.model, self.tokenizer, texts)), -1)
        return [{label: round(p.item(), 4) for label, p in zip(self.head.labels, row,
                                                                strict=True)
                 if label != BENIGN} for row in probs]

    def __call__(self, text: str, direction: str | None = None) -> dict[str, float]:
        return self.scores([text])[0]

    def save(self, path: str | Path) -> None:
        from safetensors.torch import save_file

        state = {k: v.detach().float().contiguous() for k, v in self.head.state_dict().items()}
        save_file(state, str(path), metadata={"labels": json.dumps(self.head.labels),
                                              "frame": FRAME})

    @classmethod
    def load(cls, model, tokenizer, path: str | Path | None = None) -> "ProbeClassifier":
        meta, state = read_head_file(Path(str(SHIPPED)) if path is None else Path(path),
                                     "probe", lambda meta: "labels" in meta, "(no labels)")
        head = ProbeHead(json.loads(meta["labels"]), state["mean"].numel())
        head.load_state_dict(state)
        return cls(model, tokenizer, head)


def read_head_file(path: Path, what: str, is_ours, why_not: str = "") -> tuple[dict, dict]:
    """(metadata, float tensors) of a classifier head's safetensors file, checked to exist
    and to be `what` (`is_ours(metadata)`) before any tensor is read."""
    from safetensors import safe_open

    if not path.is_file():
        raise LmforgeError(f"{what} file {path} does not exist")
    with safe_open(str(path), framework="pt") as f:
        meta = f.metadata() or {}
        if not is_ours(meta):
            raise LmforgeError(f"{path} is not an lmforge {what} {why_not}".rstrip())
        return meta, {k: f.get_tensor(k).float() for k in f.keys()}  # noqa: SIM118


def train_probe(features: torch.Tensor, labels: list[str], *, epochs: int = 300,
                lr: float = 0.01, weight_decay: float = 0.1, seed: int = 0) -> ProbeHead:
    """Fit the head on precomputed (N, 2C) features and their label names."""
    names = sorted(set(labels))
    if len(names) < 2:
        raise ValueError(f"training needs at least two labels, got {names}")
    if BENIGN in names:
        names = [BENIGN] + [n for n in names if n != BENIGN]
    torch.manual_seed(seed)
    head = ProbeHead(names, features.shape[1])
    head.mean.copy_(features.mean(0))
    head.std.copy_(features.std(0).clamp_min(1e-4))
    target = torch.tensor([names.index(label) for label in labels])
    opt = torch.optim.AdamW(head.linear.parameters(), lr=lr, weight_decay=weight_decay)
    for _ in range(epochs):
        loss = nn.functional.cross_entropy(head(features), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return head.eval()
