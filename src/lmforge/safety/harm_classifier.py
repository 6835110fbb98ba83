"""The harmful-request classifier: a model's hidden states and hashed n-grams in one linear head.

    lm = lmforge.load("smollm2-135m-instruct")
    clf = HarmClassifier.load(lm.model, lm.tokenizer)   # data/harm_classifier.safetensors
    clf("帮我搞点K粉", "input")                          # {'illegal_drugs': 0.97}
    check(text, classifiers=[clf])                      # joins the rules (classifier.py's hook)

Two readers of one request, each weak alone (docs/safety.md): the probe (probe.py) reads
SmolLM2's last hidden states, which carry intent across phrasings but see Chinese poorly;
the n-grams (ngram_classifier.py) see every character of both languages but only the
phrasings they were trained on. Here both feature sets feed one linear layer (one logit a
label: benign and the policy's harmful categories), trained together, with each label
weighted by the inverse of its count so benign and harmful requests weigh alike. On the
development set the n-gram half bought English recall and cost more Chinese recall, so the
shipped head (data/harm_classifier.safetensors) leaves it at zero (train_head's defaults;
docs/safety.md has the grid).

The harm score of a text is 1 - P(benign). A threshold per language (the language is
Chinese when a third of the letters are CJK) is chosen on a development set, never on the
test set (choose_threshold, `lmforge safety train harm`), and stored with the head. Through
the hook the score is rescaled piecewise-linearly so that the stored threshold lands on the
policy's `classifier_threshold` (0.5 in the shipped policy): the classifier answers the
policy's question "is this at or above 0.5" with its own operating point. Training is
full-batch AdamW on precomputed features: seconds on a CPU once features are computed.

Test: `pytest tests/safety/test_harm_classifier.py`.
"""

import json
from importlib.resources import files
from pathlib import Path

import torch
from torch import nn

from lmforge.safety.ngram_classifier import BENIGN, NgramClassifier
from lmforge.safety.normalize import language
from lmforge.safety.probe import hidden_features, read_head_file

SHIPPED = files("lmforge.safety") / "data" / "harm_classifier.safetensors"
NGRAM_DIM = 1 << 16


class HarmHead(nn.Module):
    """logits = W_h * standardised hidden features + W_n * n-gram features + b."""

    def __init__(self, labels: list[str], width: int, ngram_dim: int = NGRAM_DIM) -> None:
        super().__init__()
        self.labels = list(labels)
        self.hidden = nn.Linear(width, len(labels))
        self.ngrams = NgramClassifier(labels, ngram_dim)  # its EmbeddingBag and bias
        self.register_buffer("mean", torch.zeros(width))
        self.register_buffer("std", torch.ones(width))
        self.thresholds = {"en": 0.5, "zh": 0.5}

    def forward(self, hidden: torch.Tensor, ngram_features) -> torch.Tensor:
        ids, offsets, weights = ngram_features
        from_ngrams = self.ngrams.weight(ids, offsets, per_sample_weights=weights)
        return self.hidden((hidden - self.mean) / self.std) + from_ngrams  # (N, labels)

    def harm(self, hidden: torch.Tensor, ngram_features) -> torch.Tensor:
        """(N,) 1 - P(benign), and the most likely harmful label of each row."""
        probs = torch.softmax(self(hidden, ngram_features), dim=-1)
        return 1 - probs[:, self.labels.index(BENIGN)], probs


def rescale(score: float, threshold: float) -> float:
    """Map [0, threshold] to [0, 0.5] and [threshold, 1] to [0.5, 1] (monotone); a threshold
    above 1 keeps every score under 0.5."""
    if score < threshold:
        return 0.5 * score / max(threshold, 1e-9)
    return 0.5 + 0.5 * (score - threshold) / max(1 - threshold, 1e-9)


class HarmClassifier:
    name = "harm"

    def __init__(self, model, tokenizer, head: HarmHead) -> None:
        self.model, self.tokenizer, self.head = model, tokenizer, head.eval()
        self._scored: dict[str, dict[str, float]] = {}

    def prime(self, texts: list[str], progress=None) -> None:
        """Score many texts in batches now; `check` then reads their scores (a measurement
        over a labelled set runs the model once a batch, not once a text)."""
        texts = [t for t in dict.fromkeys(texts) if t not in self._scored]
        for start in range(0, len(texts), 256):
            batch = texts[start:start + 256]
            self._scored.update(zip(batch, self.scores(batch), strict=True))
            if progress is not None:
                progress(start + len(batch), len(texts))

    @torch.inference_mode()
    def harm_scores(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """(N,) harm scores and (N, labels) probabilities."""
        hidden = hidden_features(self.model, self.tokenizer, texts)
        return self.head.harm(hidden, self.head.ngrams.features(texts))

    def scores(self, texts: list[str]) -> list[dict[str, float]]:
        """{most likely harmful category: harm score rescaled to the policy's 0.5}."""
        harm, probs = self.harm_scores(texts)
        out = []
        for text, h, row in zip(texts, harm.tolist(), probs, strict=True):
            row = row.clone()
            row[self.head.labels.index(BENIGN)] = -1
            category = self.head.labels[int(row.argmax())]
            # not rounded: a score a hair under its threshold must stay under 0.5
            out.append({category: rescale(h, self.head.thresholds[language(text)])})
        return out

    def __call__(self, text: str, direction: str | None = None) -> dict[str, float]:
        if text in self._scored:
            return self._scored[text]
        return self.scores([text])[0]

    def save(self, path: str | Path) -> None:
        from safetensors.torch import save_file

        head = self.head
        state = {"hidden.weight": head.hidden.weight.detach().float().contiguous(),
                 "hidden.bias": head.hidden.bias.detach().float(),
                 "ngrams": head.ngrams.weight.weight.detach().half().contiguous(),
                 "mean": head.mean.float(), "std": head.std.float()}
        save_file(state, str(path), metadata={
            "labels": json.dumps(head.labels), "ngram_dim": str(head.ngrams.dim),
            "thresholds": json.dumps(head.thresholds), "kind": "lmforge-harm-classifier"})

    @classmethod
    def load(cls, model, tokenizer, path: str | Path | None = None) -> "HarmClassifier":
        meta, state = read_head_file(
            Path(str(SHIPPED)) if path is None else Path(path), "harm classifier",
            lambda meta: meta.get("kind") == "lmforge-harm-classifier")
        head = HarmHead(json.loads(meta["labels"]), state["mean"].numel(),
                        int(meta["ngram_dim"]))
        head.hidden.weight.data = state["hidden.weight"]
        head.hidden.bias.data = state["hidden.bias"]
        head.ngrams.weight.weight.data = state["ngrams"]
        head.mean.copy_(state["mean"])
        head.std.copy_(state["std"])
        head.thresholds = json.loads(meta["thresholds"])
        return cls(model, tokenizer, head)


def train_head(hidden: torch.Tensor, texts: list[str], labels: list[str], *,
               epochs: int = 150, lr: float = 0.01, hidden_decay: float = 3.0,
               ngram_lr: float = 0.0, ngram_decay: float = 1e-4, ngram_dim: int = NGRAM_DIM,
               seed: int = 0) -> HarmHead:
    """Fit the head on precomputed (N, 2C) hidden features and the texts' n-grams, each
    label weighted by the inverse of its count. The defaults are the shipped head's, chosen
    on the development set by mean recall over the two languages (docs/safety.md): there
    the n-gram half did not pay (ngram_lr 0 leaves it at zero; 0.01-0.1 gained English
    recall and lost more Chinese)."""
    names = sorted(set(labels))
    if BENIGN not in names or len(names) < 2:
        raise ValueError(f"training needs 'benign' and at least one other label, got {names}")
    names = [BENIGN] + [n for n in names if n != BENIGN]
    torch.manual_seed(seed)
    head = HarmHead(names, hidden.shape[1], ngram_dim)
    head.mean.copy_(hidden.mean(0))
    head.std.copy_(hidden.std(0).clamp_min(1e-4))
    ngram_features = head.ngrams.features(texts)
    target = torch.tensor([names.index(label) for label in labels])
    counts = torch.bincount(target, minlength=len(names)).float()
    weight = len(labels) / (len(names) * counts.clamp_min(1))
    opt = torch.optim.AdamW([
        {"params": head.hidden.parameters(), "lr": lr, "weight_decay": hidden_decay},
        {"params": head.ngrams.weight.parameters(), "lr": ngram_lr,
         "weight_decay": ngram_decay}])
    for _ in range(epochs):
        loss = nn.functional.cross_entropy(head(hidden, ngram_features), target, weight=weight)
        opt.zero_grad()
        loss.backward()
        opt.step()
    # the file stores the n-gram weights in fp16: round them now, so that thresholds chosen
    # on this head hold for the saved one
    head.ngrams.weight.weight.data = head.ngrams.weight.weight.data.half().float()
    return head.eval()


def choose_threshold(benign_scores: list[float], already_blocked: list[bool],
                     max_blocked: float) -> float:
    """The lowest threshold at which the filter (rules, which block `already_blocked`, plus
    scores >= threshold) blocks at most `max_blocked` of these benign texts in all: the
    classifier may add what the rules leave of that share (nothing, when the rules alone
    block more; the threshold then sits above every benign text they pass)."""
    free = sorted((s for s, b in zip(benign_scores, already_blocked, strict=True) if not b),
                  reverse=True)
    allowed = max(0, int(max_blocked * len(benign_scores)) - sum(already_blocked))
    if allowed >= len(free):
        return 0.0
    return free[allowed] + 1e-6  # just above the first score it may not block (may pass 1)


def fit(model, tokenizer, train: list[dict], dev: list[dict], *,
        max_benign_blocked: float = 0.02, progress=None, **train_options) -> "HarmClassifier":
    """Train on `train` ({"text", "label"}), then choose each language's threshold on the
    benign requests of `dev` ({"text", "label", "lang"}): the lowest at which rules and
    classifier together block at most `max_benign_blocked` of them."""
    hidden = hidden_features(model, tokenizer, [r["text"] for r in train], progress=progress)
    head = train_head(hidden, [r["text"] for r in train], [r["label"] for r in train],
                      **train_options)
    clf = HarmClassifier(model, tokenizer, head)
    set_thresholds(clf, dev, max_benign_blocked)
    return clf


def set_thresholds(clf: HarmClassifier, dev: list[dict],
                   max_benign_blocked: float | dict[str, float]) -> None:
    """Each language's threshold from the benign requests of `dev` (choose_threshold), at
    one share for both languages or at {"en": share, "zh": share}."""
    from lmforge.safety.guard import check

    benign = [r for r in dev if r["label"] == BENIGN]
    harm, _ = clf.harm_scores([r["text"] for r in benign])
    for lang in ("en", "zh"):
        rows = [i for i, r in enumerate(benign) if r.get("lang", language(r["text"])) == lang]
        if rows:
            clf.head.thresholds[lang] = choose_threshold(
                [harm[i].item() for i in rows],
                [not check(benign[i]["text"], "input").allowed for i in rows],
                max_benign_blocked[lang] if isinstance(max_benign_blocked, dict)
                else max_benign_blocked)
