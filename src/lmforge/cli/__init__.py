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

Heavy imports happen inside each command so `lmforge --help` is instant. One exit-code
convention for every command (also in `lmforge --help`):

    0    success
    1    a problem with the input or the run (a missing file, bad data, a model that fails)
    2    a usage error (unknown option, bad option value, missing argument)
    130  interrupted (Ctrl-C)

Errors print one line on stderr (`--debug` shows the traceback). Test: tests/cli/.
"""

import os
import sys

import typer

from lmforge import extras

# each module registers its commands on the app
from lmforge.cli import (  # noqa: F401
    agent,
    eval,
    export,
    finetune,
    infer,
    learn,
    prompt,
    quant,
    rag,
    rl,
    safety,
    serve,
    train,
    vision,
    viz,
)
from lmforge.cli.app import EXIT_ERROR, EXIT_INTERRUPTED, EXIT_USAGE, app
from lmforge.errors import LmforgeError

# Commands that only print: after success they skip Python's teardown of torch and a loaded
# model (~0.5 s of a 3 s `generate`); their files, if any (audit log), are closed already.
# Not under a profiler or tracer (cProfile, coverage), which write their results at exit.
PRINT_ONLY = {"generate", "chat", "tokenize", "embed", "info"}

# click's ClickException, whether typer uses click or (newer typer) its own vendored copy
CLICK_EXCEPTION = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")


def main() -> None:
    """Entry point: run the app and turn what it raises into an exit code and one line."""
    debug = "--debug" in sys.argv
    if debug:
        sys.argv.remove("--debug")
    try:
        extras.check_command(sys.argv[1:])  # a missing extra fails now, not after a load
        code = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):  # typer turns Ctrl-C into Abort
        typer.echo("lmforge: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except CLICK_EXCEPTION as e:  # a usage error (bad option value, ...) carries exit_code 2
        if debug:
            raise
        typer.echo(f"lmforge: error: {e.format_message()}", err=True)
        sys.exit(EXIT_USAGE if e.exit_code == EXIT_USAGE else EXIT_ERROR)
    except Exception as e:  # noqa: BLE001 - the one place that turns errors into exit codes
        if debug:
            raise
        kind = "error" if isinstance(e, (LmforgeError, OSError, ValueError)) or (
            extras.explain(e)) else f"internal error ({type(e).__name__})"
        message = extras.explain(e) or (
            str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__)
        typer.echo(f"lmforge: {kind}: {message}", err=True)
        sys.exit(EXIT_ERROR)
    # standalone_mode=False hands back typer.Exit's code instead of exiting; newer typer
    # also turns Ctrl-C into a returned 130
    if code == EXIT_INTERRUPTED:
        typer.echo("lmforge: interrupted", err=True)
    code = code if isinstance(code, int) else 0
    profiled = sys.getprofile() is not None or sys.gettrace() is not None
    if code == 0 and len(sys.argv) > 1 and sys.argv[1] in PRINT_ONLY and not profiled:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
    sys.exit(code)
