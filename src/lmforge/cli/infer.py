"""Commands that run a model: generate, chat, embed, tokenize, convert, info."""

import json
import sys
from typing import Annotated

import typer

from lmforge.cli.app import (DEFAULT_MODEL, Beams, Dtype, IgnoreEos, MaxTokens, MinP, Model,
                             RepPenalty, Seed, Stop, System, Temperature, TopK, TopP, _load,
                             _messages, _sampling, _stream_reply, app)

@app.command()
def generate(
    prompt: Annotated[str, typer.Argument(help="The text to continue (or ask, with --chat).")],
    model: Model = DEFAULT_MODEL,
    chat: Annotated[bool, typer.Option(help="Wrap the prompt in the chat template.")] = False,
    system: System = None,
    max_tokens: MaxTokens = 128, temperature: Temperature = 0.7, top_k: TopK = None,
    top_p: TopP = 1.0, min_p: MinP = 0.0, repetition_penalty: RepPenalty = 1.0,
    seed: Seed = None, stop: Stop = None, beams: Beams = 1, ignore_eos: IgnoreEos = False,
    dtype: Dtype = "fp32",
):
    """Generate a continuation of PROMPT; prints only the generated text on stdout."""
    from lmforge.infer.engine import Engine

    params = _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                       stop, beams, ignore_eos)
    lm = _load(model, dtype)
    ids = (lm.tokenizer.encode_chat(_messages(system, prompt)) if chat
           else lm.tokenizer.encode(prompt, add_special=True, parse_special=False))
    engine = Engine(lm.model, lm.tokenizer)
    if beams > 1:
        sys.stdout.write(engine.generate([ids], params)[0].text + "\n")
    else:
        _stream_reply(engine, ids, params)


@app.command()
def chat(
    model: Model = DEFAULT_MODEL, system: System = None,
    max_tokens: MaxTokens = 512, temperature: Temperature = 0.0, top_k: TopK = None,
    top_p: TopP = 1.0, min_p: MinP = 0.0, repetition_penalty: RepPenalty = 1.0,
    seed: Seed = None, stop: Stop = None, beams: Beams = 1, ignore_eos: IgnoreEos = False,
    dtype: Dtype = "fp32",
):
    """Chat, multi-turn and streaming: /reset, /system TEXT, /exit; piped lines work too."""
    # Greedy by default: a 135M model answers facts most reliably that way (its Q4_1 weights
    # give "The" 55% and "L" 36% after "What is the capital of France?" at temperature 0.2);
    # --temperature 0.7 --top-p 0.9 gives more varied replies.
    from lmforge.infer.engine import Engine

    params = _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed,
                       stop, beams, ignore_eos)
    lm = _load(model, dtype)
    engine = Engine(lm.model, lm.tokenizer)
    interactive = sys.stdin.isatty()
    if interactive:
        typer.echo(f"{lm.name} ready. /reset, /system TEXT, /exit", err=True)
    history: list[dict] = []
    while (line := _read_turn(interactive)) is not None:
        if not line.strip():
            continue
        if line.strip() in ("/exit", "/quit"):
            break
        if line.strip() == "/reset":
            history.clear()
            typer.echo("(conversation cleared)", err=True)
            continue
        if line.startswith("/system"):
            system = line.removeprefix("/system").strip() or None
            history.clear()
            typer.echo(f"(system message {'set' if system else 'cleared'}; history cleared)",
                       err=True)
            continue
        history.append({"role": "user", "content": line})
        messages = ([{"role": "system", "content": system}] if system else []) + history
        reply = _stream_reply(engine, lm.tokenizer.encode_chat(messages), params)
        history.append({"role": "assistant", "content": reply})


def _read_turn(interactive: bool) -> str | None:
    try:
        line = input(">>> ") if interactive else sys.stdin.readline()
        return line.rstrip("\r\n") if line else None
    except EOFError:
        return None


@app.command()
def embed(
    texts: Annotated[list[str], typer.Argument(help="Texts to embed.")],
    model: Model = "all-minilm-l6-v2",
):
    """Print one JSON array of normalized sentence embeddings (one per text)."""
    from lmforge.infer.embeddings import embed_texts

    lm = _load(model, "fp32")
    vectors = embed_texts(lm.model, lm.tokenizer, texts)
    sys.stdout.write(json.dumps([[round(x, 7) for x in v] for v in vectors.tolist()]) + "\n")


@app.command()
def tokenize(
    text: Annotated[str, typer.Argument(help="Text to tokenize.")],
    model: Model = DEFAULT_MODEL,
    as_json: Annotated[bool, typer.Option("--json", help="Print {ids, tokens} as JSON.")] = False,
    add_special: Annotated[bool, typer.Option(help="Add BOS/EOS as the model does.")] = False,
):
    """Show how a model's tokenizer splits TEXT."""
    from lmforge.io.registry import load_tokenizer

    tok = load_tokenizer(model)
    ids = tok.encode(text, add_special=add_special)
    if as_json:
        sys.stdout.write(json.dumps({"ids": ids, "tokens": tok.tokens(ids)},
                                    ensure_ascii=False) + "\n")
    else:
        for i, t in zip(ids, tok.tokens(ids), strict=True):
            sys.stdout.write(f"{i}\t{t!r}\n")


@app.command()
def convert(
    source: Annotated[str, typer.Argument(help="Model name, folder or .gguf file.")],
    to: Annotated[str, typer.Option(help="Target format: safetensors or gguf.")],
    out: Annotated[str, typer.Option(help="Output folder (safetensors) or file (gguf).")],
    dtype: Annotated[str, typer.Option(help="Stored precision: f32 or f16.")] = "f32",
):
    """Convert between GGUF and the Hugging Face safetensors layout."""
    from lmforge.io.convert import convert as run

    path = run(source, to, out, dtype)
    typer.echo(f"wrote {path}", err=True)


@app.command()
def info(model: Annotated[str, typer.Argument(help="Model name, folder or .gguf file.")]
         = DEFAULT_MODEL):
    """Architecture, parameter count and memory of a model."""
    from rich.console import Console
    from rich.table import Table

    from lmforge.model.summary import summarize

    lm = _load(model, "fp32")
    table = Table(title=f"{lm.name} ({lm.path})", show_header=False)
    for key, value in summarize(lm.model).items():
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v} MB" for k, v in value.items())
        elif isinstance(value, int) and not isinstance(value, bool):
            value = f"{value:,}"
        table.add_row(key.replace("_", " "), str(value))
    Console().print(table)
