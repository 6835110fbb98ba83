"""The typer app and the options and helpers that several commands share.

Each area's commands live in their own module (`cli/infer.py`, `cli/train.py`, ...) and
register on this one `app`; `cli/__init__.py` imports them all and runs it.
"""

import sys
import time
from typing import Annotated

import typer


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
