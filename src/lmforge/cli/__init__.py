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

import sys

import typer

from lmforge.cli import infer, train  # noqa: F401  (each module registers its commands)
from lmforge.cli.app import app
from lmforge.errors import LmforgeError


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

