"""The `lmforge` command line: one subcommand per user task, each a thin call into the library.

    lmforge chat                                  talk to the bundled SmolLM2-135M-Instruct
    lmforge generate "Once upon a time" --max-tokens 40
    lmforge embed "a sentence" "another one"      all-MiniLM-L6-v2 sentence embeddings
    lmforge tokenize "héllo 世界" --json
    lmforge convert smollm2-135m-instruct --to safetensors --out smollm2/
    lmforge info smollm2-135m-instruct
    lmforge tokenizer train stdlib-docs --out tok/ --vocab-size 4096
    lmforge prepare stdlib-docs --tokenizer tok/ --out data/
    lmforge pretrain --config recipes/bpe-10m-stdlib.yaml --out runs/x --max-steps 500
    lmforge quickstart

Heavy imports happen inside each command so `lmforge --help` is instant. Errors on bad input
print one line on stderr and exit 1 (`--debug` shows the traceback).
"""

import json
import sys
import time
from typing import Annotated

import typer

from lmforge.errors import LmforgeError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="lmforge: train, fine-tune, run and serve language models.")
tokenizer_app = typer.Typer(no_args_is_help=True, help="Tokenizer tasks.")
app.add_typer(tokenizer_app, name="tokenizer")

DEFAULT_MODEL = "smollm2-135m-instruct"
DTYPES = ("fp32", "bf16", "fp16")

# -- shared sampling options (generate and chat take the same ones) --------------------------
Model = Annotated[str, typer.Option("--model", "-m", help="Bundled name, folder, .gguf or "
                                    "Hugging Face repo.")]
MaxTokens = Annotated[int, typer.Option(help="Most tokens to generate.")]
Temperature = Annotated[float, typer.Option(help="0 is greedy; higher is more random.")]
TopK = Annotated[int | None, typer.Option(help="Sample only from the k most likely tokens.")]
TopP = Annotated[float, typer.Option(help="Nucleus: the smallest set with this much mass.")]
MinP = Annotated[float, typer.Option(help="Drop tokens below min_p x the top probability.")]
RepPenalty = Annotated[float, typer.Option(help="Penalise tokens already seen (>1).")]
Seed = Annotated[int | None, typer.Option(help="Random seed for reproducible sampling.")]
Stop = Annotated[list[str] | None, typer.Option(help="Stop before this text (repeatable).")]
Beams = Annotated[int, typer.Option(help="Beam search with this many beams (1 = off).")]
IgnoreEos = Annotated[bool, typer.Option(help="Keep generating past end-of-sequence.")]
Dtype = Annotated[str, typer.Option(help="Compute precision: fp32, bf16 or fp16.")]
System = Annotated[str | None, typer.Option(help="System message for chat models.")]


def _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed, stop,
              beams, ignore_eos):
    from lmforge.infer.params import SamplingParams

    params = SamplingParams(
        max_tokens=max_tokens, temperature=temperature, top_k=top_k, top_p=top_p, min_p=min_p,
        repetition_penalty=repetition_penalty, seed=seed, stop=list(stop or []),
        n_beams=beams, ignore_eos=ignore_eos)
    params.validate()
    return params


def _load(model: str, dtype: str):
    import torch

    from lmforge.io.registry import load

    if dtype not in DTYPES:
        raise typer.BadParameter(f"--dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    return load(model, dtype={"fp32": torch.float32, "bf16": torch.bfloat16,
                              "fp16": torch.float16}[dtype])


def _messages(system: str | None, prompt: str) -> list[dict]:
    return ([{"role": "system", "content": system}] if system else []) + [
        {"role": "user", "content": prompt}]


def _stream_reply(engine, prompt_ids: list[int], params) -> str:
    """Print a reply token by token; return its full text."""
    pieces, start, n = [], time.perf_counter(), 0
    for event in engine.stream([prompt_ids], params):
        n += event.token_id is not None
        sys.stdout.write(event.text)
        sys.stdout.flush()
        pieces.append(event.text)
    elapsed = time.perf_counter() - start
    sys.stdout.write("\n")
    sys.stdout.flush()
    typer.secho(f"[{n} tokens, {n / max(elapsed, 1e-9):.1f} tokens/s]", err=True, dim=True)
    return "".join(pieces)


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


@tokenizer_app.command("train")
def tokenizer_train(
    sources: Annotated[list[str], typer.Argument(help="Text/JSONL/parquet files, folders, "
                                                 "or stdlib-docs (the embedded corpus).")],
    out: Annotated[str, typer.Option(help="Folder for tokenizer.json + tokenizer_config.json.")],
    vocab_size: Annotated[int, typer.Option(help="Vocabulary size (upper bound for char).")]
    = 8192,
    kind: Annotated[str, typer.Option(help="bpe (byte-level) or char (for teaching).")] = "bpe",
    min_frequency: Annotated[int, typer.Option(help="Merge only pairs seen this often.")] = 2,
    held_out: Annotated[float, typer.Option(help="Share of text held out for the report.")]
    = 0.05,
):
    """Train a tokenizer and report its compression (bytes per token) on held-out text."""
    from lmforge.tokenizer.train import TokenizerTrainSettings, train_tokenizer_from_files

    settings = TokenizerTrainSettings(vocab_size=vocab_size, kind=kind,
                                      min_frequency=min_frequency, held_out_fraction=held_out)
    report = train_tokenizer_from_files(sources, out, settings)
    held = report["held_out"] or {}
    typer.echo(f"wrote {out}: vocab {report['vocab_size']}, {report['train_bytes']:,} bytes "
               f"in {report['train_seconds']} s; held-out bytes/token "
               f"{held.get('bytes_per_token', 'n/a')}", err=True)
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")


@app.command()
def prepare(
    source: Annotated[str, typer.Argument(help="Text/JSONL/parquet file, folder, stdlib-docs, "
                                          "or a Hugging Face dataset name.")],
    tokenizer: Annotated[str, typer.Option(help="tokenizer.json or the folder holding it.")],
    out: Annotated[str, typer.Option(help="Folder for the token shards and manifest.json.")],
    val_fraction: Annotated[float, typer.Option(help="Share held out for validation.")] = 0.05,
    seed: Annotated[int, typer.Option(help="Seed of the train/val split.")] = 1337,
    workers: Annotated[int, typer.Option(help="Tokenizer processes (0: one per core).")] = 0,
):
    """Tokenize a corpus once into memory-mapped train/val token shards."""
    from lmforge.data.prepare import PrepareSettings
    from lmforge.data.prepare import prepare as run

    manifest = run(PrepareSettings(source=source, tokenizer=tokenizer, out_dir=out,
                                   val_fraction=val_fraction, seed=seed, num_workers=workers))
    sys.stdout.write(json.dumps(manifest, ensure_ascii=False) + "\n")


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True})
def pretrain(
    ctx: typer.Context,
    config: Annotated[str | None, typer.Option(help="Recipe YAML (sections model, data, "
                                               "train).")] = None,
    out: Annotated[str | None, typer.Option(help="Run folder (train.out_dir).")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Optimizer steps.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for init, data order, sampling.")]
    = None,
    strategy: Annotated[str | None, typer.Option(help="none, ddp or fsdp (under torchrun).")]
    = None,
    resume: Annotated[bool, typer.Option(help="Continue from the latest checkpoint.")] = False,
):
    """Pretrain from a recipe; every recipe key is a flag too (--lr 3e-4, --data.source F)."""
    from lmforge.train.pretrain import parse_argv
    from lmforge.train.pretrain import pretrain as run

    _, _, overrides = parse_argv(ctx.args)
    named = {"out_dir": out, "max_steps": max_steps, "seed": seed, "strategy": strategy,
             "resume": "latest" if resume else None}
    overrides.update({k: v for k, v in named.items() if v is not None})
    metrics = run(config, **overrides)
    sys.stdout.write(json.dumps({k: v for k, v in metrics.items() if k != "eval_curve"},
                                default=str) + "\n")


@app.command()
def quickstart(
    out: Annotated[str, typer.Option(help="Run folder.")] = "runs/quickstart",
):
    """Tokenizer -> data -> pretrain -> sample on the embedded corpus (minutes on a CPU)."""
    from lmforge.train.pretrain import quickstart as run

    metrics = run(out)
    typer.echo(f"sample: {metrics.get('sample', '')}", err=True)
    sys.stdout.write(json.dumps({k: v for k, v in metrics.items() if k != "eval_curve"},
                                default=str) + "\n")


def main() -> None:
    """Entry point: run the app, turning bad-input errors into one line on stderr."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        app(standalone_mode=False)
    except typer.exceptions.TyperException as e:  # bad option value, unknown option, ...
        message = e.format_message()
        if message and not debug:  # (an empty message: the help was printed already)
            typer.echo(f"lmforge: error: {message}", err=True)
        elif debug:
            raise
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - the one place that turns errors into exit codes
        if debug:
            raise
        kind = "error" if isinstance(e, (LmforgeError, OSError, ValueError)) else (
            f"internal error ({type(e).__name__})")
        message = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        typer.echo(f"lmforge: {kind}: {message}", err=True)
        sys.exit(1)


if __name__ == "__main__":
    main()
