"""`lmforge viz`: attention maps, token views and the next-token view.

    lmforge viz attention "The cat sat on the mat" --layer 3 --head 0 --out attn.png
    lmforge viz attention "今天天气真好" --average --out attn.html
    lmforge viz tokens "今天天气真好" --out tokens.html      (and a terminal view)
    lmforge viz next "今天天气真" --top 10 [--out next.png] [--json --top-k 5]
"""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import DEFAULT_MODEL, Dtype, Model, Quantize, app

viz_app = typer.Typer(no_args_is_help=True, help="See inside a model: attention, tokens, "
                      "next-token probabilities.")
app.add_typer(viz_app, name="viz")
Truncate = Annotated[bool, typer.Option(help="Keep the first tokens of a text that is too "
                                        "long (default: an error).")]


@viz_app.command("attention")
def attention_command(
    text: Annotated[str, typer.Argument(help="The text to look at.")],
    out: Annotated[str, typer.Option(help="Output file: .png (heatmaps) or .html "
                                     "(token-to-token lines).")],
    model: Model = DEFAULT_MODEL,
    layer: Annotated[int | None, typer.Option(help="Layer (default: all).")] = None,
    head: Annotated[int | None, typer.Option(help="Head (default: all).")] = None,
    average: Annotated[bool, typer.Option(help="Average the heads of each layer.")] = False,
    rollout: Annotated[bool, typer.Option(help="Attention rollout over all layers.")] = False,
    token: Annotated[int | None, typer.Option(help="HTML: the token whose lines are drawn "
                                              "first (default: the last).")] = None,
    truncate: Truncate = False,
):
    """Per layer and head attention heatmaps (PNG) or an interactive HTML view."""
    from lmforge.cli.app import _load
    from lmforge.viz.attention import attention_maps, select
    from lmforge.viz.attention_view import save_attention_html, save_heatmaps

    suffix = Path(out).suffix.lower()
    if suffix not in (".png", ".html"):
        raise typer.BadParameter(f"--out must end in .png or .html, got {out!r}")
    lm = _load(model, "fp32")
    result = attention_maps(lm.model, lm.tokenizer, text, truncate=truncate)
    _note_truncation(result.truncated, len(result.ids))
    if suffix == ".html":
        path = save_attention_html(result, out, layer or 0, None if average else head, token)
    else:
        mode = "rollout" if rollout else "average" if average else "heads"
        maps, titles = select(result, layer, head, mode)
        path = save_heatmaps(result, maps, titles, out)
    typer.echo(f"wrote {path} ({len(result.ids)} tokens, {result.maps.shape[0]} layers x "
               f"{result.maps.shape[1]} heads)", err=True)


@viz_app.command("tokens")
def tokens_command(
    text: Annotated[str, typer.Argument(help="The text to split and score.")],
    model: Model = DEFAULT_MODEL,
    out: Annotated[str | None, typer.Option(help="Also write .html or .png.")] = None,
    top: Annotated[int, typer.Option(help="Alternatives shown per token.")] = 5,
    truncate: Truncate = False,
):
    """How TEXT splits into tokens, and each token's probability under the model."""
    from lmforge.cli.app import _load
    from lmforge.viz.tokens import print_tokens, save_tokens_html, save_tokens_png, token_view

    if out and Path(out).suffix.lower() not in (".png", ".html"):
        raise typer.BadParameter(f"--out must end in .png or .html, got {out!r}")
    lm = _load(model, "fp32")
    view = token_view(lm.model, lm.tokenizer, text, top, truncate)
    print_tokens(view)
    if out:
        save = save_tokens_html if out.lower().endswith(".html") else save_tokens_png
        typer.echo(f"wrote {save(view, out)}", err=True)


@viz_app.command("next")
def next_command(
    prompt: Annotated[str, typer.Argument(help="The prompt to continue.")],
    model: Model = DEFAULT_MODEL,
    top: Annotated[int, typer.Option(help="Candidates to show.")] = 10,
    out: Annotated[str | None, typer.Option(help="Also write the bars as .png.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print {prompt, candidates: [{id, "
                                          "text, p}]} (and the kept set) as JSON.")] = False,
    temperature: Annotated[float | None, typer.Option(help="JSON: add what sampling at this "
                                                      "temperature keeps.")] = None,
    top_k: Annotated[int | None, typer.Option(help="JSON: add what top-k keeps.")] = None,
    top_p: Annotated[float | None, typer.Option(help="JSON: add what top-p keeps.")] = None,
    quantize: Quantize = None,
    dtype: Dtype = "fp32",
):
    """Next-token candidates and what temperature, top-k and top-p keep of them
    (the numbers of `lmforge learn next`: the Engine's softmax at temperature 1)."""
    from lmforge.cli.app import _load
    from lmforge.learn import lesson_engine, next_token
    from lmforge.learn.lesson_engine import check_top, prompt_ids, raw_logits
    from lmforge.learn.strategies import next_token_kept
    from lmforge.viz.next_token import NextTokenView, print_next, save_next_png

    check_top(top)
    settings = {name: value for name, value in (("temperature", temperature), ("top_k", top_k),
                                                ("top_p", top_p)) if value is not None}
    lm = _load(model, dtype) if quantize is None else _load(model, dtype, quantize)
    engine = lesson_engine(lm.model, lm.tokenizer)
    step = next_token(engine, prompt, top=top)
    if as_json:
        shown = {"prompt": prompt, "candidates": step["candidates"]}
        if settings:
            shown.update(next_token_kept(engine, prompt, settings, top), settings=settings)
        sys.stdout.write(json.dumps(shown, ensure_ascii=False) + "\n")
    if as_json and not out:
        return
    logits = raw_logits(engine, prompt_ids(engine, prompt))  # the sampling columns' input
    view = NextTokenView(prompt, logits, [(c["text"], c["id"], c["p"]) for c in step["candidates"]])
    if not as_json:
        sys.stdout.write(print_next(view) + "\n")
    if out:
        typer.echo(f"wrote {save_next_png(view, out)}", err=True)


def _note_truncation(truncated: int, kept: int) -> None:
    if truncated:
        typer.echo(f"note: the text was cut to its first {kept} tokens ({truncated} more "
                   "were dropped)", err=True)
