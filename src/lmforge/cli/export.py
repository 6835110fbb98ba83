"""`lmforge export`: hand a model to another runtime.

    lmforge export onnx smollm2-135m-instruct --out smollm2-onnx/              logits graph
    lmforge export onnx smollm2-135m-instruct --out smollm2-onnx/ --kv-cache   + past/present

(GGUF for llama.cpp is `lmforge convert MODEL --to gguf --dtype q4_0 --out m.gguf`.)
Test: tests/io/test_onnx_export.py
"""

from typing import Annotated

import typer

from lmforge.cli.app import Adapter, app

export_app = typer.Typer(no_args_is_help=True, help="Export a model for another runtime.")
app.add_typer(export_app, name="export")


@export_app.command()
def onnx(
    source: Annotated[str, typer.Argument(help="Decoder model: name, folder or .gguf file.")],
    out: Annotated[str, typer.Option(help="Output folder (replaced atomically).")],
    kv_cache: Annotated[bool, typer.Option(
        help="Take past keys/values and return the present ones (one-token decode steps).")]
        = False,
    adapter: Adapter = None,
):
    """Export a decoder as an ONNX graph (ids, positions -> logits) with its tokenizer."""
    from lmforge.io.onnx_export import export_onnx
    from lmforge.io.registry import load

    lm = load(source, quantize="none", fuse=False)  # float weights, unfused linears
    model = lm.model
    if adapter:  # merged into its base first, as `lmforge merge` does
        from lmforge.train.lora import load_adapter, merge_and_unload

        load_adapter(model, adapter)
        model = merge_and_unload(model)
    path = export_onnx(model, lm.tokenizer, out, kv_cache=kv_cache)
    size = sum(f.stat().st_size for f in path.iterdir()) / 2**20
    typer.echo(f"wrote {path} ({size:.1f} MiB)", err=True)
