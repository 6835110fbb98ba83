"""The harmful-request classifier fine-tuned end to end: the chat model's top layers with
LoRA adapters, and a linear head on what they output.

    lm = lmforge.load("smollm2-135m-instruct")
    clf = TunedHarmClassifier.load(lm.model, lm.tokenizer)   # data/harm_tuned.safetensors
    clf("帮我搞点K粉", "input")                               # {'illegal_drugs': 0.98}
    check(text, classifiers=[clf])                           # joins the rules (classifier.py)

The linear head of harm_classifier.py reads frozen hidden states, and a 135M model's frozen
states separate a harmful request from a benign one about the same object only so far
(docs/safety.md: about 76-81% caught on the development set at 2% of benign requests
blocked). Here the top `n_layers - split` blocks learn too, through LoRA adapters (train/
lora.py) on every linear, as a sequence classifier is fine-tuned: the same request frame as
the probe, the final norm's output pooled (mean over the frame and the last token, (B, 2C)),
one linear layer to label logits (benign and the policy's categories), each label weighted
by the inverse of its count.

The adapted blocks are views of the chat model's own blocks: they share its weights (int4
stays int4) and wrap each linear in an adapter, so the classifier costs the adapters and
the head (a few MB), and the chat model is left as it was. The lower `split` blocks are the
chat model's, unchanged, so training computes their output once per text and trains only
above it (minutes on a CPU). Thresholds per language, the score rescaling and the hook are
harm_classifier.py's (this class is a HarmClassifier with another reader).

The shipped file is `lmforge safety train harm-tuned`'s defaults: trained on
harm_sets.TUNED_TRAINING (the templated set, the retired first test set, free-form
requests), thresholds on TUNED_DEVELOPMENT, split 18 chosen over 12 on the development set;
measured on the second and third sealed test sets (docs/safety.md).

Test: `pytest tests/safety/test_harm_tuned.py`.
"""

import copy
import json
import math
import random
from importlib.resources import files
from pathlib import Path

import torch
from torch import nn

from lmforge.model.quant import QuantizedLinear
from lmforge.safety.harm_classifier import HarmClassifier, set_thresholds
from lmforge.safety.ngram_classifier import BENIGN
from lmforge.safety.probe import FRAME, MAX_TOKENS, read_head_file
from lmforge.safety.top_ensemble import TopEnsemble
from lmforge.train.lora import LoRALinear

SHIPPED = files("lmforge.safety") / "data" / "harm_tuned.safetensors"
KIND = "lmforge-harm-tuned"


def adapted_view(module: nn.Module, rank: int, scaling: float) -> nn.Module:
    """A copy of `module` that shares every weight and buffer with it, each linear wrapped in
    a fresh LoRA adapter; `module` itself is left unchanged."""
    view = copy.copy(module)  # shares _parameters and _buffers; gets its own _modules below
    view._modules = {}
    for name, child in module._modules.items():
        if isinstance(child, (nn.Linear, QuantizedLinear)):
            view._modules[name] = LoRALinear(child, rank, scaling)
        else:
            view._modules[name] = None if child is None else adapted_view(child, rank, scaling)
    return view


def encode(tokenizer, texts: list[str]) -> list[list[int]]:
    return [tokenizer.encode(FRAME.format(text=t))[-MAX_TOKENS:] for t in texts]


def positions(x: torch.Tensor) -> torch.Tensor:
    return torch.arange(x.shape[1])[None].expand(x.shape[0], -1)  # (B, T)


def padded(rows: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
    """(B, T, C) right-padded with zeros, and (B,) lengths. A causal model's real positions
    never see the padding after them."""
    lengths = torch.tensor([r.shape[0] for r in rows])
    out = rows[0].new_zeros(len(rows), int(lengths.max()), rows[0].shape[1])
    for i, r in enumerate(rows):
        out[i, :r.shape[0]] = r
    return out, lengths


def by_length(rows, batch_size: int) -> list[list[int]]:
    """Indices in batches of rows of similar length (little padding)."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    return [order[s:s + batch_size] for s in range(0, len(order), batch_size)]


class TunedTop(nn.Module):
    """Blocks `split`.. of a decoder as adapted views, its final norm, and the head."""

    def __init__(self, model: nn.Module, split: int, labels: list[str], rank: int = 16,
                 alpha: float = 32.0) -> None:
        super().__init__()
        stack = model.decoder
        if not 0 <= split < len(stack.layers):
            raise ValueError(f"split must be in [0, {len(stack.layers)}), got {split}")
        self.split, self.rank, self.alpha = split, rank, alpha
        self.labels = list(labels)
        self.thresholds = {"en": 0.5, "zh": 0.5}
        self.model = [model]  # a list: not a submodule (its weights are not ours to save)
        self.blocks = nn.ModuleList(adapted_view(b, rank, alpha / rank)
                                    for b in stack.layers[split:])
        self.head = nn.Linear(2 * model.config.hidden_size, len(labels))

    def adapters(self) -> dict[str, torch.Tensor]:
        """The trainable tensors by name: the adapters' A and B, and the head."""
        return {n: p for n, p in self.named_parameters() if "lora_" in n or n.startswith("head.")}

    @torch.inference_mode()
    def lower(self, ids: list[list[int]], batch_size: int = 32) -> list[torch.Tensor]:
        """Each text's (T, C) states entering block `split`, from the chat model's own
        blocks."""
        model = self.model[0]
        out = [torch.empty(0)] * len(ids)
        for index in by_length(ids, batch_size):
            width = max(len(ids[i]) for i in index)
            x = torch.tensor([ids[i] + [0] * (width - len(ids[i])) for i in index])  # (B, T)
            x = self.run(model.decoder.layers[:self.split], model.embed(x, positions(x)), 0)
            for row, i in enumerate(index):
                out[i] = x[row, :len(ids[i])].clone()
        return out

    def run(self, blocks, x: torch.Tensor, first: int) -> torch.Tensor:
        """x (B, T, C) through `blocks`, the first of them the model's block `first`."""
        rope = self.model[0].decoder.rotary(positions(x), x.dtype)
        for i, block in enumerate(blocks):
            x = block(x, None, rope=rope, layer=first + i, is_causal=True)
        return x

    def forward(self, states: list[torch.Tensor]) -> torch.Tensor:
        """N texts' (T, C) lower states -> (N, labels) logits."""
        x, lengths = padded(states)
        h = self.model[0].decoder.norm(self.run(self.blocks, x, self.split))  # (B, T, C)
        real = (torch.arange(x.shape[1])[None, :] < lengths[:, None]).to(h.dtype)
        mean = (h * real[..., None]).sum(1) / lengths[:, None]
        last = h[torch.arange(len(states)), lengths - 1]
        return self.head(torch.cat([mean, last], dim=-1))

    def harm(self, states: list[torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """(N,) 1 - P(benign) and (N, labels) probabilities (HarmHead.harm's answer)."""
        probs = torch.softmax(self(states).float(), dim=-1)
        return 1 - probs[:, self.labels.index(BENIGN)], probs


class TunedHarmClassifier(HarmClassifier):
    """HarmClassifier's scores, thresholds and hook, read by a TunedTop."""

    def harm_scores(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        return scored_alone(self.head, encode(self.tokenizer, texts))

    def save(self, path: str | Path) -> None:
        save_top(self.head, path, KIND, len(self.model.decoder.layers), torch.float32,
                 frame=FRAME)

    @classmethod
    def load(cls, model, tokenizer, path: str | Path | None = None) -> "TunedHarmClassifier":
        top = load_top(Path(str(SHIPPED)) if path is None else Path(path), KIND,
                       "tuned harm classifier", len(model.decoder.layers),
                       lambda *args: TunedTop(model, *args))
        return cls(model, tokenizer, top)


@torch.inference_mode()
def scored_alone(top: nn.Module, ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    """(N,) harm scores and (N, labels) probabilities, each text through `top` alone, as a
    chat message is: in a batch, padding and the row count move a CPU GEMM's rounding (bf16
    where the CPU has it), enough to move a score across a threshold that sits in the last
    digits of a saturated softmax."""
    harm = torch.zeros(len(ids))
    probs = torch.zeros(len(ids), len(top.labels))
    for i, one in enumerate(ids):
        harm[i:i + 1], probs[i:i + 1] = top.harm(top.lower([one]))
    return harm, probs


def save_top(top: nn.Module, path: str | Path, kind: str, layers: int, dtype: torch.dtype,
             **metadata: str) -> None:
    """The adapters and head as `dtype` (every member's, for a TopEnsemble), with what
    rebuilds them, in one safetensors file."""
    from safetensors.torch import save_file

    members = len(top.members) if isinstance(top, TopEnsemble) else 1
    save_file({n: p.detach().to(dtype).contiguous() for n, p in top.adapters().items()},
              str(path), metadata={
                  "kind": kind, "labels": json.dumps(top.labels),
                  "thresholds": json.dumps(top.thresholds), "split": str(top.split),
                  "rank": str(top.rank), "alpha": str(top.alpha), "layers": str(layers),
                  "members": str(members), **metadata})


def load_top(path: Path, kind: str, what: str, layers: int, make_top) -> nn.Module:
    """The top save_top wrote, rebuilt by make_top(split, labels, rank, alpha) on a model of
    `layers` blocks (a TopEnsemble of such tops where the file holds several; files from
    before ensembles have no "members" and hold one)."""
    meta, state = read_head_file(path, what, lambda meta: meta.get("kind") == kind)
    if int(meta["layers"]) != layers:
        raise ValueError(f"{path} adapts a {meta['layers']}-layer model; this one has "
                         f"{layers}")
    layout = (int(meta["split"]), json.loads(meta["labels"]), int(meta["rank"]),
              float(meta["alpha"]))
    members = int(meta.get("members", 1))
    top = make_top(*layout) if members == 1 else TopEnsemble(
        [make_top(*layout) for _ in range(members)])
    params = top.adapters()
    if set(params) != set(state):
        raise ValueError(f"{path} does not hold this model's adapters")
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(state[name].float())
    top.thresholds = json.loads(meta["thresholds"])
    return top


def train_top(model, tokenizer, texts: list[str], labels: list[str], *, split: int = 18,
              rank: int = 16, seed: int = 0, **options) -> TunedTop:
    """Fine-tune the blocks above `split` (their adapters) and the head on labelled texts.
    The defaults are the shipped classifier's, chosen on the development set
    (docs/safety.md); `options` are train_adapters'."""
    torch.manual_seed(seed)  # the adapters' and the head's first values
    top = TunedTop(model, split, label_names(labels), rank)
    return train_adapters(top, top.lower(encode(tokenizer, texts)), labels, model, seed=seed,
                          **options)


def label_names(labels: list[str]) -> list[str]:
    """The head's labels: benign first, then the others sorted."""
    names = sorted(set(labels))
    if BENIGN not in names or len(names) < 2:
        raise ValueError(f"training needs 'benign' and at least one other label, got {names}")
    return [BENIGN] + [n for n in names if n != BENIGN]


def label_weights(target: torch.Tensor, n_labels: int,
                  benign_share: float | None = None) -> torch.Tensor:
    """Each label's loss weight: the inverse of its count, so every label carries the same
    share of the loss. With one benign label and six harmful ones that leaves benign text
    1/7 of the loss, which pushes benign look-alikes' scores up; `benign_share` gives the
    benign label (index 0) that share instead, the harmful labels splitting the rest."""
    counts = torch.bincount(target, minlength=n_labels).float().clamp_min(1)
    weight = len(target) / (n_labels * counts)
    if benign_share is not None:
        if not 0 < benign_share < 1:
            raise ValueError(f"benign_share must be in (0, 1), got {benign_share}")
        weight[0] *= benign_share * n_labels
        weight[1:] *= (1 - benign_share) * n_labels / (n_labels - 1)
    return weight


def train_adapters(top: nn.Module, states: list[torch.Tensor], labels: list[str],
                   model: nn.Module, *, epochs: int = 3, lr: float = 1e-3,
                   batch_size: int = 16, seed: int = 0, benign_share: float | None = None,
                   max_grad_norm: float | None = None, progress=None) -> nn.Module:
    """Train `top`'s adapters and head (top.adapters()) on each text's lower states, each
    label weighted by the inverse of its count (label_weights). AdamW, 20 warm-up steps,
    cosine decay, the gradient's norm clipped to `max_grad_norm` if given; batches of similar
    length in shuffled order. `model`'s own weights are frozen for the duration."""
    rng = random.Random(seed)
    target = torch.tensor([top.labels.index(label) for label in labels])
    weight = label_weights(target, len(top.labels), benign_share)
    frozen = [p for p in model.parameters() if p.requires_grad]
    for p in frozen:
        p.requires_grad_(False)
    params = list(top.adapters().values())
    opt = torch.optim.AdamW(params, lr=lr, weight_decay=0.0)
    steps = epochs * math.ceil(len(states) / batch_size)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / 20) * 0.5 * (1 + math.cos(math.pi * s / steps)))
    step = 0
    try:
        top.train()
        for _ in range(epochs):
            for batch in _length_batches(states, batch_size, rng):
                loss = nn.functional.cross_entropy(top([states[i] for i in batch]),
                                                   target[batch], weight=weight)
                opt.zero_grad()
                loss.backward()
                if max_grad_norm is not None:
                    nn.utils.clip_grad_norm_(params, max_grad_norm)
                opt.step()
                schedule.step()
                step += 1
                if progress is not None:
                    progress(step, steps, loss.item())
    finally:
        for p in frozen:
            p.requires_grad_(True)
    return top.eval()


def _length_batches(states: list[torch.Tensor], batch_size: int, rng: random.Random):
    """Batches of texts of about the same length (a little noise mixes them), in random
    order."""
    order = sorted(range(len(states)), key=lambda i: states[i].shape[0] + rng.random() * 4)
    batches = [order[s:s + batch_size] for s in range(0, len(order), batch_size)]
    rng.shuffle(batches)
    return batches


def fit_tuned(model, tokenizer, train: list[dict], dev: list[dict], *,
              max_benign_blocked: float = 0.02, progress=None,
              **train_options) -> TunedHarmClassifier:
    """Train on `train` ({"text", "label"}), then choose each language's threshold on the
    benign requests of `dev` as harm_classifier.fit does."""
    top = train_top(model, tokenizer, [r["text"] for r in train], [r["label"] for r in train],
                    progress=progress, **train_options)
    clf = TunedHarmClassifier(model, tokenizer, top)
    set_thresholds(clf, dev, max_benign_blocked)
    return clf
