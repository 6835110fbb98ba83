"""The typer app and the options and helpers that several commands share.

Each area's commands live in their own module (`cli/infer.py`, `cli/train.py`, ...) and
register on this one `app`; `cli/__init__.py` imports them all and runs it.
"""

import sys
from typing import Annotated

import typer

from lmforge.infer.defaults import CHAT_DEFAULTS

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
EXIT_CODES = ("Exit codes: 0 success; 1 a problem with the input or the run; 2 a usage error "
              "(unknown option, bad option value); 130 interrupted (Ctrl-C).")

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  rich_markup_mode=None, epilog=EXIT_CODES,
                  help="lmforge: language models from tokenizer to chat, in readable PyTorch.")
tokenizer_app = typer.Typer(no_args_is_help=True, help="Tokenizer tasks.")
app.add_typer(tokenizer_app, name="tokenizer")



def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"lmforge {version('lmforge')}")
        raise typer.Exit()


@app.callback()
def _top_level(
    version: Annotated[bool, typer.Option("--version", is_eager=True, callback=_print_version,
                                          help="Print the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback on errors "
                                        "(any position on the line).")] = False,
) -> None:
    """lmforge: language models from tokenizer to chat, in readable PyTorch."""
    # (--debug is read by cli.main() before typer parses the line; listed here for --help)


DEFAULT_MODEL = "smollm2-135m-instruct"
DTYPES = ("fp32", "bf16", "fp16")

# -- shared sampling options (generate and chat take the same ones) --------------------------
Model = Annotated[str, typer.Option("--model", "-m", help="Bundled name, folder, .gguf or "
                                    "Hugging Face repo.")]
MaxTokens = Annotated[int, typer.Option(help="Most tokens to generate.")]
Temperature = Annotated[float | None, typer.Option(
    help="0 is greedy; higher is more random. [default: 0.7 for generate, "
    f"{CHAT_DEFAULTS.temperature:g} for chat and generate --chat]", show_default=False)]
TopK = Annotated[int | None, typer.Option(help="Sample only from the k most likely tokens.")]
TopP = Annotated[float, typer.Option(help="Nucleus: the smallest set with this much mass.")]
MinP = Annotated[float, typer.Option(help="Drop tokens below min_p x the top probability.")]
Seed = Annotated[int | None, typer.Option(help="Random seed for reproducible sampling.")]
Stop = Annotated[list[str] | None, typer.Option(help="Stop before this text (repeatable).")]
Beams = Annotated[int, typer.Option(help="Beam search with this many beams (1 = off).")]
IgnoreEos = Annotated[bool, typer.Option(help="Keep generating past end-of-sequence.")]
Dtype = Annotated[str, typer.Option(help="Compute precision: fp32, bf16 or fp16.")]
Quantize = Annotated[str | None, typer.Option(
    help="Weights: none (float), auto (a quantized GGUF runs on its own blocks, as llama.cpp "
    "does), int8 or int4. [default: auto for a quantized file or folder, else float]",
    show_default=False)]
System = Annotated[str | None, typer.Option(help="System message for chat models.")]
Adapter = Annotated[str | None, typer.Option(help="LoRA adapter folder (PEFT layout, e.g. "
                                             "from `lmforge sft --lora-rank 8`) to apply.")]


SEED_RANGE = (0, 2**63 - 1)  # what torch.Generator.manual_seed takes


def _sampling(max_tokens, temperature, top_k, top_p, min_p, repetition_penalty, seed, stop,
              beams, ignore_eos, default_temperature: float = 0.7):
    """SamplingParams from the shared options; a bad value or combination is a usage error
    (exit 2), found before any model is loaded. temperature None means the command's default."""
    from lmforge.errors import SamplingError
    from lmforge.infer.params import SamplingParams

    if seed is not None and not SEED_RANGE[0] <= seed <= SEED_RANGE[1]:
        raise typer.BadParameter(f"--seed must be in {SEED_RANGE[0]}..{SEED_RANGE[1]}, got {seed}")
    if beams > 1:
        _check_beam_options(beams, temperature, top_k, top_p, min_p, repetition_penalty, seed)
        temperature = 0.0
    try:
        return SamplingParams(
            max_tokens=max_tokens,
            temperature=default_temperature if temperature is None else temperature,
            top_k=top_k, top_p=top_p, min_p=min_p, repetition_penalty=repetition_penalty,
            seed=seed, stop=list(stop or []), n_beams=beams, ignore_eos=ignore_eos).validate()
    except SamplingError as e:
        raise typer.BadParameter(str(e)) from None


def _check_beam_options(beams, temperature, top_k, top_p, min_p, repetition_penalty, seed):
    """Beam search is deterministic and keeps whole-sequence scores: sampling options would
    be silently ignored, so name them instead."""
    given = {"--temperature": temperature not in (None, 0), "--top-k": top_k is not None,
             "--top-p": top_p != 1.0, "--min-p": min_p != 0.0, "--seed": seed is not None,
             "--repetition-penalty": repetition_penalty != 1.0}
    ignored = [name for name, is_set in given.items() if is_set]
    if ignored:
        raise typer.BadParameter(
            f"--beams {beams} is deterministic beam search, which ignores {', '.join(ignored)}; "
            "drop them, or use --beams 1 to sample")


def _load(model: str, dtype: str, quantize: str | None = None, adapter: str | None = None):
    import torch

    from lmforge.io.registry import load

    if dtype not in DTYPES:
        raise typer.BadParameter(f"--dtype must be one of {', '.join(DTYPES)}, got {dtype!r}")
    if quantize not in (None, "auto", "none", "int8", "int4"):
        raise typer.BadParameter(f"--quantize must be auto, none, int8 or int4, got {quantize!r}")
    lm = load(model, dtype={"fp32": torch.float32, "bf16": torch.bfloat16,
                            "fp16": torch.float16}[dtype], quantize=quantize,
              fuse=not adapter)
    if adapter:  # checked against this base: an adapter for another model is an error
        from lmforge.model.fused import fuse_projections
        from lmforge.train.lora import load_adapter

        load_adapter(lm.model, adapter)
        fuse_projections(lm.model.eval())  # the layers adapters left as they were
    return lm


def _write(text: str) -> None:
    """Reply text goes to stdout as it comes."""
    sys.stdout.write(text)
    sys.stdout.flush()


def _end_streamed(engine, reply, max_tokens: int) -> str:
    """After a streamed reply (lmforge.infer.chat_session.Reply): end its line, print its
    speed on stderr, and say why it ended when the context window did it."""
    _write("\n")
    n = len(reply.token_ids)
    typer.secho(f"[{n} tokens, {reply.tokens_per_s:.1f} tokens/s"
                f"{', ' + reply.stopped if reply.stopped else ''}]", err=True, dim=True)
    if not reply.stopped:
        _explain_length(engine, reply, max_tokens)
    return reply.text


def _explain_length(engine, reply, max_tokens: int) -> None:
    """Say on stderr when the context window, not --max-tokens, ended the reply."""
    generated = len(reply.token_ids)
    if reply.finish_reason == "length" and generated < max_tokens:
        typer.echo(f"lmforge: note: stopped after {generated} tokens because the context window "
                   f"is full ({engine.max_seq_len} tokens; the prompt used "
                   f"{reply.prompt_tokens}). --keep-last N keeps only the prompt's last N "
                   "tokens.", err=True)


def _text_argument(name: str, text: str) -> str:
    """Command-line text must be UTF-8: Python hands other bytes over as lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        byte = ord(text[e.start]) - 0xDC00 if 0xDC80 <= ord(text[e.start]) <= 0xDCFF else None
        shown = f"byte 0x{byte:02x}" if byte is not None else repr(text[e.start])
        raise typer.BadParameter(f"{name} is not valid UTF-8 ({shown} at character {e.start})"
                                 ) from None
    return text


def _fit_prompt(ids: list[int], context: int, keep_last: int | None) -> list[int]:
    """Cut an over-long prompt to its last `keep_last` tokens, or say why it cannot run."""
    from lmforge.errors import ContextLengthError

    if keep_last is not None:
        if not 1 <= keep_last < context:
            raise typer.BadParameter(f"--keep-last must be in 1..{context - 1} (the context "
                                     f"holds {context} tokens), got {keep_last}")
        if len(ids) > keep_last:
            typer.echo(f"lmforge: note: the prompt has {len(ids)} tokens; keeping its last "
                       f"{keep_last}", err=True)
            ids = ids[-keep_last:]
    if len(ids) >= context:
        raise ContextLengthError(f"the prompt has {len(ids)} tokens but the context holds "
                                 f"{context}; --keep-last N keeps only its last N tokens")
    return ids
