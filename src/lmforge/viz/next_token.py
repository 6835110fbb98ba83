"""The next-token view: the model's candidates after a prompt, and what sampling keeps.

    view = next_token_view(lm.model, lm.tokenizer, "今天天气真", top=10)
    view.candidates                       # [(text, id, probability), ...] most likely first
    kept_set(view.logits, temperature=0.7, top_k=5, top_p=0.9)  # ids sampling may draw

Temperature rescales the distribution (logits / T: below 1 sharper, above 1 flatter);
top-k keeps the k most likely tokens; top-p (nucleus) keeps the smallest set whose mass
reaches p. `kept_set` uses the Engine's own sampler functions (infer/sampler.py), so the
view shows exactly what `lmforge generate` would draw from.
Test: `pytest tests/viz/test_tokens.py`.
"""

from dataclasses import dataclass
from pathlib import Path

import torch

from lmforge.errors import ContextLengthError
from lmforge.infer.sampler import apply_top_k, apply_top_p
from lmforge.viz.fonts import use_cjk_font
from lmforge.viz.png import save_png
from lmforge.viz.tokens import readable_token

SETTINGS = [  # (label, temperature, top_k, top_p): the bars `lmforge viz next` shows
    ("T=1", 1.0, None, 1.0),
    ("T=0.5", 0.5, None, 1.0),
    ("T=1.5", 1.5, None, 1.0),
    ("top-k=3", 1.0, 3, 1.0),
    ("top-p=0.9", 1.0, None, 0.9),
    ("T=0.7 top-p=0.9", 0.7, None, 0.9),
]


@dataclass
class NextTokenView:
    prompt: str
    logits: torch.Tensor
    """(V,) float32 next-token logits."""
    candidates: list[tuple[str, int, float]]


@torch.inference_mode()
def next_token_view(model, tokenizer, prompt: str, top: int = 10) -> NextTokenView:
    ids = tokenizer.encode(prompt, add_special=True, parse_special=False)
    if not ids:
        raise ValueError("the prompt is empty")
    if len(ids) > model.config.max_position_embeddings:
        raise ContextLengthError(f"the prompt has {len(ids)} tokens but the context holds "
                                 f"{model.config.max_position_embeddings}")
    hidden = model(torch.tensor([ids], device=next(model.parameters()).device))
    logits = model.logits(hidden[0, -1]).float().cpu()  # (V,)
    probs = torch.softmax(logits, dim=-1)
    values, top_ids = probs.topk(top)
    candidates = [(readable_token(tokenizer, i), i, v)
                  for i, v in zip(top_ids.tolist(), values.tolist(), strict=True)]
    return NextTokenView(prompt, logits, candidates)


def sampling_distribution(logits: torch.Tensor, temperature: float = 1.0,
                          top_k: int | None = None, top_p: float = 1.0) -> torch.Tensor:
    """(V,) the probabilities sampling draws from under these settings (0 = never drawn)."""
    if temperature <= 0:
        out = torch.zeros_like(logits)
        out[logits.argmax()] = 1.0
        return out
    scaled = (logits / temperature)[None]  # (1, V), the sampler works on batches
    if top_k is not None:
        scaled = apply_top_k(scaled, torch.tensor([top_k]))
    if top_p < 1.0:
        scaled = apply_top_p(scaled, torch.tensor([top_p]))
    return torch.softmax(scaled[0], dim=-1)


def kept_set(logits, temperature=1.0, top_k=None, top_p=1.0) -> list[int]:
    """Ids that can be drawn under these settings, most likely first."""
    dist = sampling_distribution(logits, temperature, top_k, top_p)
    kept = (dist > 0).nonzero().flatten()
    return kept[dist[kept].argsort(descending=True)].tolist()


def print_next(view: NextTokenView, settings=SETTINGS) -> str:
    """A terminal table: a bar for each candidate's probability, then its probability under
    each setting ('-' where the setting drops it)."""
    dists = [sampling_distribution(view.logits, t, k, p) for _, t, k, p in settings]
    labels = [label for label, *_ in settings]
    lines = [f"next token after {view.prompt!r}",
             f"{'token':>12}  {'p':<27}" + "".join(f"{label:>17}" for label in labels)]
    for text, token_id, prob in view.candidates:
        bar = "█" * round(prob * 20)
        cells = "".join(f"{d[token_id].item():>17.3f}" if d[token_id] > 0 else f"{'-':>17}"
                        for d in dists)
        lines.append(f"{text!r:>12}  {bar:<20} {prob:.3f}{cells}")
    return "\n".join(lines)


def save_next_png(view: NextTokenView, path: str | Path, settings=SETTINGS) -> Path:
    """One bar chart per setting: the candidates' sampling probabilities (grey = dropped)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_cjk_font(view.prompt + "".join(c[0] for c in view.candidates))
    labels = [repr(t) for t, _, _ in view.candidates]
    fig, axes = plt.subplots(1, len(settings), figsize=(3 * len(settings), 0.35 * len(labels)
                                                          + 1.5), sharey=True)
    for ax, (title, t, k, p) in zip(axes, settings, strict=True):
        dist = sampling_distribution(view.logits, t, k, p)
        values = [dist[i].item() for _, i, _ in view.candidates]
        ax.barh(range(len(labels)), values,
                color=["#1565c0" if v > 0 else "#bdbdbd" for v in values])
        ax.set_title(title, fontsize=9)
        ax.set_xlim(0, 1)
    axes[0].set_yticks(range(len(labels)), labels, fontsize=8)
    axes[0].invert_yaxis()
    fig.suptitle(f"next token after {view.prompt!r}", fontsize=10)
    return save_png(fig, path)
