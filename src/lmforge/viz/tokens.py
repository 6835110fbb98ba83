"""Token views: how a text splits into tokens, and how likely the model found each one.

    view = token_view(lm.model, lm.tokenizer, "今天天气真好")
    for t in view.tokens: t.id, t.text, t.n_bytes, t.prob, t.top   # top: [(text, prob), ...]
    print_tokens(view); save_tokens_html(view, "t.html"); save_tokens_png(view, "t.png")

Token i's probability is softmax(logits at position i-1)[id_i], the model's own next-token
distribution (the first token has no context, so it has none). Byte-level BPE can split a
Chinese character across tokens: such a token decodes to part of a character, shown as
its bytes, which is why the view lists bytes per token.
Test: `pytest tests/viz/test_tokens.py`.
"""

import html
from dataclasses import dataclass, field
from pathlib import Path

import torch

from lmforge.atomic import write_text_atomic
from lmforge.errors import ContextLengthError
from lmforge.viz.fonts import use_cjk_font
from lmforge.viz.png import save_png

PALETTE = ["#ffcdd2", "#c8e6c9", "#bbdefb", "#fff9c4", "#e1bee7", "#ffe0b2", "#b2dfdb"]


@dataclass
class TokenInfo:
    id: int
    text: str
    """The token decoded on its own; its bytes in hex ("<e4 bb>") when it holds only part
    of a UTF-8 character."""
    n_bytes: int
    prob: float | None
    """P(this token | the tokens before it); None for the first token."""
    top: list[tuple[str, float]] = field(default_factory=list)
    """The model's most likely tokens at this position, with probabilities."""


@dataclass
class TokenView:
    text: str
    tokens: list[TokenInfo]
    truncated: int = 0


def readable_token(tokenizer, token_id: int) -> str:
    """The token's text, or its bytes in hex ("<e4 bb>") when it holds part of a character
    (byte-level BPE splits most Chinese characters into 2-3 tokens)."""
    text = tokenizer.decode([token_id])
    if "\ufffd" not in text:
        return text
    return "<" + " ".join(f"{b:02x}" for b in token_bytes(tokenizer, token_id)) + ">"


def token_bytes(tokenizer, token_id: int) -> bytes:
    """The raw bytes of one byte-level BPE token (GPT-2's byte-to-unicode table reversed)."""
    from lmforge.tokenizer.byte_table import unicode_to_byte

    piece = tokenizer.id_to_token(token_id)
    table = unicode_to_byte()
    if all(ch in table for ch in piece):
        return bytes(table[ch] for ch in piece)
    return tokenizer.decode([token_id]).encode("utf-8")  # not byte-level: its text


@torch.inference_mode()
def token_view(model, tokenizer, text: str, top: int = 5, truncate: bool = False) -> TokenView:
    """Split `text` into tokens and score each under `model` (see the module docstring)."""
    ids = tokenizer.encode(text, add_special=False, parse_special=False)
    if not ids:
        raise ValueError("the text is empty: nothing to show")
    limit = model.config.max_position_embeddings
    truncated = max(0, len(ids) - limit)
    if truncated and not truncate:
        raise ContextLengthError(f"the text has {len(ids)} tokens but the model's context "
                                 f"holds {limit} (use --truncate to keep the first {limit})")
    ids = ids[:limit]
    probs = None
    if model.config.kind == "decoder":
        hidden = model(torch.tensor([ids], device=next(model.parameters()).device))
        probs = torch.softmax(model.logits(hidden[0]).float(), dim=-1)  # (T, V)
    tokens = []
    for i, token_id in enumerate(ids):
        p, alternatives = None, []
        if probs is not None and i > 0:
            p = probs[i - 1, token_id].item()
            values, top_ids = probs[i - 1].topk(top)
            alternatives = [(readable_token(tokenizer, j), v) for j, v in
                            zip(top_ids.tolist(), values.tolist(), strict=True)]
        tokens.append(TokenInfo(token_id, readable_token(tokenizer, token_id),
                                len(token_bytes(tokenizer, token_id)), p, alternatives))
    return TokenView(text, tokens, truncated)


def print_tokens(view: TokenView, console=None) -> None:
    """A terminal view: the text in coloured tokens, then one line per token."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = console or Console()
    line = Text()
    for i, t in enumerate(view.tokens):
        line.append(t.text, style=f"on {PALETTE[i % len(PALETTE)]} black")
    console.print(line)
    table = Table("#", "id", "token", "bytes", "p", "top alternatives")
    for i, t in enumerate(view.tokens):
        prob = "-" if t.prob is None else f"{t.prob:.4f}"
        alts = ", ".join(f"{a!r} {p:.3f}" for a, p in t.top[:3])
        table.add_row(str(i), str(t.id), repr(t.text), str(t.n_bytes), prob, alts)
    console.print(table)
    if view.truncated:
        console.print(f"(first {len(view.tokens)} tokens; {view.truncated} more were cut)")


def save_tokens_html(view: TokenView, path: str | Path) -> Path:
    """Coloured tokens; hover one for its id, bytes, probability and alternatives."""
    spans = []
    for i, t in enumerate(view.tokens):
        tip = f"id {t.id}, {t.n_bytes} bytes"
        if t.prob is not None:
            tip += f", p={t.prob:.4f}; top: " + ", ".join(f"{a!r} {p:.3f}" for a, p in t.top)
        shade = PALETTE[i % len(PALETTE)] if t.prob is None else _heat(t.prob)
        spans.append(f'<span class="tok" style="background:{shade}" title="{html.escape(tip)}">'
                     f"{html.escape(t.text)}</span>")
    note = f"<p>(first {len(view.tokens)} tokens; {view.truncated} more were cut)</p>" if (
        view.truncated) else ""
    page = (
        '<!doctype html><html><head><meta charset="utf-8"><title>tokens</title><style>'
        "body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:20px}"
        ".tok{white-space:pre-wrap;border-radius:3px;padding:1px 0;margin:0 1px;"
        "font-family:ui-monospace,monospace}</style></head><body>"
        f"<h3>{len(view.tokens)} tokens; colour = probability under the model "
        "(red low, green high); hover for details</h3>"
        f"<p>{''.join(spans)}</p>{note}</body></html>")
    write_text_atomic(path, page)
    return Path(path)


def save_tokens_png(view: TokenView, path: str | Path) -> Path:
    """A bar per token: its probability under the model, labelled with the token."""

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    use_cjk_font(view.text)
    labels = [f"{t.text!r} ({t.id})" for t in view.tokens]
    probs = [t.prob or 0.0 for t in view.tokens]
    fig, ax = plt.subplots(figsize=(7, 0.3 * len(labels) + 1))
    ax.barh(range(len(labels)), probs, color=[_heat_rgb(p) for p in probs])
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("P(token | tokens before it)")
    return save_png(fig, path)


def _heat(p: float) -> str:
    """Red (0) to green (1), as CSS."""
    return f"hsl({int(120 * p)}, 70%, 80%)"


def _heat_rgb(p: float) -> tuple[float, float, float]:
    """The same colour as an RGB tuple, for matplotlib."""
    import colorsys

    return colorsys.hls_to_rgb(120 * p / 360, 0.8, 0.7)
