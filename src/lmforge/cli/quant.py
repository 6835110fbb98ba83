"""`lmforge quantize`: write an int8 or int4 copy of a model that `lmforge.load` opens.

    lmforge quantize smollm2-135m-instruct --to int4 --group-size 32 --out smollm2-int4/
    lmforge generate "Hello" -m smollm2-int4/

Test: tests/io/test_quantized.py (the library), tests/cli/test_quantize_cli.py (the command).
"""

from typing import Annotated

import typer

from lmforge.cli.app import app


@app.command()
def quantize(
    source: Annotated[str, typer.Argument(help="Model name, folder or .gguf file.")],
    to: Annotated[str, typer.Option(help="int8 (per output channel) or int4 (group-wise).")],
    out: Annotated[str, typer.Option(help="Output folder (replaced atomically).")],
    group_size: Annotated[int, typer.Option(help="int4 group size: 32, 64 or 128.")] = 32,
):
    """Quantize every linear layer's weights (the LM head to int8) and save a checkpoint."""
    if to not in ("int8", "int4"):
        raise typer.BadParameter(f"--to must be int8 or int4, got {to!r}")
    if group_size not in (32, 64, 128):
        raise typer.BadParameter(f"--group-size must be 32, 64 or 128, got {group_size}")
    from lmforge.io.quantized import quantize_for_inference, save_quantized
    from lmforge.io.registry import load
    from lmforge.model.quant import quantized_layers

    lm = load(source, quantize="none", fuse=False)
    quantize_for_inference(lm.model, 8 if to == "int8" else 4, group_size)
    path = save_quantized(lm.model, lm.tokenizer, out)
    size = (path / "model.safetensors").stat().st_size / 2**20
    n_layers = len({id(m) for m in quantized_layers(lm.model).values()})  # a tied head once
    typer.echo(f"wrote {path}: {n_layers} {to} layers, "
               f"{size:.0f} MiB of weights", err=True)
