"""Commands for verifiable rewards and RL: sandbox run, grpo, ppo, distill, prune.

    lmforge sandbox run solution.py --timeout 5 --memory-mb 256
"""

import sys
from pathlib import Path
from typing import Annotated

import typer

from lmforge.cli.app import app

sandbox_app = typer.Typer(no_args_is_help=True, help="Run untrusted Python with limits.")
app.add_typer(sandbox_app, name="sandbox")


@sandbox_app.command("run")
def sandbox_run(
    file: Annotated[Path, typer.Argument(help="The Python file to run.")],
    timeout: Annotated[float, typer.Option(help="Wall-clock limit in seconds.")] = 10.0,
    memory_mb: Annotated[float, typer.Option(help="Address-space limit in MiB.")] = 512.0,
    cpu_s: Annotated[float | None, typer.Option(help="CPU-time limit (default: timeout).")]
    = None,
    stdin: Annotated[Path | None, typer.Option(help="File fed to the program's stdin.")]
    = None,
):
    """Run FILE.py in the sandbox and print one JSON object (status, returncode, stdout,
    stderr, wall_s)."""
    from lmforge.verify.sandbox import run_python

    code = file.read_text(encoding="utf-8")
    stdin_text = stdin.read_text(encoding="utf-8") if stdin is not None else None
    result = run_python(code, timeout_s=timeout, memory_mb=memory_mb, cpu_s=cpu_s,
                        stdin=stdin_text)
    sys.stdout.write(result.to_json() + "\n")
